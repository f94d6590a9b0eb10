// E3 / K5: a published change is served without a rebuild or restart — pages, the HTML cache and
// the search index all follow the knowledge-base version in the database.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = '/en/account-security/password-requirements';

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

function importContent(dir: string) {
  const r = spawnSync(process.execPath, ['scripts/content-import.ts', dir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: server.dbUrl },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  let value = await fn();
  while (!ok(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await fn();
  }
  return value;
}

describe('the HTML cache in front of the app', () => {
  test('a knowledge-base page is rendered once, then served from the cache with an ETag', async () => {
    const first = await fetch(server.origin + ENTRY);
    const body = await first.text();
    const second = await fetch(server.origin + ENTRY);
    expect(second.headers.get('loket-cache')).toBe('hit');
    expect(await second.text()).toBe(body);
    const etag = second.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const revalidated = await fetch(server.origin + ENTRY, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
  });

  test('personal requests (a session cookie) and non-KB pages never come from the cache', async () => {
    await fetch(server.origin + ENTRY);
    const personal = await fetch(server.origin + ENTRY, { headers: { Cookie: '__Host-session=abc.def' } });
    expect(personal.headers.get('loket-cache')).not.toBe('hit');
    await fetch(`${server.origin}/en/search?q=password`);
    const search = await fetch(`${server.origin}/en/search?q=password`);
    expect(search.headers.get('loket-cache')).toBeNull();
    const feedbackState = await fetch(`${server.origin}${ENTRY}?feedback=yes`);
    await feedbackState.text();
    expect((await fetch(`${server.origin}${ENTRY}?feedback=yes`)).headers.get('loket-cache')).toBeNull();
  });
});

describe('compression and static assets', () => {
  test('cached pages, the search index and client assets are compressed for clients that accept it', async () => {
    await fetch(server.origin + ENTRY);
    const identity = await (await fetch(server.origin + ENTRY, { headers: { 'Accept-Encoding': 'identity' } })).text();
    const br = await fetch(server.origin + ENTRY, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(await br.text()).toBe(identity); // fetch decompresses
    const gz = await fetch(server.origin + ENTRY, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('etag')).not.toBe(br.headers.get('etag'));

    const index = await fetch(`${server.origin}/en/search-index.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(index.headers.get('content-encoding')).toBe('gzip');
    expect((await index.json()).documentCount).toBeGreaterThan(45);

    const script = /component-url="(\/_astro\/[^"]+\.js)"/.exec(identity)![1]!;
    const asset = await fetch(server.origin + script, { headers: { 'Accept-Encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(await asset.text()).toMatch(/import|export/);
    expect((await fetch(`${server.origin}/_astro/missing.js`)).status).toBe(404);
  });

  test('HTML declares its charset', async () => {
    expect((await fetch(`${server.origin}/nl/search?q=x`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('E3: a change is live at once, without a rebuild or restart', () => {
  test('re-importing changed content updates the page, the area, the search page and the index', async () => {
    const indexUrl = (html: string) => /\/en\/search-index\.json\?v=[0-9a-f]{16}/.exec(html)![0];
    const before = await (await fetch(server.origin + ENTRY)).text();
    const oldIndex = indexUrl(before);

    const dir = join(server.dir, 'content');
    cpSync(join(ROOT, 'content'), dir, { recursive: true });
    const file = join(dir, 'en/account-security/password-requirements.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n---\n/, '\n---\nXylophone-grade passwords are welcome. '));
    const result = importContent(dir);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toMatch(/translations \+0 ~1/);

    const page = await poll(
      async () => (await fetch(server.origin + ENTRY)).text(),
      (html) => html.includes('Xylophone-grade'),
    );
    expect(page).toContain('Xylophone-grade');
    expect(indexUrl(page)).not.toBe(oldIndex);
    const area = await (await fetch(`${server.origin}/en/account-security/`)).text();
    expect(area).toContain('Xylophone-grade');
    const search = await (await fetch(`${server.origin}/en/search?q=xylophone`)).text();
    expect(search).toContain(`href="${ENTRY}"`);
    const index = await (await fetch(server.origin + indexUrl(page))).text();
    expect(index).toContain('xylophone');
    expect((await fetch(server.origin + oldIndex)).headers.get('cache-control')).toContain('must-revalidate');
  });

  test('E4: importing the same content again changes nothing', () => {
    const dir = join(server.dir, 'content');
    const result = importContent(dir);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toMatch(/already up to date/);
  });

  test('N2: importing broken content is refused with every problem named, and the site is unchanged', async () => {
    const dir = join(server.dir, 'content');
    writeFileSync(join(dir, 'en/account-security/broken.md'), '---\nquestion: x\ntags: [nope]\norder: 1\n---\n');
    const before = await (await fetch(server.origin + ENTRY)).text();
    const result = importContent(dir);
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/broken\.md/);
    expect(await (await fetch(server.origin + ENTRY)).text()).toBe(before);
  });
});
