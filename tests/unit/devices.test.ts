// A10 / V6.3.5 (SECURITY-CHECKLIST 32): known devices and networks, and the place behind an IP.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { knownDevices, mailOutbox, securityEvents, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import {
  checkSignInDevice,
  DEVICE_COOKIE_MAX_AGE_S,
  deviceCookieName,
  deviceCookieOptions,
  deviceValueHash,
  FORGET_AFTER_MS,
  networkOf,
  noteSignInDevice,
} from '../../src/server/auth/devices.ts';
import { closeMailer } from '../../src/server/mail/mailer.ts';
import { countryOfIp, parseIp, placeOfIp } from '../../src/server/auth/ip-place.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const DAY = 24 * 60 * 60_000;
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const userId = randomId();
  await h.db.insert(users).values({ id: userId, email: 'ada@example.com', name: 'Ada', username: `u${userId.slice(0, 8)}`, passwordHash: 'x', emailVerifiedAt: Date.now(), locale: 'nl' });
  const rows = () => h.db.select().from(knownDevices).where(eq(knownDevices.userId, userId));
  return { ...h, userId, rows };
}

describe('A10 / V6.3.5: networks and hashes', () => {
  test('A10 / V6.3.5: an IPv4 address belongs to its /24', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('203.0.113.1')).toBe(networkOf('203.0.113.254'));
    expect(networkOf('203.0.114.1')).not.toBe(networkOf('203.0.113.1'));
    expect(networkOf('10.1.2.3')).toBe('10.1.2.0/24');
    // an IPv4-mapped IPv6 socket address, a port, spaces: the same network
    expect(networkOf('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(networkOf('::FFFF:cb00:7109')).toBe('203.0.113.0/24');
    expect(networkOf(' 203.0.113.9:51234 ')).toBe('203.0.113.0/24');
  });

  test('A10 / V6.3.5: an IPv6 address belongs to its /48, whatever its spelling', () => {
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:0DB8:ABCD:0012:0000:0000:0000:0001')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8:abcd:ffff:1:2:3:4')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8:abce::1')).not.toBe(networkOf('2001:db8:abcd::1'));
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(networkOf('::1')).toBe('0:0:0::/48');
    expect(networkOf('[2001:db8:abcd::5]:443')).toBe('2001:db8:abcd::/48');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(networkOf('64:ff9b::192.0.2.33')).toBe('64:ff9b:0::/48');
  });

  test('A10 / V6.3.5: an unreadable address has no network', () => {
    for (const bad of ['', 'unknown', '256.1.1.1', '1.2.3', '01.2.3.4', '2001:db8:::1', 'example.com']) expect(networkOf(bad), bad).toBeNull();
    expect(parseIp('1.2.3.4')).toEqual({ version: 4, octets: [1, 2, 3, 4] });
  });

  test('A10 / V6.3.5: cookies and networks are stored as SHA-256 (hex)', () => {
    expect(deviceValueHash('203.0.113.0/24')).toBe(sha256Hex('203.0.113.0/24'));
    expect(deviceValueHash('abc')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('A10 / V6.3.5: the device cookie is __Host- when secure, HttpOnly, SameSite=Lax, Path=/, 400 days', () => {
    expect(deviceCookieName(true)).toBe('__Host-device');
    expect(deviceCookieName(false)).toBe('loket_device');
    expect(deviceCookieOptions(true)).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 400 * 24 * 60 * 60 });
    expect(deviceCookieOptions(false).secure).toBe(false);
    expect(DEVICE_COOKIE_MAX_AGE_S).toBe(34_560_000);
  });
});

