// Small helpers shared by the benchmarks: a seeded PRNG, percentiles, formatting.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a tiny deterministic PRNG, good enough for picking benchmark inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(rand() * list.length)]!;
}

/** Nearest-rank percentile of an ascending-sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A short description of the machine for the results file. */
export async function machine(): Promise<Record<string, string | number>> {
  const os = await import('node:os');
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage1mAtEnd: round(os.loadavg()[0]!, 2),
  };
}

/** 1-minute load average: the machine may be shared, so every result records it. */
export async function loadAverage(): Promise<number> {
  const os = await import('node:os');
  return round(os.loadavg()[0]!, 2);
}

/** Which code was measured: the commit, and app files changed since (the tree may be in flux). */
export async function gitState(root: string): Promise<{ commit: string; uncommittedAppFiles: string[] }> {
  const { spawnSync } = await import('node:child_process');
  const run = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', timeout: 10_000 }).stdout?.trim() ?? '';
  const dirty = run(['status', '--porcelain', '--', 'src', 'scripts', 'db', 'content', 'astro.config.mjs', 'package.json'])
    .split('\n')
    .filter(Boolean);
  return { commit: run(['rev-parse', '--short', 'HEAD']) || 'unknown', uncommittedAppFiles: dirty };
}

/** Newest modification time (ms) of the files under `path`, bounded in count. */
function newestMtime(path: string, budget = { files: 5000 }): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (--budget.files < 0) break;
    newest = Math.max(newest, newestMtime(join(path, name), budget));
  }
  return newest;
}

/** When dist/ was built, and whether src/ (or the Astro config) changed after: then the app measured is not the code in the tree. */
export function buildFreshness(root: string): { builtAt: string; sourceNewerThanBuild: boolean } {
  const builtAt = statSync(join(root, 'dist/server/entry.mjs')).mtimeMs;
  const sourceChangedAt = Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'astro.config.mjs')));
  return { builtAt: new Date(builtAt).toISOString(), sourceNewerThanBuild: sourceChangedAt > builtAt };
}
