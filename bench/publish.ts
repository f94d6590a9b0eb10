// `npm run bench:publish` — E3: how long an editor's publish takes to reach visitors, and what it
// costs the visitors reading other pages meanwhile; for the starter knowledge base (82 entries ×
// 3 languages, imported by the app at start as `npm start` does) and for 5,000 entries per language.
//
//  1. Starts the real app (`node scripts/start.ts`, bench/live.ts startApp). For the 5,000-entry
//     knowledge base the database file is filled first, with the app's own import module
//     (importContent: rendered HTML, revisions, one kb version): the starter content plus 4,918
//     entries in 50 more areas, written by the realistic generator of bench:search (bench/corpus.ts).
//  2. Makes an editor (bench/live.ts member: session cookie, 2FA passed), warms the HTML cache and
//     the three search indexes, then starts the background visitors: 10 loops, each asking for
//     other entries' pages (30 pages: 10 entries × nl/en/fr, anonymous, so the HTML cache serves
//     them) one after another with 10 ms between requests.
//  3. N times: publishes a changed English answer holding a new unique word through the real
//     form post (POST /editor/entries/{slug}, action publish-en, the revision and all three
//     columns as the page's form carries them), then, one after another, polls as fast as it can
//       - the entry page until it shows the word,
//       - /en/search?q=<word> until it lists the entry,
//       - /en/search-index.json until its ETag is new and the index holds the word,
//     recording for each the time since the 303 and the latency of the first request that showed
//     the change. The background visitors' requests that start between the POST and 500 ms after
//     the last check are "after a publish"; all others (from the first publish on) are "steady".
//  4. Stops the app, then times the pieces of the reload in this process on the same database
//     (snapshot load, per language: search documents, MiniSearch build, JSON, hash, brotli, gzip).
// The 5,000-entry case runs twice: with the background visitors, then (diagnosis) without them —
// what one publish costs when only the English pages are asked for.
// Prints a readable summary on stdout and writes bench/out/publish.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { locales, type Locale } from '../src/i18n/locales.ts';
import { fieldIds } from '../src/lib/editor-forms.ts';
import { openDatabase, type Db } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { loadEditorEntry } from '../src/server/editor/entries.ts';
import { Compressed } from '../src/server/http/compress.ts';
import { readContent, type AreaFile, type EntryFile } from '../src/server/kb/content-files.ts';
import { importContent } from '../src/server/kb/import.ts';
import { buildIndex, searchDocs } from '../src/server/kb/search-index.ts';
import { getKb } from '../src/server/kb/snapshot.ts';
import { capitalize, generateRealisticTexts, vocabularyOf } from './corpus.ts';
import { arrange, member, processCpuSeconds, ROOT, rssMb, sleep, startApp, stopProcess } from './live.ts';
import { buildFreshness, gitState, loadAverage, machine, percentile, pick, prng, round } from './util.ts';

const SEED = 20261201;
const TARGET_ENTRY = { area: 'account-security', slug: 'password-requirements' };
const LARGE_ENTRIES_PER_LANGUAGE = 5_000;
const LARGE_EXTRA_AREAS = 50;
const KBS = [
  { name: 'starter', large: false, iterations: 20, visitors: true },
  { name: `${LARGE_ENTRIES_PER_LANGUAGE} entries`, large: true, iterations: 10, visitors: true },
  // Diagnosis: the same without the background visitors, i.e. what the publish costs by itself.
  { name: `${LARGE_ENTRIES_PER_LANGUAGE} entries, no background visitors`, large: true, iterations: 5, visitors: false },
] as const;
const BACKGROUND = { loops: 10, thinkMs: 10, entries: 10 };
const STEADY_MS = 2_000; // quiet time before each publish
const WINDOW_TAIL_MS = 500; // the "after a publish" window runs until this long after the last check
const POLL_LIMIT_MS = 30_000;
const BREAKDOWN_REPS = 2;
const TIME_BUDGET_MS = 5 * 60_000;
// Browser-like: the app compresses what it serves (src/server/http/compress.ts).
const ACCEPT = { 'Accept-Encoding': 'gzip, deflate, br' };

