// A5 / A13: Forgot password and Recover account, through the real server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query, waitForMailLink } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Maple-Syrup-58';
const NEW_PASSWORD = 'Brand-New-Kettle-91';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function registerAndVerify(email: string) {
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: 'Reset Tester', email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
}
async function signIn(device: Device, email: string, password: string) {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password });
}
const resetLink = (email: string) => waitForMailLink(server.dbUrl, email, 'password-reset', /reset\?token=([a-z2-7]+\.[a-z2-7]+)/);

describe('A5 / A13: password reset', () => {
  test('V6.3.8: the request answers the same for a known and an unknown address', async () => {
    await registerAndVerify('known-reset@example.com');
    const known = await new Device(server.origin).post('/en/recover', { email: 'known-reset@example.com' });
    const unknown = await new Device(server.origin).post('/en/recover', { email: 'unknown-reset@example.com' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (body: string, email: string) => body.replaceAll(email, 'X');
    expect(strip(await known.text(), 'known-reset@example.com')).toBe(strip(await unknown.text(), 'unknown-reset@example.com'));
    await resetLink('known-reset@example.com');
    expect(await latestMail(server.dbUrl, 'unknown-reset@example.com')).toBeUndefined();
  });

  test('the link sets a new password (A3 enforced), ends every session, sends a notice, and works once', async () => {
    const email = 'reset@example.com';
    await registerAndVerify(email);
    const laptop = new Device(server.origin);
    expect((await signIn(laptop, email, PASSWORD)).status).toBe(303);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);

    const page = await new Device(server.origin).get(`/en/reset?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const weak = await new Device(server.origin).post('/en/reset', { token, password: 'Password1' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('most common passwords');

    const done = await new Device(server.origin).post('/en/reset', { token, password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/en/login?reset=1');
    expect(done.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false); // no session from a reset
    expect((await laptop.get('/en/account')).status).toBe(302); // A5: all sessions ended
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('password-changed');
    expect((await signIn(new Device(server.origin), email, PASSWORD)).status).toBe(400);
    expect((await signIn(new Device(server.origin), email, NEW_PASSWORD)).status).toBe(303);
    // single use
    const again = await new Device(server.origin).post('/en/reset', { token, password: 'Another-Fresh-Pass-3' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('not valid or was already used');
  });

  test('V6.5.5: the link expires after 30 minutes', async () => {
    const email = 'expired-reset@example.com';
    await registerAndVerify(email);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);
    await query(server.dbUrl, "UPDATE one_time_tokens SET expires_at = ? WHERE purpose = 'password-reset' AND id = ?", [Date.now() - 1, token.split('.')[0]!]);
    const res = await new Device(server.origin).post('/en/reset', { token, password: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
    const created = await query(server.dbUrl, "SELECT created_at, expires_at FROM one_time_tokens WHERE purpose = 'password-reset' ORDER BY created_at DESC LIMIT 1");
    expect(created.length).toBe(1);
  });

  test('the lifetime written is exactly 30 minutes', async () => {
    const email = 'lifetime-reset@example.com';
    await registerAndVerify(email);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);
    const [row] = await query(server.dbUrl, 'SELECT created_at, expires_at FROM one_time_tokens WHERE id = ?', [token.split('.')[0]!]);
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(30 * 60_000);
  });

  test('N2: a tampered or malformed link is refused and changes nothing; a bad email gets a clear error', async () => {
    const email = 'tamper-reset@example.com';
    await registerAndVerify(email);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);
    const [id, secret] = token.split('.') as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [flipped, 'garbage', '']) {
      const res = await new Device(server.origin).post('/en/reset', { token: bad, password: NEW_PASSWORD });
      expect(res.status).toBe(400);
    }
    expect((await signIn(new Device(server.origin), email, PASSWORD)).status).toBe(303);
    const badEmail = await new Device(server.origin).post('/fr/recover', { email: 'pas-une-adresse' });
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain('Saisissez une adresse e-mail valide');
  });
});
