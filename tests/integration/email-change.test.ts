// A14 / checklist 30, 32 against the real server: changing the email address (Account →
// Security) needs the password, takes effect only through the link sent to the new address,
// and tells the old address; an address of another account is not revealed.
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
  await device.post('/en/signup', { name: 'Email Changer', email, password: PASSWORD });
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
  expect((await signIn(device, email)).status).toBe(303);
  return device;
}
const emailOf = async (username: string) => String((await query(server.dbUrl, 'SELECT email FROM users WHERE email = ? OR id = ?', [username, username]))[0]?.email);
const userId = async (email: string) => String((await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]))[0]!.id);
const mailCount = async (to: string, kind?: string) =>
  Number((await query(server.dbUrl, `SELECT count(*) AS n FROM mail_outbox WHERE "to" = ? ${kind ? 'AND kind = ?' : ''}`, kind ? [to, kind] : [to]))[0]!.n);
const confirmPath = async (to: string) => {
  const text = (await latestMail(server.dbUrl, to, 'email-change-confirm'))!.text;
  const url = new URL(/https?:\/\/\S+confirm-email\?token=[a-z2-7.]+/.exec(text)![0]);
  return url.pathname + url.search;
};
const tokenOf = (path: string) => new URL(path, server.origin).searchParams.get('token')!;

describe('A14: change email', () => {
  test('A14 / checklist 30: the new address is not active until its link is used; the old address is told', async () => {
    const device = await signedIn('change-old@example.com');
    const id = await userId('change-old@example.com');
    const page = await device.get('/en/account');
    const html = await page.text();
    expect(html).toContain('id="email"');
    expect(html).toMatch(/name="newEmail"[^>]*autocomplete="email"|autocomplete="email"[^>]*name="newEmail"/);
    expect(html).toContain('autocomplete="current-password"');

    const res = await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-new@example.com' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We sent a link to change-new@example.com. Your email address changes once you open that link');
    expect(await emailOf(id)).toBe('change-old@example.com');
    const notice = await latestMail(server.dbUrl, 'change-old@example.com', 'email-change-notice');
    expect(notice?.text).toContain('c***@example.com');
    const path = await confirmPath('change-new@example.com');
    expect(path).toMatch(/^\/en\/account\/confirm-email\?token=/);

    // V3.5.3: the GET only shows the button.
    const shown = await new Device(server.origin).get(path);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await shown.text()).toContain('Confirm my new email address');
    expect(await emailOf(id)).toBe('change-old@example.com');

    // The POST confirms; the signed-in owner gets a way back to the account page.
    const confirmed = await device.post(path, { token: tokenOf(path) });
    expect(confirmed.status).toBe(200);
    const body = await confirmed.text();
    expect(body).toContain('Your email address has been changed.');
    expect(body).toContain('href="/en/account#email"');
    expect(await emailOf(id)).toBe('change-new@example.com');
    const changed = await latestMail(server.dbUrl, 'change-old@example.com', 'email-changed');
    expect(changed?.text).toContain('c***@example.com');

    expect((await signIn(new Device(server.origin), 'change-new@example.com')).status).toBe(303);
    expect((await signIn(new Device(server.origin), 'change-old@example.com')).status).not.toBe(303);
    // The owner's session goes on (the password is unchanged).
    expect((await device.get('/en/account')).status).toBe(200);
  });

  test('A14 / A12: a wrong password sends nothing and changes nothing', async () => {
    const device = await signedIn('change-wrong@example.com');
    const before = await mailCount('change-wrong@example.com');
    const res = await device.post('/en/account', { action: 'email', password: 'Not-The-Password-1', newEmail: 'change-wrong-new@example.com' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('That is not your current password.');
    expect(await mailCount('change-wrong-new@example.com')).toBe(0);
    expect(await mailCount('change-wrong@example.com')).toBe(before);
    expect(Number((await query(server.dbUrl, "SELECT count(*) AS n FROM one_time_tokens WHERE purpose = 'email-change' AND email = ?", ['change-wrong-new@example.com']))[0]!.n)).toBe(0);
    expect(await emailOf('change-wrong@example.com')).toBe('change-wrong@example.com');
  });

  test('A14: the link works once and expires', async () => {
    const device = await signedIn('change-once@example.com');
    await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-once-new@example.com' });
    const path = await confirmPath('change-once-new@example.com');
    const stranger = new Device(server.origin); // works signed out
    const first = await stranger.post(path, { token: tokenOf(path) });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('href="/en/login"');
    const again = await stranger.post(path, { token: tokenOf(path) });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This link is not valid or was already used.');

    const other = await signedIn('change-late@example.com');
    await other.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-late-new@example.com' });
    const late = await confirmPath('change-late-new@example.com');
    await query(server.dbUrl, 'UPDATE one_time_tokens SET expires_at = ? WHERE id = ?', [Date.now() - 1000, tokenOf(late).split('.')[0]!]);
    const expired = await other.post(late, { token: tokenOf(late) });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This link has expired.');
    expect(await emailOf('change-late@example.com')).toBe('change-late@example.com');
  });

  test('A14 / V6.3.8: an address of another account gets the same screen, no link, and nothing changes', async () => {
    await registerAndVerify('change-taken@example.com');
    const device = await signedIn('change-taker@example.com');
    const takenBefore = await mailCount('change-taken@example.com');
    const res = await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-taken@example.com' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We sent a link to change-taken@example.com. Your email address changes once you open that link');
    expect(await mailCount('change-taken@example.com')).toBe(takenBefore);
    expect(await emailOf('change-taker@example.com')).toBe('change-taker@example.com');
    expect(await emailOf('change-taken@example.com')).toBe('change-taken@example.com');
  });

  test('N2: an invalid address gets a localized error and nothing is sent', async () => {
    const device = await signedIn('change-invalid@example.com');
    const before = await mailCount('change-invalid@example.com');
    const en = await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'not-an-address' });
    expect(en.status).toBe(400);
    expect(await en.text()).toContain('Enter a valid email address, like name@example.com.');
    const nl = await device.post('/nl/account', { action: 'email', password: PASSWORD, newEmail: 'not-an-address' });
    expect(nl.status).toBe(400);
    expect(await nl.text()).toContain('Vul een geldig e-mailadres in');
    const fr = await device.post('/fr/account', { action: 'email', password: PASSWORD, newEmail: 'not-an-address' });
    expect(await fr.text()).toContain('Saisissez une adresse e-mail valide');
    expect(await mailCount('change-invalid@example.com')).toBe(before);
  });

  test('V3.5.1: a cross-site POST (request or confirmation) is refused with 403', async () => {
    const device = await signedIn('change-csrf@example.com');
    const evil = { Origin: 'https://evil.example' };
    expect((await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-csrf-new@example.com' }, evil)).status).toBe(403);
    expect(await mailCount('change-csrf-new@example.com')).toBe(0);
    await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'change-csrf-new@example.com' });
    const path = await confirmPath('change-csrf-new@example.com');
    expect((await device.post(path, { token: tokenOf(path) }, evil)).status).toBe(403);
    expect(await emailOf('change-csrf@example.com')).toBe('change-csrf@example.com');
  });
});