const started = performance.now();
const loadAtStart = await loadAverage();
const build = buildFreshness(ROOT);
if (build.sourceNewerThanBuild) console.error('bench:publish: warning — src/ changed after dist/ was built; the app measured is the built one');
const log = (line: string) => console.error(`bench:publish: ${line}`);
function checkBudget(): void {
  if (performance.now() - started > TIME_BUDGET_MS) throw new Error(`bench:publish exceeded its ${TIME_BUDGET_MS / 1000} s budget`);
}

// ------------------------------------------------------------------------------------------ http

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request was sent, when the headers arrived, when the body ended */
  sentAt: number;
  headersAt: number;
  endAt: number;
}

function send(agent: Agent, origin: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  const url = new URL(origin + path);
  return new Promise((resolvePromise, reject) => {
    const sentAt = performance.now();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const headersAt = performance.now();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), sentAt, headersAt, endAt: performance.now() }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function text(reply: Reply): string {
  const encoding = reply.headers['content-encoding'];
  const raw = encoding === 'br' ? brotliDecompressSync(reply.body) : encoding === 'gzip' ? gunzipSync(reply.body) : reply.body;
  return raw.toString('utf8');
}

/** Polls `path` as fast as possible (one request after the other) until `shows` says yes. */
async function pollUntil(agent: Agent, origin: string, path: string, shows: (reply: Reply) => boolean, since: number) {
  for (let attempts = 1; ; attempts++) {
    const reply = await send(agent, origin, 'GET', path, ACCEPT);
    if (reply.status !== 200) throw new Error(`GET ${path}: HTTP ${reply.status}`);
    if (shows(reply)) return { attempts, reply, sinceSubmitMs: reply.endAt - since, requestMs: reply.endAt - reply.sentAt };
    if (reply.endAt - since > POLL_LIMIT_MS) throw new Error(`GET ${path}: the change did not show in ${POLL_LIMIT_MS / 1000} s`);
  }
}

// ------------------------------------------------------------------------------- 5,000 entries

/**
 * Fills a fresh database with the starter content plus generated entries up to `perLanguage`
 * entries in each language, through the app's import module (one batch, rendered HTML).
 */
async function fillLargeKb(dbUrl: string, perLanguage: number): Promise<Record<string, number>> {
  const t0 = performance.now();
  const db = await openDatabase({ url: dbUrl });
  try {
    await migrateDatabase(db);
    const starter = await readContent(join(ROOT, 'content'));
    await importContent(db, starter);
    const kb = await getKb(db);
    const count = perLanguage - kb.entries.length;
    const areaSlugs = Array.from({ length: LARGE_EXTRA_AREAS }, (_, k) => `topic-${k + 1}`);
    const texts = Object.fromEntries(
      locales.map((lang, li) => [lang, generateRealisticTexts(prng(SEED + li), vocabularyOf(searchDocs(kb, lang)), areaSlugs, count).texts]),
    ) as Record<Locale, ReturnType<typeof generateRealisticTexts>['texts']>;
    const generated = performance.now();
    const firstWords = (s: string, n: number) => s.replace(/[?.]$/, '').split(' ').slice(0, n).join(' ');
    const areas: AreaFile[] = locales.flatMap((lang) =>
      areaSlugs.map((area, k) => ({ lang, area, path: '(generated)', order: 100 + k, title: capitalize(firstWords(texts[lang][k]!.question, 3)), description: `${firstWords(texts[lang][k]!.answer, 12)}.` })),
    );
    // One entry has the same slug and area in every language (the Dutch text's area: the source language).
    const entries: EntryFile[] = locales.flatMap((lang) =>
      texts[lang].map((e, i) => ({ lang, area: texts.nl[i]!.area, slug: `generated-${i + 1}`, path: '(generated)', order: i, question: e.question, answer: e.answer, tags: e.tags })),
    );
    const report = await importContent(db, { areas, entries });
    const after = await getKb(db);
    return {
      entriesPerLanguage: after.entries.length,
      generatedEntries: report.entriesCreated,
      translationsWritten: report.translationsCreated,
      areas: after.areas.length,
      generateMs: Math.round(generated - t0),
      importMs: Math.round(performance.now() - generated),
    };
  } finally {
    db.$client.close();
  }
}

// ----------------------------------------------------------------------------------- statistics

const stats = (values: number[], digits = 1) => {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50), digits), p95: round(percentile(s, 95), digits), max: round(s.at(-1) ?? NaN, digits) };
};
const latencyStats = (values: number[]) => ({ ...stats(values, 2), p99: round(percentile([...values].sort((a, b) => a - b), 99), 2) });

