// `npm run bench:pages` — an entry page under load, against a bare node:http baseline, and the
// JavaScript an entry page ships.
//
//  1. Starts the real app (`node scripts/start.ts`, fresh temp database) and measures the JS
//     reachable from the entry page: <script src>, inline <script>, the astro-island
//     component-url / renderer-url / before-hydration-url modules, <link rel=modulepreload>,
//     and every /_astro/*.js reachable from those (static imports, dynamic import() targets —
//     e.g. the MiniSearch chunk the search box loads on focus — and Vite's preload lists).
//  2. Loads the entry page with autocannon: 50 connections, 2 s warm-up, then 10 s measured.
//  3. Stops the app, then starts a bare node:http server in its own process answering with
//     the very same bytes and content type, and loads it the same way.
// Prints a JSON summary and writes bench/out/pages.json.
import autocannon from 'autocannon';
import type { Result } from 'autocannon';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, startProcess, stopProcess } from './live.ts';
import { buildFreshness, gitState, loadAverage, machine, round } from './util.ts';

const ENTRY_PATH = '/en/account-security/password-requirements';
const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 10;
const MAX_JS_FILES = 200;
const TARGET = { ratio: 0.5, jsGzipBytes: 20 * 1024 };

const loadAtStart = await loadAverage();
const dir = mkdtempSync(join(tmpdir(), 'loket-bench-pages-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------- load test

interface LoadResult {
  url: string;
  requestsPerSec: number;
  requestsPerSecFromTotal: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAvgMs: number;
  latencyMaxMs: number;
  totalRequests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  throughputMBps: number;
  /** share of one core used during the measured 10 s: the load generator (this process) and the server */
  clientCpuCores: number;
  serverCpuCores: number | null;
  /** requests served per CPU-second of the server: independent of whether the load generator was the limit */
  requestsPerServerCpuSecond: number | null;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

function cannon(url: string, seconds: number, headers: Record<string, string> = {}): Promise<Result> {
  const run = autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1, timeout: 10, headers });
  const guard = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`autocannon did not finish in ${seconds + 30} s`)), (seconds + 30) * 1000).unref(),
  );
  return Promise.race([run, guard]);
}

async function load(url: string, serverPid: number | undefined, headers: Record<string, string> = {}): Promise<LoadResult> {
  await cannon(url, WARMUP_S, headers);
  const client0 = process.cpuUsage();
  const server0 = processCpuSeconds(serverPid);
  const wall0 = performance.now();
  const r = await cannon(url, DURATION_S, headers);
  const wall = (performance.now() - wall0) / 1000;
  const client = process.cpuUsage(client0);
  const server1 = processCpuSeconds(serverPid);
  return {
    url,
    requestsPerSec: round(r.requests.average, 1),
    requestsPerSecFromTotal: round(r.latency.totalCount / r.duration, 1),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyAvgMs: round(r.latency.average, 2),
    latencyMaxMs: r.latency.max,
    totalRequests: r.latency.totalCount,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    throughputMBps: round(r.throughput.average / 1024 / 1024, 2),
    clientCpuCores: round((client.user + client.system) / 1e6 / wall, 2),
    serverCpuCores: server0 === null || server1 === null ? null : round((server1 - server0) / wall, 2),
    requestsPerServerCpuSecond: server0 === null || server1 === null || server1 === server0 ? null : Math.round(r.latency.totalCount / (server1 - server0)),
  };
}

// ------------------------------------------------------------------------- JavaScript shipped

