// SECURITY-CHECKLIST items that span the whole app rather than one flow: no forced rotation
// (8), no hints or security questions (10), production cookie flags (41), no GET changes state
// (42), no Referer from token pages (43), no secret in any log line or error page (44).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PASSWORD = 'Amber-Lantern-47';
let server: RunningServer;
/** Every secret this file hands to or gets from the app; none may appear in the server output. */
const secretsSeen: string[] = [PASSWORD];

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function register(email: string, device = new Device(server.origin)) {
  expect((await device.post('/en/signup', { name: 'Checklist Tester', email, password: PASSWORD })).status).toBe(303);
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  secretsSeen.push(code);
  return { device, code };
}
async function registerAndVerify(email: string) {
  const { device, code } = await register(email);
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
  return device;
}
async function signIn(device: Device, email: string, password = PASSWORD) {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password });
}
const userRow = async (email: string) => (await query(server.dbUrl, 'SELECT * FROM users WHERE email = ?', [email]))[0]!;
const linkToken = (text: string, path: string) => new RegExp(`${path}\\?token=([a-z2-7]+\\.[a-z2-7]+)`).exec(text)![1]!;

describe('V6.2.10 (checklist 8): no forced periodic rotation', () => {
  test('V6.2.10: a password set five years ago still signs in straight to the account, with no prompt to change it', async () => {
    const email = 'old-password@example.com';
    await registerAndVerify(email);
    const fiveYearsAgo = Date.now() - 5 * 365 * 24 * 60 * 60_000;
    await query(server.dbUrl, 'UPDATE users SET created_at = ?, updated_at = ?, email_verified_at = ? WHERE email = ?', [fiveYearsAgo, fiveYearsAgo, fiveYearsAgo, email]);
    const device = new Device(server.origin);
    const res = await signIn(device, email);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/account');
    const account = await device.get('/en/account');
    expect(account.status).toBe(200);
    expect(await account.text()).not.toMatch(/expired|must change|change your password now/i);
  });
});

describe('V6.4.2 (checklist 10): no password hints or security questions', () => {
  test('V6.4.2: no account form in any language asks for a hint or a security question', async () => {
    const device = await registerAndVerify('no-hints@example.com');
    expect((await signIn(device, 'no-hints@example.com')).status).toBe(303);
    const names = new Set<string>();
    for (const lang of ['nl', 'en', 'fr']) {
      const pages = [`/${lang}/sign`, `/${lang}/signup`, `/${lang}/login`, `/${lang}/recover`, `/${lang}/verify`, `/${lang}/account`, `/${lang}/account/api-key`];
      for (const path of pages) {
        const res = await (path.includes('/account') ? device : new Device(server.origin)).get(path);
        expect(res.status, path).toBe(200);
        const html = await res.text();
        for (const m of html.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)) names.add(m[1]!);
        expect(html, path).not.toMatch(/security question|password hint|geheime vraag|beveiligingsvraag|wachtwoordhint|question secrète|question de sécurité|indice de mot de passe/i);
      }
      // the password step of the identifier-first sign-in
      const step = await new Device(server.origin).post(`/${lang}/login`, { step: 'email', email: 'no-hints@example.com' });
      for (const m of (await step.text()).matchAll(/<input\b[^>]*\bname="([^"]+)"/g)) names.add(m[1]!);
    }
    expect([...names].filter((n) => /hint|question|answer|secret/i.test(n))).toEqual([]);
  });

  test('V6.4.2: no UI string in nl, en or fr mentions a password hint or a security question', () => {
    for (const lang of ['nl', 'en', 'fr']) {
      const strings = readFileSync(resolve(ROOT, `src/i18n/${lang}.json`), 'utf8') + readFileSync(resolve(ROOT, `src/i18n/mail/${lang}.json`), 'utf8');
      expect(strings).not.toMatch(/security question|password hint|geheime vraag|beveiligingsvraag|wachtwoordhint|question secrète|question de sécurité|indice de mot de passe/i);
    }
  });
});