describe('A10 / V6.3.5: checkSignInDevice', () => {
  test('A10 / V6.3.5: the first sign-in ever on an account does not alert, and records device and network (hashed only)', async () => {
    const { db, userId, rows } = await setup();
    const first = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    expect(first).toEqual({ newDevice: false, newNetwork: false, deviceCookie: expect.stringMatching(/^[a-z2-7]{52}$/) });
    const stored = await rows();
    expect(stored.map((r) => [r.kind, r.valueHash]).sort()).toEqual(
      [
        ['device', sha256Hex(first.deviceCookie)],
        ['network', sha256Hex('203.0.113.0/24')],
      ].sort(),
    );
    const dump = JSON.stringify(await db.$client.execute('SELECT * FROM known_devices'));
    expect(dump).not.toContain(first.deviceCookie);
    expect(dump).not.toContain('203.0.113');
  });

  test('A10 / V6.3.5: the same device on the same network does not alert', async () => {
    const { db, userId } = await setup();
    const first = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    const again = await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '203.0.113.200', now: 2_000 });
    expect(again).toEqual({ newDevice: false, newNetwork: false, deviceCookie: first.deviceCookie });
  });

  test('A10 / V6.3.5: a new device cookie (or none, or a malformed one) on a known network alerts', async () => {
    const { db, userId } = await setup();
    await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    const fresh = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.11', now: 2_000 });
    expect(fresh).toMatchObject({ newDevice: true, newNetwork: false });
    const forged = await checkSignInDevice(db, { userId, deviceCookie: 'not-a-device-cookie', ip: '203.0.113.12', now: 3_000 });
    expect(forged.newDevice).toBe(true);
    expect(forged.deviceCookie).toMatch(/^[a-z2-7]{52}$/);
    // a well-formed cookie never seen for this account is new too (it is kept: it names this browser)
    const other = 'a'.repeat(52);
    expect(await checkSignInDevice(db, { userId, deviceCookie: other, ip: '203.0.113.13', now: 4_000 })).toEqual({ newDevice: true, newNetwork: false, deviceCookie: other });
  });

  test('A10 / V6.3.5: a known device cookie from a new network alerts', async () => {
    const { db, userId } = await setup();
    const first = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    const moved = await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '198.51.100.10', now: 2_000 });
    expect(moved).toEqual({ newDevice: false, newNetwork: true, deviceCookie: first.deviceCookie });
    const v6 = await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '2001:db8:abcd::1', now: 3_000 });
    expect(v6.newNetwork).toBe(true);
    expect((await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '2001:db8:abcd:99::7', now: 4_000 })).newNetwork).toBe(false);
  });

  test('A10 / V6.3.5: devices and networks are per account', async () => {
    const { db, userId } = await setup();
    const otherId = randomId();
    await db.insert(users).values({ id: otherId, email: 'bob@example.com', name: 'Bob', username: 'bob-1', passwordHash: 'x', emailVerifiedAt: 1 });
    const mine = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    await checkSignInDevice(db, { userId: otherId, deviceCookie: undefined, ip: '192.0.2.10', now: 1_000 });
    // Bob's known browser and network mean nothing for Ada's account, and the other way round
    expect(await checkSignInDevice(db, { userId: otherId, deviceCookie: mine.deviceCookie, ip: '203.0.113.10', now: 2_000 })).toMatchObject({ newDevice: true, newNetwork: true });
  });

  test('A10 / V6.3.5: every sign-in refreshes last_seen_at of its rows; rows unseen for 400 days are forgotten', async () => {
    const { db, userId, rows } = await setup();
    const first = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '203.0.113.99', now: 5_000 });
    let stored = await rows();
    expect(stored).toHaveLength(2);
    for (const row of stored) expect([row.firstSeenAt, row.lastSeenAt]).toEqual([1_000, 5_000]);

    const later = 5_000 + FORGET_AFTER_MS + DAY;
    const back = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '192.0.2.1', now: later });
    expect(back).toMatchObject({ newDevice: true, newNetwork: true });
    stored = await rows();
    expect(stored.map((r) => r.valueHash).sort()).toEqual([sha256Hex(back.deviceCookie), sha256Hex('192.0.2.0/24')].sort());
    expect(stored.every((r) => r.firstSeenAt === later)).toBe(true);
  });

  test('A10 / V6.3.5: an unreadable address records the device only and never counts as a new network', async () => {
    const { db, userId, rows } = await setup();
    const first = await checkSignInDevice(db, { userId, deviceCookie: undefined, ip: '203.0.113.10', now: 1_000 });
    expect(await checkSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ip: '', now: 2_000 })).toMatchObject({ newDevice: false, newNetwork: false });
    expect(await rows()).toHaveLength(2);
  });
});