interface BackgroundSample {
  start: number;
  ms: number;
  hit: boolean;
  ok: boolean;
}

// ------------------------------------------------------------------------------ one knowledge base

async function measureKb({ name, large, iterations, visitors }: (typeof KBS)[number]) {
  const fill: { report?: Record<string, number> } = {};
  log(`${name}: starting the app${large ? ' (filling the database first)' : ''}`);
  const app = await startApp('publish', {}, large ? async (dbUrl) => void (fill.report = await fillLargeKb(dbUrl, LARGE_ENTRIES_PER_LANGUAGE)) : undefined);
  const prepared = fill.report ?? null;
  if (prepared) log(`${name}: ${JSON.stringify(prepared)}`);
  const db = await arrange(app.dbUrl);
  const editor = await member(db, 'editor', 1);
  const rand = prng(SEED + (large ? 2 : 1));
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const editorHeaders = { Cookie: editor.cookie, Origin: app.origin, 'Content-Type': 'application/x-www-form-urlencoded' };
  const entryPath = `/en/${TARGET_ENTRY.area}/${TARGET_ENTRY.slug}`;
  const resultLink = `href="${entryPath}"`;

  // Background pages: 10 other entries, each in nl, en and fr.
  const rows = (await db.$client.execute('SELECT e.slug AS slug, a.slug AS area FROM kb_entries e JOIN kb_areas a ON a.id = e.area_id WHERE e.slug <> ? ORDER BY e.id', [TARGET_ENTRY.slug])).rows;
  const chosen = new Set<number>();
  while (chosen.size < BACKGROUND.entries) chosen.add(Math.floor(rand() * rows.length));
  const pages = [...chosen].flatMap((i) => locales.map((lang) => `/${lang}/${rows[i]!.area}/${rows[i]!.slug}`));

  // Warm-up: every page rendered and cached, every index built and compressed.
  const warm = performance.now();
  for (const path of [...pages, entryPath, ...pages, entryPath, '/en/search?q=password']) {
    const r = await send(agent, app.origin, 'GET', path, ACCEPT);
    if (r.status !== 200) throw new Error(`warm-up GET ${path}: HTTP ${r.status}\n${app.output()}`);
  }
  const etags: Partial<Record<Locale, string>> = {};
  for (const lang of locales) etags[lang] = String((await send(agent, app.origin, 'GET', `/${lang}/search-index.json`, ACCEPT)).headers.etag);
  const firstEtags = { ...etags };
  const warmUpMs = Math.round(performance.now() - warm);

  // Background visitors.
  const samples: BackgroundSample[] = [];
  let running = true;
  const bgAgent = new Agent({ keepAlive: true, maxSockets: BACKGROUND.loops });
  const loops = Array.from({ length: visitors ? BACKGROUND.loops : 0 }, async (_, k) => {
    for (let n = k; running; n += BACKGROUND.loops) {
      const path = pages[n % pages.length]!;
      try {
        const r = await send(bgAgent, app.origin, 'GET', path, ACCEPT);
        samples.push({ start: r.sentAt, ms: r.endAt - r.sentAt, hit: r.headers['loket-cache'] === 'hit', ok: r.status === 200 });
      } catch {
        samples.push({ start: performance.now(), ms: NaN, hit: false, ok: false });
      }
      await sleep(BACKGROUND.thinkMs);
    }
  });

  const original = (await loadEditorEntry(db, TARGET_ENTRY.slug))?.langs.en.published?.answerMd;
  if (!original) throw new Error(`no published en text of ${TARGET_ENTRY.slug}`);
  const publishOnce = async (n: number) => {
    const entry = await loadEditorEntry(db, TARGET_ENTRY.slug);
    if (!entry) throw new Error(`no entry ${TARGET_ENTRY.slug}`);
    const word = `zq${Array.from({ length: 8 }, () => pick(rand, [...'abcdefghijklmnopqrstuvwxyz'])).join('')}`;
    // The form as the editor page carries it: the revision and the three columns (the publish action saves, then publishes en).
    const form: Record<string, string> = { revision: String(entry.editRevision), action: 'publish-en' };
    for (const lang of locales) {
      const current = entry.langs[lang].draft ?? entry.langs[lang].published;
      if (!current) continue;
      const ids = fieldIds(lang);
      form[ids.question] = current.question;
      form[ids.answer] = lang === 'en' ? `Update ${n}: ${word}.\n\n${original}` : current.answerMd;
      for (const tag of current.tags) form[ids.tag(tag)] = 'on';
    }
    const post = await send(agent, app.origin, 'POST', `/editor/entries/${TARGET_ENTRY.slug}`, editorHeaders, new URLSearchParams(form).toString());
    const expected = `/editor/entries/${TARGET_ENTRY.slug}?done=published&lang=en`;
    if (post.status !== 303 || post.headers.location !== expected) throw new Error(`publish ${n}: HTTP ${post.status} → ${post.headers.location} (expected 303 → ${expected})\n${text(post).slice(0, 2000)}`);
    const at303 = post.headersAt;
    const page = await pollUntil(agent, app.origin, entryPath, (r) => text(r).includes(word), at303);
    const search = await pollUntil(agent, app.origin, `/en/search?q=${word}`, (r) => text(r).includes(resultLink), at303);
    const index = await pollUntil(agent, app.origin, '/en/search-index.json', (r) => r.headers.etag !== etags.en && text(r).includes(word), at303);
    etags.en = String(index.reply.headers.etag);
    return {
      word,
      postSentAt: post.sentAt,
      checksDoneAt: index.reply.endAt,
      publishMs: at303 - post.sentAt,
      entryPage: { sinceSubmitMs: page.sinceSubmitMs, requestMs: page.requestMs, attempts: page.attempts, cache: String(page.reply.headers['loket-cache'] ?? ''), bytes: text(page.reply).length },
      search: { sinceSubmitMs: search.sinceSubmitMs, requestMs: search.requestMs, attempts: search.attempts },
      searchIndex: { sinceSubmitMs: index.sinceSubmitMs, requestMs: index.requestMs, attempts: index.attempts, encoding: String(index.reply.headers['content-encoding'] ?? 'identity'), bytes: index.reply.body.length },
    };
  };

  // One publish to warm the editor's code paths (not counted), then the measured ones.
  await sleep(STEADY_MS);
  await publishOnce(0);
  await sleep(WINDOW_TAIL_MS);
  const measureFrom = performance.now();
  const cpu0 = processCpuSeconds(app.child.pid);
  const rssSamples: number[] = [];
  const runs: Awaited<ReturnType<typeof publishOnce>>[] = [];
  for (let n = 1; n <= iterations; n++) {
    await sleep(STEADY_MS);
    const run = await publishOnce(n);
    runs.push(run);
    await sleep(WINDOW_TAIL_MS);
    const rss = rssMb(app.child.pid);
    if (rss !== null) rssSamples.push(rss);
    log(`${name}: publish ${n}/${iterations}: POST ${run.publishMs.toFixed(1)} ms, page after ${run.entryPage.sinceSubmitMs.toFixed(1)} ms (request ${run.entryPage.requestMs.toFixed(1)} ms), search after ${run.search.sinceSubmitMs.toFixed(1)} ms, index after ${run.searchIndex.sinceSubmitMs.toFixed(1)} ms`);
    checkBudget();
  }
  const measureTo = performance.now();
  const cpu1 = processCpuSeconds(app.child.pid);
  running = false;
  await Promise.all(loops);
  const nlEtagEnd = String((await send(agent, app.origin, 'GET', '/nl/search-index.json', ACCEPT)).headers.etag);
  const frEtagEnd = String((await send(agent, app.origin, 'GET', '/fr/search-index.json', ACCEPT)).headers.etag);
  agent.destroy();
  bgAgent.destroy();
  db.$client.close();
  await stopProcess(app);

  // Background visitors: after a publish (POST sent → last check + tail) versus steady.
  const windows = runs.map((r) => ({ from: r.postSentAt, to: r.checksDoneAt + WINDOW_TAIL_MS }));
  const inWindow = (s: BackgroundSample) => windows.findIndex((w) => s.start >= w.from && s.start < w.to);
  const measured = samples.filter((s) => s.start >= measureFrom && s.start < measureTo);
  const after = measured.filter((s) => inWindow(s) >= 0);
  const steady = measured.filter((s) => inWindow(s) < 0);
  const describe = (list: BackgroundSample[]) => ({
    requests: list.length,
    failed: list.filter((s) => !s.ok).length,
    renderedNotCached: list.filter((s) => s.ok && !s.hit).length,
    over100ms: list.filter((s) => s.ok && s.ms > 100).length,
    latencyMs: latencyStats(list.filter((s) => s.ok).map((s) => s.ms)),
  });
  const perPublishWorst = windows.map((_, i) => Math.max(0, ...after.filter((s) => inWindow(s) === i && s.ok).map((s) => s.ms)));
  // The longest time in each window during which no background request was answered: the server not answering anyone.
  const longestSilence = windows.map((w) => {
    const done = samples.filter((s) => s.ok && s.start + s.ms >= w.from && s.start + s.ms < w.to).map((s) => s.start + s.ms).sort((a, b) => a - b);
    let gap = 0;
    let previous = w.from;
    for (const at of [...done, w.to]) {
      gap = Math.max(gap, at - previous);
      previous = at;
    }
    return gap;
  });
  const seconds = (measureTo - measureFrom) / 1000;

  const breakdown = await timeReload(app.dbUrl);
  return {
    knowledgeBase: name,
    prepared,
    warmUpMs,
    iterations,
    publishRequestMs: stats(runs.map((r) => r.publishMs)),
    entryPage: {
      sinceSubmitMs: stats(runs.map((r) => r.entryPage.sinceSubmitMs)),
      firstShowingRequestMs: stats(runs.map((r) => r.entryPage.requestMs)),
      requestsNeeded: stats(runs.map((r) => r.entryPage.attempts), 0),
      cacheHeaderOfFirstShowing: [...new Set(runs.map((r) => r.entryPage.cache))],
      htmlBytes: runs.at(-1)?.entryPage.bytes,
    },
    search: {
      sinceSubmitMs: stats(runs.map((r) => r.search.sinceSubmitMs)),
      firstShowingRequestMs: stats(runs.map((r) => r.search.requestMs)),
      requestsNeeded: stats(runs.map((r) => r.search.attempts), 0),
    },
    searchIndexJson: {
      sinceSubmitMs: stats(runs.map((r) => r.searchIndex.sinceSubmitMs)),
      firstShowingRequestMs: stats(runs.map((r) => r.searchIndex.requestMs)),
      requestsNeeded: stats(runs.map((r) => r.searchIndex.attempts), 0),
      encoding: runs[0]?.searchIndex.encoding,
      bytesOnTheWire: runs.at(-1)?.searchIndex.bytes,
    },
    background: !visitors ? null : {
      loops: BACKGROUND.loops,
      thinkMs: BACKGROUND.thinkMs,
      pages: pages.length,
      requestsPerSecond: round(measured.length / seconds, 0),
      steady: describe(steady),
      afterPublish: { ...describe(after), windowMs: stats(windows.map((w) => w.to - w.from)), longestSilencePerPublishMs: stats(longestSilence) },
      worstPerPublishMs: stats(perPublishWorst),

    },
    /** An English publish leaves the Dutch and French indexes' content unchanged (same ETag), though each is rebuilt (see breakdown). */
    otherLanguagesIndexUnchanged: { nl: firstEtags.nl === nlEtagEnd, fr: firstEtags.fr === frEtagEnd },
    server: {
      cpuCores: cpu0 === null || cpu1 === null ? null : round((cpu1 - cpu0) / seconds, 2),
      rssMbMax: rssSamples.length ? Math.max(...rssSamples) : null,
      rssMbEnd: rssSamples.at(-1) ?? null,
    },
    reloadBreakdownInProcess: breakdown,
    runs: runs.map(({ postSentAt: _p, checksDoneAt: _c, ...r }) => ({
      ...r,
      publishMs: round(r.publishMs, 1),
      entryPage: { ...r.entryPage, sinceSubmitMs: round(r.entryPage.sinceSubmitMs, 1), requestMs: round(r.entryPage.requestMs, 1) },
      search: { ...r.search, sinceSubmitMs: round(r.search.sinceSubmitMs, 1), requestMs: round(r.search.requestMs, 1) },
      searchIndex: { ...r.searchIndex, sinceSubmitMs: round(r.searchIndex.sinceSubmitMs, 1), requestMs: round(r.searchIndex.requestMs, 1) },
    })),
  };
}

