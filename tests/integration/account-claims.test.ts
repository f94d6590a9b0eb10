// Claims of the Account & Security articles that need the real server: resending the
// verification email (A2), re-authentication before ending all other sessions (A11, A21),
// and what is not offered (A20).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Quiet-Harbour-63';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function registerAndVerify(email: string) {
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: 'Claims Tester', email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
}
async function signIn(device: Device, email: string) {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password: PASSWORD });
}
const mailCount = async (email: string) => Number((await query(server.dbUrl, 'SELECT count(*) AS n FROM mail_outbox WHERE "to" = ?', [email]))[0]!.n);

describe('A2: resending the verification email', () => {
  test('a new email brings a new code that works (the old one no longer does); resending is rate-limited', async () => {
    const email = 'resend@example.com';
    const device = new Device(server.origin);
    await device.post('/en/signup', { name: 'Resend', email, password: PASSWORD });
    const first = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    const resent = await device.post('/en/verify', { action: 'resend' });
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain('we sent a new email');
    const second = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    expect(await mailCount(email)).toBe(2);
    for (let i = 0; i < 4; i++) await device.post('/en/verify', { action: 'resend' });
    expect(await mailCount(email)).toBe(4); // 1 at sign-up + 3 resends in 15 minutes, then no more
    const latest = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    if (first !== latest) expect((await device.post('/en/verify', { action: 'code', code: first })).status).toBe(400);
    void second;
    expect((await device.post('/en/verify', { action: 'code', code: latest })).status).toBe(303);
  });

  test('resending for an address that is already registered sends nothing and looks the same', async () => {
    const email = 'resend-known@example.com';
    await registerAndVerify(email);
    const before = await mailCount(email);
    const device = new Device(server.origin);
    await device.post('/en/signup', { name: 'Other', email, password: PASSWORD });
    const res = await device.post('/en/verify', { action: 'resend' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('we sent a new email');
    expect(await mailCount(email)).toBe(before + 1); // only the "account exists" notice of the registration
  });
});

describe('A11 / A21: ending all other sessions needs a recent sign-in', () => {
  test('within 15 minutes of signing in it works; later it asks to sign in again and ends nothing', async () => {
    const email = 'sudo@example.com';
    await registerAndVerify(email);
    const a = new Device(server.origin);
    const b = new Device(server.origin);
    const c = new Device(server.origin);
    await signIn(a, email);
    await signIn(b, email);
    await signIn(c, email);
    const current = a.cookies.get('session')!.split('.')[0]!;
    await query(server.dbUrl, 'UPDATE sessions SET reauthenticated_at = ? WHERE id = ?', [Date.now() - 16 * 60_000, current]);
    const refused = await a.post('/en/account', { action: 'end-others' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('sign in again');
    expect((await b.get('/en/account')).status).toBe(200);
    await query(server.dbUrl, 'UPDATE sessions SET reauthenticated_at = ? WHERE id = ?', [Date.now() - 5 * 60_000, current]);
    const ok = await a.post('/en/account', { action: 'end-others' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('2 other sessions were ended.');
    expect((await b.get('/en/account')).status).toBe(302);
    expect((await c.get('/en/account')).status).toBe(302);
    expect((await a.get('/en/account')).status).toBe(200);
  });
});

describe('A20: what is not offered', () => {
  test('sign-in offers email and password only: no single sign-on provider', async () => {
    for (const lang of ['nl', 'en', 'fr']) {
      const body = await (await fetch(`${server.origin}/${lang}/sign`)).text();
      const forms = body.match(/<form[^>]*method="post"[^>]*>/g) ?? [];
      expect(forms.map((f) => /action="([^"]+)"/.exec(f)?.[1]).sort()).toEqual([`/${lang}/login`, `/${lang}/signup`]);
      expect(body).not.toMatch(/oauth|openid|saml|sign in with (google|microsoft|apple)/i);
    }
  });

  test('the account page has no IP restrictions, team members or notification switches', async () => {
    const email = 'not-offered@example.com';
    await registerAndVerify(email);
    const device = new Device(server.origin);
    await signIn(device, email);
    const body = await (await device.get('/en/account')).text();
    expect(body).not.toMatch(/name="(allowed_ips|ip_allowlist|team|member|notifications?|notify)[^"]*"/i);
    expect(body).not.toMatch(/type="checkbox"/);
  });
});