describe('A10 / V6.3.5: the approximate place from the IP (offline)', () => {
  test('A10 / V6.3.5: a public IPv4 address gives its country, named in the mail language', () => {
    expect(countryOfIp('8.8.8.8')).toBe('US');
    expect(placeOfIp('8.8.8.8', 'en')).toBe('United States');
    expect(placeOfIp('8.8.8.8', 'nl')).toBe('Verenigde Staten');
    expect(placeOfIp('8.8.8.8', 'fr')).toBe('États-Unis');
    expect(placeOfIp('::ffff:8.8.8.8', 'en')).toBe('United States');
  });

  test('A10 / V6.3.5: private, loopback, reserved, IPv6 and unreadable addresses give an unknown place', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.1.1', '192.0.2.1', '198.51.100.7', '203.0.113.5', '0.0.0.0', '224.0.0.1', '::1', '2001:db8::1', 'fe80::1', '', 'nonsense']) {
      expect(countryOfIp(ip), ip).toBeNull();
      expect(placeOfIp(ip, 'en'), ip).toBe('');
    }
  });
});

describe('A10 / V6.3.5: noteSignInDevice', () => {
  const meta = { ip: '8.8.8.8', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0', origin: 'https://help.example.com' };

  test('A10 / V6.3.5: a new device sends the new-device email in the account language and records device.new', async () => {
    const { db, userId } = await setup();
    const first = await noteSignInDevice(db, { userId, deviceCookie: undefined, ...meta }, 1_000);
    expect(first.alerted).toBe(false);
    expect(await db.select().from(mailOutbox)).toHaveLength(0);
    expect((await noteSignInDevice(db, { userId, deviceCookie: first.deviceCookie, ...meta }, 2_000)).alerted).toBe(false);

    const second = await noteSignInDevice(db, { userId, deviceCookie: undefined, ...meta }, Date.UTC(2026, 0, 5, 9, 30));
    expect(second.alerted).toBe(true);
    const mails = await db.select().from(mailOutbox);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ to: 'ada@example.com', kind: 'new-device', locale: 'nl' });
    for (const text of ['Firefox', 'Windows', 'Verenigde Staten', '8.8.8.8', 'https://help.example.com/nl/account\n', 'https://help.example.com/nl/account#password']) expect(mail.text).toContain(text);
    expect(mail.text).toContain('2026');
    const events = await db.select().from(securityEvents).where(eq(securityEvents.type, 'device.new'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId, actor: userId, ip: '8.8.8.8' });
    expect(events[0]!.detail).toMatchObject({ newDevice: true, newNetwork: false, country: 'US', mailDelivered: true });
    expect(JSON.stringify(events[0])).not.toContain(second.deviceCookie);
  });

  test('A10 / V6.3.5: an SMTP failure does not stop the sign-in; it is recorded on the event and the outbox row', async () => {
    const { db, userId } = await setup();
    await noteSignInDevice(db, { userId, deviceCookie: undefined, ...meta }, 1_000);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Nothing listens on port 9 of localhost: the connection is refused at once.
    vi.stubEnv('SMTP_URL', '');
    vi.stubEnv('SMTP_HOST', '127.0.0.1');
    vi.stubEnv('SMTP_PORT', '9');
    vi.stubEnv('SMTP_SECURE', 'false');
    try {
      const result = await noteSignInDevice(db, { userId, deviceCookie: undefined, ...meta }, 2_000);
      expect(result.alerted).toBe(true);
      expect(result.deviceCookie).toMatch(/^[a-z2-7]{52}$/);
      expect(errors).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllEnvs();
      errors.mockRestore();
      closeMailer();
    }
    const [event] = await db.select().from(securityEvents).where(eq(securityEvents.type, 'device.new'));
    expect(event!.detail).toMatchObject({ mailDelivered: false });
    const [row] = await db.select().from(mailOutbox);
    expect(row).toMatchObject({ kind: 'new-device', transport: 'smtp', sentAt: null });
    expect(row!.error).toBeTruthy();
  });
});