/**
 * What the server does after a publish, timed piece by piece in this process (same Node, no
 * load) on the knowledge base the run left: the snapshot load (getKb on a fresh handle), and per
 * language what indexFor() does — search documents, MiniSearch build, JSON, SHA-256 — plus the
 * brotli and gzip forms the first compressed /{lang}/search-index.json request makes.
 */
async function timeReload(dbUrl: string) {
  let last: Record<string, unknown> = {};
  for (let rep = 0; rep < BREAKDOWN_REPS; rep++) {
    const db: Db = await openDatabase({ url: dbUrl });
    try {
      const t0 = performance.now();
      const kb = await getKb(db);
      const snapshotMs = performance.now() - t0;
      const perLanguage: Record<string, Record<string, number>> = {};
      for (const lang of locales) {
        const times: number[] = [performance.now()];
        const docs = searchDocs(kb, lang);
        times.push(performance.now());
        const search = buildIndex(docs);
        times.push(performance.now());
        const json = JSON.stringify(search);
        times.push(performance.now());
        createHash('sha256').update(json).digest('hex');
        times.push(performance.now());
        const compressed = new Compressed(Buffer.from(json));
        const br = compressed.body('br').body.length;
        times.push(performance.now());
        const gz = compressed.body('gzip').body.length;
        times.push(performance.now());
        const step = (i: number) => round(times[i + 1]! - times[i]!, 1);
        perLanguage[lang] = { docsMs: step(0), buildMs: step(1), jsonMs: step(2), sha256Ms: step(3), indexForTotalMs: round(times[4]! - times[0]!, 1), brotliMs: step(4), gzipMs: step(5), jsonBytes: json.length, brotliBytes: br, gzipBytes: gz };
      }
      last = { entries: kb.entries.length, snapshotLoadMs: round(snapshotMs, 1), perLanguage };
    } finally {
      db.$client.close();
    }
  }
  return { repetitions: BREAKDOWN_REPS, lastRepetition: last };
}

