// `npm run bench:search` — K5 search: index size (raw / gzip) and query time (p50 / p95) per
// language, for the starter content and for a generated 5,000-entry corpus.
//
// Uses the app's own modules: the starter content is imported into a temporary libSQL file
// database exactly as `npm start` does, the indexes come from indexFor() (what
// /{lang}/search-index.json serves) and every query goes through runSearch(), the call the
// server's /{lang}/search page makes (MiniSearch search with searchQueryOptions).
import { Compressed } from '../src/server/http/compress.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { locales, type Locale } from '../src/i18n/locales.ts';
import type { SearchOptions } from 'minisearch';
import { searchQueryOptions } from '../src/lib/search.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { readContent } from '../src/server/kb/content-files.ts';
import { importContent } from '../src/server/kb/import.ts';
import { getKb } from '../src/server/kb/snapshot.ts';
import { buildIndex, indexFor, loadIndex, runSearch, searchDocs, type LanguageIndex } from '../src/server/kb/search-index.ts';
import { generateDocs, generateRealisticDocs, vocabularyOf, ZIPF_VOCABULARY, type Vocabulary } from './corpus.ts';
import { gitState, kb, loadAverage, machine, percentile, pick, prng, randInt, round } from './util.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SEED = 20261122;
const WARMUP = 100;
const QUERIES = 1_000;
const GENERATED_ENTRIES = 5_000;
const TIME_BUDGET_MS = 5 * 60_000; // the whole run; every loop below is bounded in count too
const TARGET = { starterGzipBytes: 40 * 1024, starterP95Ms: 1, generatedP95Ms: 5 };

const started = performance.now();
const loadAtStart = await loadAverage();
function checkBudget(): void {
  if (performance.now() - started > TIME_BUDGET_MS) throw new Error(`bench:search exceeded its ${TIME_BUDGET_MS / 1000} s budget`);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

type QueryKind = 'word' | 'prefix' | 'typo';

function typo(rand: () => number, word: string): string {
  const chars = [...word];
  for (let attempt = 0; attempt < 10; attempt++) {
    const i = randInt(rand, 1, chars.length - 1); // people rarely get the first letter wrong
    const c = [...chars];
    const op = randInt(rand, 0, 3);
    if (op === 0) c[i] = pick(rand, [...LETTERS]); // substitution
    else if (op === 1) c.splice(i, 1); // deletion
    else if (op === 2) c.splice(i, 0, pick(rand, [...LETTERS])); // insertion
    else if (i < c.length - 1) [c[i], c[i + 1]] = [c[i + 1]!, c[i]!]; // transposition
    const out = c.join('');
    if (out !== word) return out;
  }
  return `${word}x`;
}

/**
 * Queries a user might type: 1–3 words drawn from the language's own vocabulary (weighted by
 * how often they occur), one third whole words, one third as-you-type (last word cut to a
 * prefix of ≥ 2 letters), one third with a one-letter typo in a word of ≥ 4 letters.
 */
function makeQueries(rand: () => number, vocab: Vocabulary, count: number): Array<{ kind: QueryKind; q: string }> {
  const kinds: QueryKind[] = ['word', 'prefix', 'typo'];
  const long = vocab.queryWords.filter((w) => [...w].length >= 4);
  const out: Array<{ kind: QueryKind; q: string }> = [];
  for (let n = 0; n < count; n++) {
    const kind = kinds[n % 3]!;
    const r = rand();
    const wordCount = r < 0.5 ? 1 : r < 0.85 ? 2 : 3;
    const words = Array.from({ length: wordCount }, () => pick(rand, kind === 'typo' ? long : vocab.queryWords));
    if (kind === 'prefix') {
      const last = [...words[wordCount - 1]!];
      words[wordCount - 1] = last.slice(0, randInt(rand, 2, Math.max(2, last.length - 1))).join('');
    } else if (kind === 'typo') {
      const i = randInt(rand, 0, wordCount - 1);
      words[i] = typo(rand, words[i]!);
    }
    out.push({ kind, q: words.join(' ') });
  }
  return out;
}

interface Timing {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  p95ByKindMs: Record<QueryKind, number>;
  /** share of queries with at least one hit (a sanity check that the queries are realistic) */
  withHits: number;
  meanHits: number;
}

type Query = { kind: QueryKind; q: string };

function timeQueries(index: LanguageIndex, rand: () => number, vocab: Vocabulary): Timing & { examples: string[]; queryList: Query[] } {
  for (const { q } of makeQueries(rand, vocab, WARMUP)) runSearch(index, q);
  const queries = makeQueries(rand, vocab, QUERIES);
  const times: number[] = [];
  const byKind: Record<QueryKind, number[]> = { word: [], prefix: [], typo: [] };
  let withHits = 0;
  let hits = 0;
  for (const { kind, q } of queries) {
    const t0 = performance.now();
    const result = runSearch(index, q);
    const ms = performance.now() - t0;
    times.push(ms);
    byKind[kind].push(ms);
    if (result.length > 0) withHits++;
    hits += result.length;
  }
  checkBudget();
  const sorted = [...times].sort((a, b) => a - b);
  const p95Of = (list: number[]) => round(percentile([...list].sort((a, b) => a - b), 95), 4);
  return {
    queries: times.length,
    p50Ms: round(percentile(sorted, 50), 4),
    p95Ms: round(percentile(sorted, 95), 4),
    p99Ms: round(percentile(sorted, 99), 4),
    maxMs: round(sorted[sorted.length - 1]!, 4),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length, 4),
    p95ByKindMs: { word: p95Of(byKind.word), prefix: p95Of(byKind.prefix), typo: p95Of(byKind.typo) },
    withHits: round(withHits / times.length, 3),
    meanHits: round(hits / times.length, 1),
    examples: queries.slice(0, 9).map((x) => `${x.kind}: ${x.q}`),
    queryList: queries,
  };
}