function decodeAttr(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function attrsOf(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs.set(m[1]!.toLowerCase(), decodeAttr(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:\{[^}]*\}|\*\s*as\s+[\w$]+|\*|[\w$]+(?:\s*,\s*(?:\{[^}]*\}|\*\s*as\s+[\w$]+))?)?\s*(?:from\s*)?["'`]([^"'`\s]+)["'`]/g;
const DYNAMIC_IMPORT = /(?:^|[^\w$.])import\s*\(\s*["'`]([^"'`\s]+)["'`]\s*\)/g;
// Any other string literal naming a JS file: Vite's __vite__mapDeps preload lists ("_astro/x.js").
const JS_LITERAL = /["'`]((?:\.{1,2}\/|\/|_astro\/)[^"'`\s]+\.m?js)["'`]/g;

interface JsFile {
  url: string;
  rawBytes: number;
  gzipBytes: number;
  /** eager: loaded with the page (script tags, islands, their static imports); lazy: only via import() / preload lists */
  loading: 'eager' | 'lazy';
  reachedFrom: string;
  via: 'page' | 'static import' | 'dynamic import' | 'preload list';
}

async function measureJs(origin: string, html: string): Promise<Record<string, unknown>> {
  const inline: Array<{ rawBytes: number; gzipBytes: number; type: string; start: string }> = [];
  const notJs: Array<{ type: string; rawBytes: number }> = [];
  const roots: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = attrsOf(m[1]!);
    const type = (attrs.get('type') ?? '').toLowerCase();
    if (attrs.has('src')) roots.push(attrs.get('src')!);
    else if (type === '' || type === 'module' || type.includes('javascript')) {
      const body = m[2]!;
      if (body.trim()) inline.push({ rawBytes: Buffer.byteLength(body), gzipBytes: gzipSync(body).length, type: type || 'classic', start: body.slice(0, 60) });
    } else notJs.push({ type, rawBytes: Buffer.byteLength(m[2]!) });
  }
  for (const m of html.matchAll(/<astro-island\b([^>]*)>/gi)) {
    const attrs = attrsOf(m[1]!);
    for (const name of ['component-url', 'renderer-url', 'before-hydration-url']) {
      const v = attrs.get(name);
      if (v) roots.push(v);
    }
  }
  for (const m of html.matchAll(/<link\b([^>]*)>/gi)) {
    const attrs = attrsOf(m[1]!);
    if ((attrs.get('rel') ?? '').toLowerCase() === 'modulepreload' && attrs.get('href')) roots.push(attrs.get('href')!);
  }

  const pageUrl = new URL(ENTRY_PATH, origin);
  const resolveRef = (ref: string, from: URL): URL | null => {
    const u = ref.startsWith('_astro/') ? new URL(`/${ref}`, origin) : new URL(ref, from);
    return u.origin === origin && /\.m?js$/.test(u.pathname) ? u : null;
  };

  const files = new Map<string, JsFile>();
  const texts = new Map<string, string>();
  const unreachableRefs: string[] = [];
  // Breadth-first, eager edges first: a file counts as eager if any static path reaches it.
  const queue: Array<{ url: URL; loading: JsFile['loading']; reachedFrom: string; via: JsFile['via'] }> = [];
  for (const ref of roots) {
    const u = resolveRef(ref, pageUrl);
    if (u) queue.push({ url: u, loading: 'eager', reachedFrom: ENTRY_PATH, via: 'page' });
    else unreachableRefs.push(ref);
  }
  const fetchText = async (u: URL) => {
    const key = u.pathname;
    if (!texts.has(key)) {
      const res = await fetch(u);
      if (!res.ok) throw new Error(`GET ${u.pathname}: HTTP ${res.status}`);
      texts.set(key, Buffer.from(await res.arrayBuffer()).toString('utf8'));
    }
    return texts.get(key)!;
  };
  for (let steps = 0; queue.length && steps < MAX_JS_FILES * 20; steps++) {
    // eager items first, so a file reachable both ways is counted as eager
    queue.sort((a, b) => (a.loading === b.loading ? 0 : a.loading === 'eager' ? -1 : 1));
    const item = queue.shift()!;
    const key = item.url.pathname;
    const known = files.get(key);
    if (known && (known.loading === 'eager' || item.loading === 'lazy')) continue;
    if (files.size >= MAX_JS_FILES) throw new Error(`more than ${MAX_JS_FILES} JS files reachable — stopping`);
    const text = await fetchText(item.url);
    files.set(key, {
      url: key,
      rawBytes: Buffer.byteLength(text),
      gzipBytes: gzipSync(text).length,
      loading: item.loading,
      reachedFrom: item.reachedFrom,
      via: item.via,
    });
    const seen = new Set<string>();
    const push = (ref: string, via: JsFile['via'], loading: JsFile['loading']) => {
      const u = resolveRef(ref, item.url);
      if (!u || seen.has(u.pathname)) return;
      seen.add(u.pathname);
      queue.push({ url: u, loading, reachedFrom: key, via });
    };
    for (const m of text.matchAll(STATIC_IMPORT)) push(m[1]!, 'static import', item.loading);
    for (const m of text.matchAll(DYNAMIC_IMPORT)) push(m[1]!, 'dynamic import', 'lazy');
    for (const m of text.matchAll(JS_LITERAL)) push(m[1]!, 'preload list', 'lazy');
  }

  const list = [...files.values()].sort((a, b) => (a.loading === b.loading ? b.gzipBytes - a.gzipBytes : a.loading === 'eager' ? -1 : 1));
  const sum = (xs: Array<{ rawBytes: number; gzipBytes: number }>) => ({
    rawBytes: xs.reduce((s, x) => s + x.rawBytes, 0),
    gzipBytes: xs.reduce((s, x) => s + x.gzipBytes, 0),
  });
  const total = sum([...list, ...inline]);
  return {
    note: 'gzip = node:zlib gzipSync (level 6) per file, summed; the app itself serves these uncompressed',
    total,
    eagerOnPageLoad: sum([...list.filter((f) => f.loading === 'eager'), ...inline]),
    lazy: sum(list.filter((f) => f.loading === 'lazy')),
    inlineScripts: inline,
    files: list,
    nonJsScriptTags: notJs,
    skippedRefs: unreachableRefs,
    meetsTarget: total.gzipBytes <= TARGET.jsGzipBytes,
  };
}

// ----------------------------------------------------------------------------------------- run

const entry = join(ROOT, 'dist/server/entry.mjs');
let built = 'existing dist/';
if (!existsSync(entry)) {
  console.error('bench:pages: no build in dist/ — running `npx astro build`');
  const r = spawnSync('npx', ['astro', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) throw new Error('astro build failed');
  built = 'built by this run';
}

const build = { dist: built, ...buildFreshness(ROOT) };
if (build.sourceNewerThanBuild) console.error('bench:pages: warning — src/ changed after dist/ was built; the app measured is the built one');

const app = await startProcess('app', ['scripts/start.ts'], {
  ...process.env,
  HOST: '127.0.0.1',
  PORT: '0',
  DATABASE_URL: `file:${join(dir, 'bench.db')}`,
  ASTRO_TELEMETRY_DISABLED: '1',
});
const appUrl = `${app.origin}${ENTRY_PATH}`;
const first = await fetch(appUrl);
if (first.status !== 200) throw new Error(`GET ${ENTRY_PATH}: HTTP ${first.status}\n${app.output()}`);
const html = Buffer.from(await first.arrayBuffer());
const contentType = first.headers.get('content-type') ?? 'text/html';
const secondRes = await fetch(appUrl);
const second = Buffer.from(await secondRes.arrayBuffer());
const page = {
  path: ENTRY_PATH,
  status: first.status,
  contentType,
  contentEncoding: first.headers.get('content-encoding') ?? 'none',
  cacheControl: first.headers.get('cache-control'),
  htmlRawBytes: html.length,
  htmlGzipBytes: gzipSync(html).length,
  identicalOnSecondRequest: html.equals(second),
  /** the app's HTML cache (src/server/http/page-cache.ts): "kb" = rendered and stored, "hit" = served from it */
  loketCacheFirstRequest: first.headers.get('loket-cache'),
  loketCacheSecondRequest: secondRes.headers.get('loket-cache'),
};
console.error(`bench:pages: app at ${app.origin}, ${ENTRY_PATH}: ${html.length} B (${contentType})`);

const js = await measureJs(app.origin, html.toString('utf8'));
console.error(`bench:pages: JS shipped ${(js.total as { gzipBytes: number }).gzipBytes} B gzip`);

console.error(`bench:pages: loading the app (${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s)`);
const appLoad = await load(appUrl, app.child.pid);
// Informational, not a target: the same page with a session cookie, which the HTML cache never
// serves (signed-in visitors), i.e. what rendering the page through Astro costs.
console.error('bench:pages: loading the app with a session cookie (HTML cache bypassed)');
const appUncachedLoad = await load(appUrl, app.child.pid, { cookie: 'session=bench-not-a-real-session' });
await stopProcess(app);

const bodyFile = join(dir, 'entry.html');
writeFileSync(bodyFile, html);
const baseline = await startProcess('baseline', ['bench/baseline-server.ts', bodyFile, contentType], { ...process.env });
const check = Buffer.from(await (await fetch(`${baseline.origin}${ENTRY_PATH}`)).arrayBuffer());
if (!check.equals(html)) throw new Error('baseline does not serve the same bytes');
console.error(`bench:pages: loading the baseline at ${baseline.origin}`);
const baseLoad = await load(`${baseline.origin}${ENTRY_PATH}`, baseline.child.pid);
await stopProcess(baseline);

const ratio = round(appLoad.requestsPerSec / baseLoad.requestsPerSec, 3);
const summary = {
  benchmark: 'pages',
  date: new Date().toISOString(),
  machine: { ...(await machine()), loadAverage1mAtStart: loadAtStart },
  code: await gitState(ROOT),
  command: 'npm run bench:pages',
  build,
  load: { connections: CONNECTIONS, warmupSeconds: WARMUP_S, durationSeconds: DURATION_S, tool: 'autocannon 9 (programmatic), in the bench process' },
  targets: { appToBaselineRatio: TARGET.ratio, jsGzipKB: TARGET.jsGzipBytes / 1024 },
  page,
  app: appLoad,
  baseline: baseLoad,
  ratio,
  meetsRatioTarget: ratio >= TARGET.ratio,
  /** If a run's clientCpuCores is ~1.0, autocannon (one core) was the limit, not the server: compare per server CPU-second too. */
  ratioPerServerCpuSecond:
    appLoad.requestsPerServerCpuSecond && baseLoad.requestsPerServerCpuSecond
      ? round(appLoad.requestsPerServerCpuSecond / baseLoad.requestsPerServerCpuSecond, 3)
      : null,
  appWithSessionCookie: { ...appUncachedLoad, ratioToBaseline: round(appUncachedLoad.requestsPerSec / baseLoad.requestsPerSec, 3) },
  javascript: js,
};

mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/pages.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