// ------------------------------------------------------------------------------------------- run

const results = [];
for (const kb of KBS) {
  results.push(await measureKb(kb));
  checkBudget();
}

const host = await machine();
const summary = {
  benchmark: 'publish',
  date: new Date().toISOString(),
  machine: { ...host, loadAverage1mAtStart: loadAtStart },
  code: await gitState(ROOT),
  build,
  command: 'npm run bench:publish',
  method: {
    publish: `POST /editor/entries/${TARGET_ENTRY.slug} (action publish-en), the English answer changed to hold a new word`,
    checks: 'one after another after the 303: entry page, /en/search?q=<word>, /en/search-index.json (new ETag + word); each polled back to back',
    background: `${BACKGROUND.loops} loops × GET of ${BACKGROUND.entries} other entries in nl/en/fr, ${BACKGROUND.thinkMs} ms between requests; after a publish = started between the POST and ${WINDOW_TAIL_MS} ms after the last check`,
    acceptEncoding: ACCEPT['Accept-Encoding'],
    steadyMsBeforeEachPublish: STEADY_MS,
  },
  results,
  durationS: round((performance.now() - started) / 1000, 1),
};
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/publish.json'), `${JSON.stringify(summary, null, 2)}\n`);

// A readable summary (the JSON above has everything).
const row = (label: string, s: { p50: number; p95: number; max: number }) => `  ${label.padEnd(52)} ${String(s.p50).padStart(9)} ${String(s.p95).padStart(9)} ${String(s.max).padStart(9)}`;
const lines = [
  `bench:publish — ${summary.date}, commit ${summary.code.commit}${summary.code.uncommittedAppFiles.length ? ' (+ uncommitted app files)' : ''}, ${host.cores} cores, ${host.node}, load ${loadAtStart} → ${host.loadAverage1mAtEnd}`,
];
for (const r of results) {
  const b = r.background;
  const br = r.reloadBreakdownInProcess.lastRepetition as { snapshotLoadMs: number; perLanguage: Record<string, { indexForTotalMs: number; brotliMs: number }> };
  lines.push(
    '',
    `${r.knowledgeBase} (${r.iterations} publishes)${r.prepared ? ` — ${JSON.stringify(r.prepared)}` : ''}`,
    `  ${'ms'.padEnd(52)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`,
    row('publish POST → 303', r.publishRequestMs),
    row('303 → entry page shows the word', r.entryPage.sinceSubmitMs),
    row('  that GET (snapshot reload + index + render)', r.entryPage.firstShowingRequestMs),
    row('303 → /en/search lists the entry (after the page)', r.search.sinceSubmitMs),
    row('  that GET', r.search.firstShowingRequestMs),
    row('303 → search-index.json new (after the search)', r.searchIndexJson.sinceSubmitMs),
    row('  that GET', r.searchIndexJson.firstShowingRequestMs),
    `  in-process: snapshot load ${br.snapshotLoadMs} ms; index build (docs+MiniSearch+JSON+hash) ${locales.map((l) => `${l} ${br.perLanguage[l]!.indexForTotalMs}`).join(', ')} ms; brotli ${locales.map((l) => `${l} ${br.perLanguage[l]!.brotliMs}`).join(', ')} ms`,
    `  nl/fr index content unchanged by the en publishes: ${JSON.stringify(r.otherLanguagesIndexUnchanged)}; server CPU ${r.server.cpuCores} cores, RSS max ${r.server.rssMbMax} MB`,
  );
  if (b)
    lines.push(
      `  background visitors (${b.requestsPerSecond} req/s): steady p50 ${b.steady.latencyMs.p50} / p99 ${b.steady.latencyMs.p99} / max ${b.steady.latencyMs.max} ms (${b.steady.requests} requests, ${b.steady.renderedNotCached} rendered)`,
      `    after a publish (window p50 ${b.afterPublish.windowMs.p50} ms): p50 ${b.afterPublish.latencyMs.p50} / p99 ${b.afterPublish.latencyMs.p99} / max ${b.afterPublish.latencyMs.max} ms (${b.afterPublish.requests} requests, ${b.afterPublish.renderedNotCached} rendered); worst per publish p50 ${b.worstPerPublishMs.p50} / max ${b.worstPerPublishMs.max} ms; nothing answered for up to p50 ${b.afterPublish.longestSilencePerPublishMs.p50} / max ${b.afterPublish.longestSilencePerPublishMs.max} ms`,
    );
}
lines.push('', `full JSON: bench/out/publish.json (${summary.durationS} s)`);
console.log(lines.join('\n'));