describe('V3.5.3 (checklist 42): no GET changes state', () => {
  test('V3.5.3: opening the verification, unlock and reset links and /logout with GET changes nothing', async () => {
    // verification link: the account stays unverified until the POST
    const { device } = await register('get-verify@example.com');
    const verifyToken = linkToken((await latestMail(server.dbUrl, 'get-verify@example.com', 'verify-email'))!.text, 'verify');
    secretsSeen.push(verifyToken);
    expect((await device.get(`/en/verify?token=${verifyToken}`)).status).toBe(200);
    expect((await userRow('get-verify@example.com')).email_verified_at).toBeNull();

    // unlock link: the account stays locked until the POST
    const email = 'get-unlock@example.com';
    await registerAndVerify(email);
    for (let i = 0; i < 10; i++) await signIn(new Device(server.origin), email, 'Wrong-Password-9');
    expect((await userRow(email)).locked_at).not.toBeNull();
    const unlockToken = linkToken((await latestMail(server.dbUrl, email, 'account-locked'))!.text, 'unlock');
    secretsSeen.push(unlockToken);
    expect((await new Device(server.origin).get(`/en/unlock?token=${unlockToken}`)).status).toBe(200);
    expect((await userRow(email)).locked_at).not.toBeNull();

    // reset link: the password hash stays as it was until the POST
    const resetEmail = 'get-reset@example.com';
    await registerAndVerify(resetEmail);
    const before = (await userRow(resetEmail)).password_hash;
    await new Device(server.origin).post('/en/recover', { email: resetEmail });
    const resetToken = linkToken((await latestMail(server.dbUrl, resetEmail, 'password-reset'))!.text, 'reset');
    secretsSeen.push(resetToken);
    expect((await new Device(server.origin).get(`/en/reset?token=${resetToken}`)).status).toBe(200);
    expect((await userRow(resetEmail)).password_hash).toBe(before);
    const usedAt = await query(server.dbUrl, "SELECT used_at FROM one_time_tokens WHERE purpose = 'password-reset' AND id = ?", [resetToken.split('.')[0]!]);
    expect(usedAt[0]!.used_at).toBeNull();

    // /logout: a GET keeps the session
    const signedIn = new Device(server.origin);
    expect((await signIn(signedIn, resetEmail)).status).toBe(303);
    expect((await signedIn.get('/en/logout')).status).not.toBe(303);
    expect((await signedIn.get('/en/account')).status).toBe(200);
  });
});

describe('V3.4.5 (checklist 43): pages whose URL holds a token send no Referer', () => {
  test('V3.4.5: the verification, reset, unlock and email-confirmation pages send Referrer-Policy: no-referrer', async () => {
    const token = `${'a'.repeat(24)}.${'b'.repeat(52)}`;
    for (const lang of ['nl', 'en', 'fr']) {
      for (const path of ['verify', 'reset', 'unlock', 'account/confirm-email']) {
        const res = await new Device(server.origin).get(`/${lang}/${path}?token=${token}`);
        expect(res.headers.get('referrer-policy'), `${lang}/${path}`).toBe('no-referrer');
        expect(res.headers.get('cache-control'), `${lang}/${path}`).toBe('no-store');
      }
    }
  });
});

describe('V3.3.1–V3.3.4 (checklist 41): the production session cookie', () => {
  test('V3.3.1–V3.3.4: behind https the cookie is __Host-session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const publicOrigin = 'https://help.example.test';
    const https = await startServer({ TRUST_PROXY: '1', PUBLIC_ORIGIN: publicOrigin });
    try {
      const device = new Device(https.origin);
      const originHeader = { Origin: publicOrigin };
      const email = 'secure-cookie@example.com';
      await device.post('/en/signup', { name: 'Secure Cookie', email, password: PASSWORD }, originHeader);
      const code = /\b(\d{6})\b/.exec((await latestMail(https.dbUrl, email, 'verify-email'))!.text)![1]!;
      expect((await device.post('/en/verify', { action: 'code', code }, originHeader)).status).toBe(303);
      await device.post('/en/login', { step: 'email', email }, originHeader);
      const res = await device.post('/en/login', { step: 'password', email, password: PASSWORD }, originHeader);
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='))!;
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
      // and it is the cookie the server reads
      expect((await device.get('/en/account')).status).toBe(200);
    } finally {
      await https.stop();
    }
  });
});

describe('A21 (checklist 44): no secret in any log line or error page', () => {
  test('A21: a malformed token or a bad form never echoes the secret it was given', async () => {
    const bogus = `${'c'.repeat(24)}.${'d'.repeat(52)}`;
    for (const path of ['verify', 'reset', 'unlock', 'account/confirm-email']) {
      const res = await new Device(server.origin).post(`/en/${path}`, { token: bogus, action: 'link', password: 'Sunny-Meadow-83' });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      const body = await res.text();
      expect(body, path).not.toContain('Sunny-Meadow-83');
      expect(body, path).not.toContain('d'.repeat(52));
    }
    secretsSeen.push('Sunny-Meadow-83', 'd'.repeat(52));
  });

  test('A21: no password, code, token or link secret used in this file appears in the server output', () => {
    expect(secretsSeen.length).toBeGreaterThan(5);
    const output = server.output();
    for (const secret of secretsSeen) expect(output).not.toContain(secret);
  });
});
