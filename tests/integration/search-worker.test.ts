// E3 / K5 through the real server: with SEARCH_INDEX_WORKER_MIN_DOCS=0 every search index is
// built in a worker thread (scripts/search-index-worker.ts, as `npm start` runs it). Search pages
// and the index JSON are the same as an in-process build's (same ETag), and a publish reaches
// search on the next request.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createActors, type Actor, type ActorName } from '../helpers/actors.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let worker: RunningServer;
let inProcess: RunningServer;
let actors: Record<ActorName, Actor>;

beforeAll(async () => {
  [worker, inProcess] = await Promise.all([startServer({ SEARCH_INDEX_WORKER_MIN_DOCS: '0' }), startServer()]);
  actors = await createActors(worker.origin, worker.dbUrl);
}, 60_000);
afterAll(async () => {
  await Promise.all([worker?.stop(), inProcess?.stop()]);
});

describe('E3: the search index built in a worker thread', () => {
  test('K5 / E3: search and the index JSON are identical to an in-process build, in nl, en and fr', async () => {
    for (const lang of ['nl', 'en', 'fr']) {
      const [a, b] = await Promise.all([fetch(`${worker.origin}/${lang}/search-index.json`), fetch(`${inProcess.origin}/${lang}/search-index.json`)]);
      expect(a.status, lang).toBe(200);
      expect(a.headers.get('etag'), lang).toBe(b.headers.get('etag'));
      // the same results, in the same order, as the in-process build gives
      const results = async (origin: string) => /<ol class="results">[\s\S]*?<\/ol>/.exec(await (await fetch(`${origin}/${lang}/search?q=${lang === 'en' ? 'password' : lang === 'nl' ? 'wachtwoord' : 'passe'}`)).text())?.[0];
      const [mine, theirs] = await Promise.all([results(worker.origin), results(inProcess.origin)]);
      expect(mine, lang).toContain('/account-security/');
      expect(mine, lang).toBe(theirs);
    }
    expect(worker.output()).not.toContain('built in-process');
  });

  test('E3: a publish through the editor reaches the worker-built search on the next request', async () => {
    const editor = actors.editor.device;
    const page = await (await editor.get('/editor/entries/reset-password')).text();
    const revision = /name="revision" value="(\d+)"/.exec(page)![1]!;
    const field = (name: string) => new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>|name="${name}"[^>]*value="([^"]*)"`).exec(page);
    const question = field('q-en')![2]!;
    const form: Record<string, string> = { action: 'publish-en', revision, 'q-en': question.replace(/&#39;/g, "'"), 'a-en': 'Use the quokkathread link we email you.' };
    for (const tag of page.matchAll(/name="(tag-en-[a-z0-9-]+)"[^>]*checked/g)) form[tag[1]!] = 'on';
    const res = await editor.post('/editor/entries/reset-password', form);
    expect(res.status, await res.clone().text()).toBe(303);
    const search = await (await fetch(`${worker.origin}/en/search?q=quokkathread`)).text();
    expect(search).toContain('/en/account-security/reset-password');
    expect(worker.output()).not.toContain('built in-process');
  });
});
