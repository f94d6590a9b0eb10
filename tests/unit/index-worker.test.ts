// E3: the search index built in a worker thread is the very index built in-process (same JSON,
// so the same ETag), and a worker that cannot run is reported so the caller builds in-process.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildIndexJsonInWorker, workerMinDocs, workerScript } from '../../src/server/kb/index-worker.ts';
import { buildIndex, indexForRequest, searchDocs } from '../../src/server/kb/search-index.ts';
import { getKb, type KbSnapshot } from '../../src/server/kb/snapshot.ts';
import { starterKb } from '../helpers/kb.ts';

let handle: Awaited<ReturnType<typeof starterKb>>;
let kb: KbSnapshot;
beforeAll(async () => {
  handle = await starterKb();
  kb = await getKb(handle.db);
});
afterAll(() => handle.close());

describe('E3: building the search index off the event loop', () => {
  test('E3: the worker builds byte-for-byte the index the server builds in-process, in every language', async () => {
    expect(workerScript()).toMatch(/scripts[\\/]search-index-worker\.ts$/);
    for (const lang of ['nl', 'en', 'fr'] as const) {
      const docs = searchDocs(kb, lang);
      expect(await buildIndexJsonInWorker(docs)).toBe(JSON.stringify(buildIndex(docs)));
    }
  });

  test('E3: the event loop keeps running while a worker builds a large index', async () => {
    const base = searchDocs(kb, 'en');
    const docs = Array.from({ length: 30 }, (_, n) => base.map((d) => ({ ...d, id: `${d.id}-${n}` }))).flat(); // ~2,500 documents
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await buildIndexJsonInWorker(docs);
    const took = performance.now() - started;
    clearInterval(timer);
    // An in-process build blocks the event loop for the whole build: the timer would not fire
    // at all until it is over. Here it kept firing while the worker built (a loose bound, so a
    // busy machine that delays timers does not fail it).
    expect(took).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  test('E3: a missing worker script is an error the caller can fall back from; the threshold is read from SEARCH_INDEX_WORKER_MIN_DOCS', async () => {
    await expect(buildIndexJsonInWorker([], null)).rejects.toThrow(/not found/);
    await expect(buildIndexJsonInWorker([], '/nonexistent/worker.ts')).rejects.toThrow();
    expect(workerMinDocs({})).toBe(1000);
    expect(workerMinDocs({ SEARCH_INDEX_WORKER_MIN_DOCS: '0' })).toBe(0);
    expect(workerMinDocs({ SEARCH_INDEX_WORKER_MIN_DOCS: 'lots' })).toBe(1000);
  });

  test('E3: concurrent requests for one new index share one build', async () => {
    const saved = process.env.SEARCH_INDEX_WORKER_MIN_DOCS;
    process.env.SEARCH_INDEX_WORKER_MIN_DOCS = '0';
    try {
      const { importContent } = await import('../../src/server/kb/import.ts');
      await importContent(handle.db, {
        areas: [{ lang: 'en', area: 'getting-started', title: 'Getting started', description: 'Find your way around the help center', order: 3, path: 'x' }],
        entries: [{ lang: 'en', area: 'getting-started', slug: 'worker-built', question: 'Was this index built by the quokkaworker?', tags: ['search'], order: 998, answer: 'Yes, off the event loop.', path: 'x' }],
      });
      const fresh = await getKb(handle.db);
      const [a, b] = await Promise.all([indexForRequest(fresh, 'en'), indexForRequest(fresh, 'en')]);
      expect(a).toBe(b);
      expect(a.search.search('quokkaworker')[0]?.id).toBe('worker-built');
    } finally {
      if (saved === undefined) delete process.env.SEARCH_INDEX_WORKER_MIN_DOCS;
      else process.env.SEARCH_INDEX_WORKER_MIN_DOCS = saved;
    }
  });
});
