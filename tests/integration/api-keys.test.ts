// A17 against the real server: Account → API key creates, regenerates (revoking the old key at
// once) and revokes a personal key, shown once; GET /api/v1/me proves it. A21: sudo mode, origin
// check, rate limits; A12: a wrong password counts toward the lock and changes nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Quiet-Harbour-63';
const PAGE = '/en/account/api-key';
const KEY = /loket_[a-z2-7]{16,64}_[a-z2-7]{16,128}/;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function registerAndVerify(email: string) {
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: 'Key Tester', email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
}
async function signIn(device: Device, email: string) {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password: PASSWORD });
}
async function signedIn(email: string) {
  await registerAndVerify(email);
  const device = new Device(server.origin);
  await signIn(device, email);
  return device;
}
const sessionIdOf = (device: Device) => device.cookies.get('session')!.split('.')[0]!;
const makeStale = (device: Device) => query(server.dbUrl, 'UPDATE sessions SET reauthenticated_at = ? WHERE id = ?', [Date.now() - 16 * 60_000, sessionIdOf(device)]);
const me = (key: string | null, ip = '203.0.113.10') =>
  fetch(`${server.origin}/api/v1/me`, { headers: { 'X-Forwarded-For': ip, ...(key === null ? {} : { Authorization: `Bearer ${key}` }) } });
async function createKey(device: Device, form: Record<string, string> = {}) {
  const res = await device.post(PAGE, { action: 'create', ...form });
  const body = await res.text();
  return { res, body, key: KEY.exec(body)?.[0] };
}
const storedKeyId = async (email: string) =>
  (await query(server.dbUrl, 'SELECT k.key_id FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.email = ?', [email]))[0]?.key_id ?? null;

