// K5: one MiniSearch index per language, built from the published snapshot and cached per
// knowledge-base version; its JSON is served with a content-hash ETag (E3: rebuilt on change).
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import { t } from '../../i18n/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { miniSearchOptions, pruneCommonTerms, searchQueryOptions, type SearchDoc, type SearchHit } from '../../lib/search.ts';
import type { Db } from '../db/client.ts';
import { Compressed } from '../http/compress.ts';
import { excerpt } from './markdown.ts';
import { getKb, type KbSnapshot } from './snapshot.ts';

export interface LanguageIndex {
  lang: Locale;
  kbVersion: number;
  json: string;
  /** First 16 hex characters of SHA-256(json): the ETag and the cache-busting URL parameter. */
  hash: string;
  search: MiniSearch<SearchDoc>;
  /** The JSON, compressed once per encoding on first use. */
  compressed: Compressed;
}

export function searchDocs(kb: KbSnapshot, lang: Locale): SearchDoc[] {
  const tr = t(lang);
  return kb.localizedEntries(lang).map((e) => ({
    id: e.slug,
    s: e.areaSlug,
    q: e.question,
    a: e.answerText,
    t: e.tags.map((tag) => tr(`tags.${tag}`, { defaultValue: tag })).join(' '),
    x: excerpt(e.answerText),
    l: e.fallback ? e.lang : '',
  }));
}

export function buildIndex(docs: SearchDoc[]): MiniSearch<SearchDoc> {
  const search = new MiniSearch<SearchDoc>(miniSearchOptions);
  search.addAll(pruneCommonTerms(docs));
  return search;
}

export function loadIndex(json: string): MiniSearch<SearchDoc> {
  return MiniSearch.loadJSON<SearchDoc>(json, miniSearchOptions);
}

// Indexes belong to the snapshot they were built from: a new version brings new indexes.
const cache = new WeakMap<KbSnapshot, Map<Locale, LanguageIndex>>();

/**
 * E3: the last index built per language, by a hash of the documents it was built from. A publish
 * in one language leaves the others' documents as they were, so their index (with its JSON, ETag
 * and compressed bodies) is taken over instead of rebuilt: at 5,000 entries a rebuild blocks the
 * process for ~0.7 s per language (bench/RESULTS.md, section 7). The index depends on nothing but
 * its documents, so one process-wide entry per language is right for every database.
 */
const lastBuilt = new Map<Locale, { docsHash: string; index: LanguageIndex }>();

export function indexFor(kb: KbSnapshot, lang: Locale): LanguageIndex {
  let perLang = cache.get(kb);
  if (!perLang) cache.set(kb, (perLang = new Map()));
  const cached = perLang.get(lang);
  if (cached) return cached;
  const docs = searchDocs(kb, lang);
  const docsHash = createHash('sha256').update(JSON.stringify(docs)).digest('hex');
  const previous = lastBuilt.get(lang);
  let index: LanguageIndex;
  if (previous?.docsHash === docsHash) {
    index = { ...previous.index, kbVersion: kb.version };
  } else {
    const search = buildIndex(docs);
    const json = JSON.stringify(search);
    const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
    index = { lang, kbVersion: kb.version, json, hash, search, compressed: new Compressed(Buffer.from(json)) };
    lastBuilt.set(lang, { docsHash, index });
  }
  perLang.set(lang, index);
  return index;
}

export async function getSearchIndex(db: Db, lang: Locale): Promise<LanguageIndex> {
  return indexFor(await getKb(db), lang);
}

export function runSearch(index: LanguageIndex, query: string, limit = 50): SearchHit[] {
  return index.search
    .search(query, searchQueryOptions)
    .slice(0, limit)
    .map((r) => ({ id: r.id as string, s: r.s, q: r.q, x: r.x, l: r.l, score: r.score, terms: r.terms }));
}
