// K5: one MiniSearch index per language, built from the published snapshot and cached per
// knowledge-base version; its JSON is served with a content-hash ETag (E3: rebuilt on change).
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import { t } from '../../i18n/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { miniSearchOptions, pruneCommonTerms, searchQueryOptions, type SearchDoc, type SearchHit } from '../../lib/search.ts';
import type { Db } from '../db/client.ts';
import { Compressed } from '../http/compress.ts';
import { buildIndexJsonInWorker, workerMinDocs } from './index-worker.ts';
import { excerpt } from './markdown.ts';
import { getKb, type KbSnapshot } from './snapshot.ts';

export interface LanguageIndex {
  lang: Locale;
  kbVersion: number;
  json: string;
  /** First 16 hex characters of SHA-256(json): the ETag. */
  hash: string;
  /** The cache-busting URL parameter (`?v=`): the documents' fingerprint, known before the index is built. */
  urlVersion: string;
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
/** Builds in a worker thread under way, shared by the requests that wait for them. */
const building = new WeakMap<KbSnapshot, Map<Locale, Promise<LanguageIndex>>>();

/**
 * E3: the last index built per language, by a fingerprint of what it was built from. A publish in
 * one language leaves the others' documents as they were, so their index (with its JSON, ETag and
 * compressed bodies) is taken over instead of rebuilt: at 5,000 entries a rebuild costs ~0.7 s
 * per language (bench/RESULTS.md, section 7). The index depends on nothing but its documents,
 * so one process-wide entry per language is right for every database.
 */
const lastBuilt = new Map<Locale, { fingerprint: string; index: LanguageIndex }>();

/**
 * What a language's documents are made of, cheaply: per entry in index order its slug, area and
 * the language and version of the text it shows (a translation's version moves on with every
 * publish, restore and import, so equal fingerprints mean equal documents).
 */
export function documentsFingerprint(kb: KbSnapshot, lang: Locale): string {
  const perLang = perLangOf(fingerprints, kb);
  let fingerprint = perLang.get(lang);
  if (fingerprint === undefined) {
    const parts: string[] = [];
    for (const e of kb.localizedEntries(lang)) parts.push(`${e.slug} ${e.areaSlug} ${e.lang} ${e.version} ${e.publishedAt}`);
    fingerprint = createHash('sha256').update(parts.join('\n')).digest('hex');
    perLang.set(lang, fingerprint);
  }
  return fingerprint;
}
const fingerprints = new WeakMap<KbSnapshot, Map<Locale, string>>();

/**
 * E3 / K5: the search index's URL for pages (`?v=` the documents' fingerprint). A page needs only
 * this, not the index itself, so after a publish pages render at once while a large index is
 * still being built; the browser fetches the index when its search box is used.
 */
export async function searchIndexVersion(db: Db, lang: Locale): Promise<string> {
  return documentsFingerprint(await getKb(db), lang).slice(0, 16);
}

function perLangOf<T>(map: WeakMap<KbSnapshot, Map<Locale, T>>, kb: KbSnapshot): Map<Locale, T> {
  let perLang = map.get(kb);
  if (!perLang) map.set(kb, (perLang = new Map()));
  return perLang;
}

function fromJson(lang: Locale, kb: KbSnapshot, fingerprint: string, json: string, search: MiniSearch<SearchDoc>): LanguageIndex {
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  return { lang, kbVersion: kb.version, json, hash, urlVersion: fingerprint.slice(0, 16), search, compressed: new Compressed(Buffer.from(json)) };
}

/** The cached index, or one taken over unchanged from the last build; else the documents to build from. */
function known(kb: KbSnapshot, lang: Locale): { index: LanguageIndex } | { docs: SearchDoc[]; fingerprint: string } {
  const perLang = perLangOf(cache, kb);
  const cached = perLang.get(lang);
  if (cached) return { index: cached };
  const fingerprint = documentsFingerprint(kb, lang);
  const previous = lastBuilt.get(lang);
  if (previous?.fingerprint !== fingerprint) return { docs: searchDocs(kb, lang), fingerprint };
  const index = { ...previous.index, kbVersion: kb.version };
  perLang.set(lang, index);
  return { index };
}

function keep(kb: KbSnapshot, fingerprint: string, index: LanguageIndex): LanguageIndex {
  perLangOf(cache, kb).set(index.lang, index);
  lastBuilt.set(index.lang, { fingerprint, index });
  return index;
}

/** The language's index for this snapshot, built here and now if need be (tests, benchmarks). */
export function indexFor(kb: KbSnapshot, lang: Locale): LanguageIndex {
  const found = known(kb, lang);
  if ('index' in found) return found.index;
  const search = buildIndex(found.docs);
  return keep(kb, found.fingerprint, fromJson(lang, kb, found.fingerprint, JSON.stringify(search), search));
}

/**
 * As indexFor, for requests: a large index (SEARCH_INDEX_WORKER_MIN_DOCS documents or more) is
 * built in a worker thread, so the server keeps answering other visitors meanwhile; requests
 * that need it wait for the one build. If the worker fails, the index is built in-process.
 */
export async function indexForRequest(kb: KbSnapshot, lang: Locale): Promise<LanguageIndex> {
  const pending = perLangOf(building, kb).get(lang);
  if (pending) return pending;
  const found = known(kb, lang);
  if ('index' in found) return found.index;
  if (found.docs.length < workerMinDocs()) return indexFor(kb, lang);
  const build = buildIndexJsonInWorker(found.docs)
    .then((json) => keep(kb, found.fingerprint, fromJson(lang, kb, found.fingerprint, json, loadIndex(json))))
    .catch((error: Error) => {
      console.error(`loket: search index for ${lang} built in-process: ${error.message}`);
      return indexFor(kb, lang);
    })
    .finally(() => perLangOf(building, kb).delete(lang));
  perLangOf(building, kb).set(lang, build);
  return build;
}

export async function getSearchIndex(db: Db, lang: Locale): Promise<LanguageIndex> {
  return indexForRequest(await getKb(db), lang);
}

export function runSearch(index: LanguageIndex, query: string, limit = 50): SearchHit[] {
  return index.search
    .search(query, searchQueryOptions)
    .slice(0, limit)
    .map((r) => ({ id: r.id as string, s: r.s, q: r.q, x: r.x, l: r.l, score: r.score, terms: r.terms }));
}