describe('A17: creating and using a personal API key', () => {
  test('A17: the page needs a sign-in', async () => {
    const res = await new Device(server.origin).get(PAGE);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/en/login?next=${encodeURIComponent(PAGE)}`);
  });

  test('A17: a created key is shown once and works on /api/v1/me; afterwards the page shows only its prefix', async () => {
    const email = 'api-create@example.com';
    const device = await signedIn(email);
    const page = await device.get(PAGE);
    expect(await page.text()).toContain('Create key');
    const { res, body, key } = await createKey(device);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(key).toBeDefined();
    expect(body).toContain('Copy it now, it will not be shown again');
    expect(body).toMatch(new RegExp(`<input[^>]*id="new-api-key"[^>]*readonly`));

    const ok = await me(key!);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const user = (await query(server.dbUrl, 'SELECT id, username, name FROM users WHERE email = ?', [email]))[0]!;
    expect(await ok.json()).toEqual({ id: user.id, username: user.username, name: user.name });

    const [, keyId, secret] = /^loket_([a-z2-7]+)_([a-z2-7]+)$/.exec(key!)!;
    const later = await (await device.get(PAGE)).text();
    expect(later).toContain(`loket_${keyId}_…`);
    expect(later).not.toContain(secret);
    expect(later).toContain('Regenerate key');
    const stored = await query(server.dbUrl, 'SELECT * FROM api_keys WHERE key_id = ?', [keyId!]);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  test('A17: regenerating revokes the old key at once; the new key works', async () => {
    const device = await signedIn('api-regen@example.com');
    const first = (await createKey(device)).key!;
    expect((await me(first)).status).toBe(200);
    const second = await createKey(device);
    expect(second.res.status).toBe(200);
    expect(second.body).toContain('The old key no longer works');
    expect(second.key).not.toBe(first);
    expect((await me(first)).status).toBe(401);
    expect((await me(second.key!)).status).toBe(200);
  });

  test('A17: a revoked key is refused at once', async () => {
    const device = await signedIn('api-revoke@example.com');
    const key = (await createKey(device)).key!;
    const res = await device.post(PAGE, { action: 'revoke' });
    expect(res.status).toBe(200);
    expect((await me(key)).status).toBe(401);
    expect(await storedKeyId('api-revoke@example.com')).toBeNull();
  });
});

describe('A17 / A21: sudo mode before creating or regenerating', () => {
  test('A21: more than 15 minutes after a confirmation, no password is refused and nothing changes; the right password works', async () => {
    const email = 'api-sudo@example.com';
    const device = await signedIn(email);
    const first = (await createKey(device)).key!;
    await makeStale(device);
    const page = await (await device.get(PAGE)).text();
    expect(page).toMatch(/<input[^>]*name="password"[^>]*type="password"/);
    const refused = await createKey(device);
    expect(refused.res.status).toBe(403);
    expect(refused.body).toContain('confirm your password');
    expect(refused.key).toBeUndefined();
    expect((await me(first)).status).toBe(200);
    expect(await storedKeyId(email)).toBe(/^loket_([a-z2-7]+)_/.exec(first)![1]);

    const ok = await createKey(device, { password: PASSWORD });
    expect(ok.res.status).toBe(200);
    expect((await me(first)).status).toBe(401);
    expect((await me(ok.key!)).status).toBe(200);
    const reauth = Number((await query(server.dbUrl, 'SELECT reauthenticated_at FROM sessions WHERE id = ?', [sessionIdOf(device)]))[0]!.reauthenticated_at);
    expect(reauth).toBeGreaterThan(Date.now() - 60_000);
  });

  test('A12 / A21: a wrong password is refused with a localized error, changes nothing and counts toward the lock', async () => {
    const email = 'api-wrong@example.com';
    const device = await signedIn(email);
    const first = (await createKey(device)).key!;
    await makeStale(device);
    const wrong = await createKey(device, { password: 'Not-My-Password-9' });
    expect(wrong.res.status).toBe(400);
    expect(wrong.body).toContain('That is not your password');
    expect(wrong.key).toBeUndefined();
    expect((await me(first)).status).toBe(200);
    const userId = String((await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]))[0]!.id);
    expect(Number((await query(server.dbUrl, 'SELECT count FROM rate_limits WHERE key = ?', [`wrong-password:${userId}`]))[0]!.count)).toBe(1);
    const events = await query(server.dbUrl, "SELECT count(*) AS n FROM security_events WHERE user_id = ? AND type = 'api-key.change-failed'", [userId]);
    expect(Number(events[0]!.n)).toBe(1);

    const fr = await device.post('/fr/account/api-key', { action: 'create', password: 'Not-My-Password-9' });
    expect(fr.status).toBe(400);
    expect(await fr.text()).toContain('pas votre mot de passe');
  });

  test('A21: a cross-site post is refused (403) and changes nothing', async () => {
    const email = 'api-csrf@example.com';
    const device = await signedIn(email);
    const res = await device.post(PAGE, { action: 'create' }, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await storedKeyId(email)).toBeNull();
  });
});

describe('A17: /api/v1/me refuses anything but a valid key', () => {
  test('A17: no key, a garbage key, or another user’s key id with a wrong secret get a JSON 401 with WWW-Authenticate: Bearer', async () => {
    const device = await signedIn('api-401@example.com');
    const key = (await createKey(device)).key!;
    const [, keyId, secret] = /^loket_([a-z2-7]+)_([a-z2-7]+)$/.exec(key)!;
    const tampered = `loket_${keyId}_${secret!.slice(0, -1)}${secret!.endsWith('a') ? 'b' : 'a'}`;
    for (const attempt of [null, 'garbage', `loket_${keyId}_${'a'.repeat(52)}`, tampered]) {
      const res = await me(attempt);
      expect(res.status, String(attempt)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    }
    // A session cookie is not an API key.
    const cookie = [...device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await fetch(`${server.origin}/api/v1/me`, { headers: { Cookie: cookie, 'X-Forwarded-For': '203.0.113.11' } })).status).toBe(401);
  });

  test('A17 / A21: /api/v1/me is rate-limited per IP (429 with Retry-After)', async () => {
    const ip = '203.0.113.200';
    let last: Response | undefined;
    for (let i = 0; i < 121; i++) {
      last = await me('garbage', ip);
      if (last.status === 429) break;
      await last.body?.cancel();
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('cache-control')).toBe('no-store');
  });
});

describe('N4: the page in every language', () => {
  test.each([
    ['nl', 'API-sleutel'],
    ['en', 'API key'],
    ['fr', 'Clé API'],
  ])('N4: /%s/account/api-key is titled %s', async (lang, title) => {
    const device = await signedIn(`api-${lang}@example.com`);
    const body = await (await device.get(`/${lang}/account/api-key`)).text();
    expect(body).toContain(`<h1>${title}</h1>`);
    expect(body).not.toMatch(/apiKey\.\w+/);
  });
});
