// E3: a large search index is built in a worker thread (scripts/search-index-worker.ts), so a
// publish does not stop the server from answering other visitors while the index is made (at
// 5,000 entries a build is ~650 ms; bench/RESULTS.md section 7). Small knowledge bases build
// in-process: below SEARCH_INDEX_WORKER_MIN_DOCS documents a thread costs more than it saves.
// If the worker cannot run (its file missing, it fails), the caller builds in-process.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SearchDoc } from '../../lib/search.ts';

/** From how many documents a language's index is built in a worker thread (default 1,000). */
export function workerMinDocs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SEARCH_INDEX_WORKER_MIN_DOCS ?? '');
  return Number.isFinite(n) && env.SEARCH_INDEX_WORKER_MIN_DOCS?.trim() ? n : 1000;
}

/** The worker script: next to the project's scripts (the server runs from the project folder). */
export function workerScript(root = process.env.LOKET_ROOT ?? process.cwd()): string | null {
  const file = resolve(root, 'scripts/search-index-worker.ts');
  return existsSync(file) ? file : null;
}

/** The index JSON for `docs`, built in a worker thread; rejects if the worker cannot do it. */
export function buildIndexJsonInWorker(docs: SearchDoc[], script = workerScript()): Promise<string> {
  if (!script) return Promise.reject(new Error('search index worker script not found'));
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(script);
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.once('message', (answer: { ok: true; json: string } | { ok: false; error: string }) =>
      finish(() => (answer.ok ? resolvePromise(answer.json) : reject(new Error(`search index worker: ${answer.error}`)))),
    );
    worker.once('error', (error) => finish(() => reject(error)));
    worker.once('exit', (code) => finish(() => reject(new Error(`search index worker exited with ${code}`))));
    worker.postMessage(docs);
  });
}
