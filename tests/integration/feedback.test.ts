// K6: "Was this helpful?" counted per entry and language, one vote per browser; bad input refused.
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const post = (body: Record<string, string> | string, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/api/feedback`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.origin, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
async function counts() {
  const client = createClient({ url: server.dbUrl });
  try {
    const votes = await client.execute('SELECT count(*) AS n FROM kb_feedback_votes');
    const rows = await client.execute(
      'SELECT e.slug, c.lang, c.yes, c.no FROM kb_feedback_counts c JOIN kb_entries e ON e.id = c.entry_id ORDER BY e.slug, c.lang',
    );
    return { votes: Number(votes.rows[0]!.n), rows: rows.rows.map((r) => `${r.slug}/${r.lang}:${r.yes}/${r.no}`) };
  } finally {
    client.close();
  }
}
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('K6: counting', () => {
  test('a "yes" is counted for the entry and language, and the browser gets a voter cookie', async () => {
    const res = await post({ entry: 'recovery-codes', lang: 'nl', helpful: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/nl/account-security/recovery-codes?feedback=yes#feedback');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/loket_voter=[A-Za-z0-9_-]{22}/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await counts()).rows).toEqual(['recovery-codes/nl:1/0']);
  });

  test('one vote per browser per entry: a second vote with the same cookie counts nothing', async () => {
    const first = await post({ entry: 'api-key', lang: 'en', helpful: 'no' });
    const cookie = cookieOf(first);
    expect(first.headers.get('location')).toContain('feedback=no');
    const before = await counts();
    const second = await post({ entry: 'api-key', lang: 'fr', helpful: 'yes' }, { Cookie: cookie });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toContain('feedback=duplicate');
    expect(await counts()).toEqual(before);
    expect(before.rows).toContain('api-key/en:0/1');
  });

  test('counts are per language; other browsers add up', async () => {
    await post({ entry: 'session-expiry', lang: 'fr', helpful: 'yes' });
    await post({ entry: 'session-expiry', lang: 'fr', helpful: 'no' });
    await post({ entry: 'session-expiry', lang: 'en', helpful: 'yes' });
    const { rows } = await counts();
    expect(rows).toContain('session-expiry/fr:1/1');
    expect(rows).toContain('session-expiry/en:1/0');
  });

  test('the "no" page offers to contact support carrying the entry', async () => {
    const page = await (await fetch(`${server.origin}/en/account-security/api-key?feedback=no`)).text();
    expect(page).toContain('href="/en/contact?entry=api-key"');
    expect(page).toContain('Contact support about this');
  });

  test('JSON clients get JSON, 409 on a repeated vote', async () => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const res = await post(JSON.stringify({ entry: 'change-email', lang: 'en', helpful: 'yes' }), headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, state: 'yes' });
    const again = await post(JSON.stringify({ entry: 'change-email', lang: 'en', helpful: 'yes' }), { ...headers, Cookie: cookieOf(res) });
    expect(again.status).toBe(409);
  });
});

describe('K6 / N2: bad input is refused with a 4xx and counts nothing', () => {
  test.each([
    ['an unknown entry', { entry: 'no-such-entry', lang: 'en', helpful: 'yes' }, 404],
    ['a wrong value', { entry: 'api-key', lang: 'en', helpful: 'maybe' }, 400],
    ['a missing value', { entry: 'api-key', lang: 'en' }, 400],
    ['an unknown language', { entry: 'api-key', lang: 'de', helpful: 'yes' }, 400],
    ['a malformed slug', { entry: '../../etc/passwd', lang: 'en', helpful: 'yes' }, 400],
    ['an empty body', {}, 400],
  ])('%s → %i', async (_name, body, status) => {
    const before = await counts();
    const res = await post(body as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect((await res.text()).length).toBeGreaterThan(10);
    expect(await counts()).toEqual(before);
  });

  test('the error is localized in the form language', async () => {
    const res = await post({ entry: 'api-key', lang: 'nl', helpful: 'misschien' });
    expect(await res.text()).toContain('We konden die feedback niet opslaan');
  });

  test('A21: a missing or foreign Origin is refused with 403', async () => {
    const before = await counts();
    for (const origin of [undefined, 'https://evil.example']) {
      const res = await fetch(`${server.origin}/api/feedback`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}) },
        body: 'entry=api-key&lang=en&helpful=yes',
      });
      expect(res.status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  test('GET does not count anything', async () => {
    const before = await counts();
    const res = await fetch(`${server.origin}/api/feedback?entry=api-key&lang=en&helpful=yes`);
    expect(res.status).toBe(405);
    expect(await counts()).toEqual(before);
  });
});