/**
 * Diagnosis, not a target: the same queries against the same index with MiniSearch's prefix
 * and fuzzy expansion switched off one at a time, and how many documents each query matches
 * before runSearch() keeps the first 50. Shows where the query time goes.
 */
function diagnose(index: LanguageIndex, queries: Query[]): Record<string, unknown> {
  const variants: Record<string, SearchOptions> = {
    exact: { ...searchQueryOptions, prefix: false, fuzzy: false },
    prefixOnly: { ...searchQueryOptions, fuzzy: false },
    fuzzyOnly: { ...searchQueryOptions, prefix: false },
    serverOptions: searchQueryOptions,
  };
  const out: Record<string, unknown> = {};
  for (const [name, options] of Object.entries(variants)) {
    for (const { q } of queries.slice(0, WARMUP)) index.search.search(q, options);
    const times: number[] = [];
    let matched = 0;
    for (const { q } of queries) {
      const t0 = performance.now();
      const all = index.search.search(q, options);
      all.slice(0, 50).map((r) => ({ id: r.id as string, s: r.s, q: r.q, x: r.x, l: r.l, score: r.score, terms: r.terms }));
      times.push(performance.now() - t0);
      matched += all.length;
    }
    const sorted = times.sort((a, b) => a - b);
    out[name] = { p50Ms: round(percentile(sorted, 50), 3), p95Ms: round(percentile(sorted, 95), 3), meanMatchedDocs: Math.round(matched / queries.length) };
    checkBudget();
  }
  return out;
}

function sizes(json: string): { rawBytes: number; gzipBytes: number } {
  return { rawBytes: Buffer.byteLength(json), gzipBytes: gzipSync(json).length };
}

function timeLoad(json: string): number {
  const t0 = performance.now();
  loadIndex(json);
  return round(performance.now() - t0, 2);
}

// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'loket-bench-search-'));
const db = await openDatabase({ url: `file:${join(dir, 'bench.db')}` });
const results: Record<string, unknown> = {};
try {
  await migrateDatabase(db);
  const content = await readContent(join(ROOT, 'content'));
  const report = await importContent(db, content);
  const snapshot = await getKb(db);
  const areas = snapshot.areas.map((a) => a.slug);
  console.error(`bench:search: imported ${report.entriesCreated} entries / ${report.translationsCreated} translations (kb version ${snapshot.version})`);

  const starter: Record<string, unknown> = {};
  const generated: Record<string, unknown> = {};
  const realistic: Record<string, unknown> = {};
  for (const [li, lang] of locales.entries()) {
    const index = indexFor(snapshot, lang);
    const docs = searchDocs(snapshot, lang);
    const vocab = vocabularyOf(docs);
    const size = sizes(index.json);
    const { queryList: starterQueries, ...timing } = timeQueries(index, prng(SEED + li), vocab);
    starter[lang] = {
      entries: docs.length,
      distinctQueryWords: vocab.distinct,
      ...size,
      loadJSONMs: timeLoad(index.json),
      ...timing,
      diagnosis: diagnose(index, starterQueries),
      meetsSizeTarget: size.gzipBytes <= TARGET.starterGzipBytes,
      meetsTimeTarget: timing.p95Ms <= TARGET.starterP95Ms,
    };
    console.error(`  starter ${lang}: ${docs.length} entries, ${kb(size.rawBytes)} raw / ${kb(size.gzipBytes)} gzip, p50 ${timing.p50Ms} ms, p95 ${timing.p95Ms} ms`);

    const rand = prng(SEED * 7 + li);
    const genDocs = generateDocs(rand, lang, vocab, areas, GENERATED_ENTRIES);
    const b0 = performance.now();
    const genSearch = buildIndex(genDocs);
    const buildMs = round(performance.now() - b0, 1);
    const genJson = JSON.stringify(genSearch);
    const genIndex: LanguageIndex = { lang, kbVersion: 0, json: genJson, hash: '', urlVersion: '', search: genSearch, compressed: new Compressed(Buffer.from(genJson)) };
    const genSize = sizes(genJson);
    const { queryList: genQueries, ...genTiming } = timeQueries(genIndex, rand, vocab);
    generated[lang] = {
      entries: genDocs.length,
      ...genSize,
      buildMs,
      loadJSONMs: timeLoad(genJson),
      ...genTiming,
      diagnosis: diagnose(genIndex, genQueries),
      meetsTimeTarget: genTiming.p95Ms <= TARGET.generatedP95Ms,
    };
    console.error(`  5,000 worst case ${lang}: ${kb(genSize.rawBytes)} raw / ${kb(genSize.gzipBytes)} gzip, p50 ${genTiming.p50Ms} ms, p95 ${genTiming.p95Ms} ms`);

    const real = generateRealisticDocs(prng(SEED * 11 + li), lang, vocab, areas, GENERATED_ENTRIES);
    const r0 = performance.now();
    const realSearch = buildIndex(real.docs);
    const realBuildMs = round(performance.now() - r0, 1);
    const realJson = JSON.stringify(realSearch);
    const realIndex: LanguageIndex = { lang, kbVersion: 0, json: realJson, hash: '', urlVersion: '', search: realSearch, compressed: new Compressed(Buffer.from(realJson)) };
    const realSize = sizes(realJson);
    const { queryList: realQueries, ...realTiming } = timeQueries(realIndex, prng(SEED * 13 + li), real.queryVocab);
    realistic[lang] = {
      entries: real.docs.length,
      vocabulary: ZIPF_VOCABULARY,
      ...realSize,
      buildMs: realBuildMs,
      loadJSONMs: timeLoad(realJson),
      ...realTiming,
      diagnosis: diagnose(realIndex, realQueries),
      meetsTimeTarget: realTiming.p95Ms <= TARGET.generatedP95Ms,
    };
    console.error(`  5,000 realistic ${lang}: ${kb(realSize.rawBytes)} raw / ${kb(realSize.gzipBytes)} gzip, p50 ${realTiming.p50Ms} ms, p95 ${realTiming.p95Ms} ms`);
    checkBudget();
  }

  Object.assign(results, {
    benchmark: 'search',
    date: new Date().toISOString(),
    machine: { ...(await machine()), loadAverage1mAtStart: loadAtStart },
    code: await gitState(ROOT),
    command: 'npm run bench:search',
    seed: SEED,
    warmupQueries: WARMUP,
    targets: { starterGzipKB: 40, starterP95Ms: TARGET.starterP95Ms, generatedP95Ms: TARGET.generatedP95Ms },
    starter,
    /** the target's case: 5,000 entries with a realistic (Zipf, ~15,000-word) vocabulary */
    realistic,
    /** worst case, reported for information: 5,000 entries made only of the ~800 starter words */
    generatedWorstCase: generated,
    allTargetsMet:
      Object.values(starter).every((s) => (s as { meetsSizeTarget: boolean }).meetsSizeTarget && (s as { meetsTimeTarget: boolean }).meetsTimeTarget) &&
      Object.values(realistic).every((g) => (g as { meetsTimeTarget: boolean }).meetsTimeTarget),
  });
} finally {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}

mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/search.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
