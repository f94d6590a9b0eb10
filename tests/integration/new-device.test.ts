// A10 / V6.3.5 (SECURITY-CHECKLIST 32) through the real server: a sign-in from a device or network
// never seen for the account sends one security-alert email; known ones send nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Correct-Horse-42';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:140.0) Gecko/20100101 Firefox/140.0';

// Every Device is its own client address (X-Forwarded-For behind a trusted proxy), as in real use.
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function registerAndVerify(device: Device, email: string, name = 'Ada Lovelace') {
  expect((await device.post('/en/signup', { name, email, password: PASSWORD })).status).toBe(303);
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
}
async function signIn(device: Device, email: string) {
  await device.post('/en/login', { step: 'email', email });
  const res = await device.post('/en/login', { step: 'password', email, password: PASSWORD });
  expect(res.status).toBe(303);
  return res;
}
async function alerts(email: string) {
  return query(server.dbUrl, `SELECT text FROM mail_outbox WHERE "to" = ? AND kind = 'new-device' ORDER BY id`, [email]);
}
async function deviceEvents(email: string) {
  return query(server.dbUrl, `SELECT e.ip, e.detail FROM security_events e JOIN users u ON u.id = e.user_id WHERE u.email = ? AND e.type = 'device.new' ORDER BY e.id`, [email]);
}
/** The same browser (its cookies) seen from another address. */
function sameBrowserFrom(device: Device, ip: string): Device {
  const moved = new Device(server.origin, device.userAgent, ip);
  for (const [name, value] of device.cookies) moved.cookies.set(name, value);
  return moved;
}

describe('A10 / V6.3.5: new device or network alert', () => {
  const email = 'new-device@example.com';
  let laptop: Device;

  test('A10 / V6.3.5: the first sign-in after registration sends no alert and sets a long-lived HttpOnly device cookie', async () => {
    laptop = new Device(server.origin, undefined, '198.51.100.20');
    await registerAndVerify(laptop, email);
    const res = await signIn(laptop, email);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('loket_device='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/^loket_device=[a-z2-7]{52};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).toMatch(/; Max-Age=34560000/i);
    expect(await alerts(email)).toHaveLength(0);
    // only the hash is stored
    const stored = await query(server.dbUrl, 'SELECT kind, value_hash FROM known_devices JOIN users ON users.id = known_devices.user_id WHERE users.email = ?', [email]);
    expect(stored.map((r) => r.kind).sort()).toEqual(['device', 'network']);
    expect(JSON.stringify(stored)).not.toContain(laptop.cookies.get('loket_device'));
  });

  test('A10 / V6.3.5: signing in again with the same device from the same network sends no alert', async () => {
    await laptop.post('/en/logout', {});
    await signIn(laptop, email);
    expect(await alerts(email)).toHaveLength(0);
    expect(await deviceEvents(email)).toHaveLength(0);
  });

  test('A10 / V6.3.5: a new device (no device cookie) sends exactly one new-device email with browser, OS, IP and both links', async () => {
    const phone = new Device(server.origin, FIREFOX_MAC, '198.51.100.21');
    await signIn(phone, email);
    const sent = await alerts(email);
    expect(sent).toHaveLength(1);
    const mail = await latestMail(server.dbUrl, email, 'new-device');
    expect(mail!.subject).toBeTruthy();
    for (const text of ['Firefox', 'macOS', '198.51.100.21', `${server.origin}/en/account\n`, `${server.origin}/en/account#password`]) expect(mail!.text).toContain(text);
    // a documentation-range address has no country
    expect(mail!.text).toMatch(/Approximate location: unknown/);
    expect(mail!.html).toContain(`href="${server.origin}/en/account#password"`);
    const events = await deviceEvents(email);
    expect(events).toHaveLength(1);
    expect(events[0]!.ip).toBe('198.51.100.21');
    expect(JSON.parse(String(events[0]!.detail))).toMatchObject({ newDevice: true, newNetwork: false, mailDelivered: true });
    // the phone is known from now on
    await phone.post('/en/logout', {});
    await signIn(phone, email);
    expect(await alerts(email)).toHaveLength(1);
  });

  test('A10 / V6.3.5: the same device from a new /24 network sends an alert with the approximate place', async () => {
    const travelling = sameBrowserFrom(laptop, '8.8.8.8');
    await signIn(travelling, email);
    const sent = await alerts(email);
    expect(sent).toHaveLength(2);
    const text = String(sent[1]!.text);
    expect(text).toContain('8.8.8.8');
    expect(text).toContain('Approximate location: United States');
    expect(JSON.parse(String((await deviceEvents(email))[1]!.detail))).toMatchObject({ newDevice: false, newNetwork: true, country: 'US' });
    // another address in the same /24 is the same network: no alert
    await signIn(sameBrowserFrom(laptop, '8.8.8.200'), email);
    expect(await alerts(email)).toHaveLength(2);
  });
});
