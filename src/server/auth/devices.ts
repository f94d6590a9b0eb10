// A10 / V6.3.5: a sign-in from a device (a long-lived random cookie) or a network (the IPv4 /24 or
// IPv6 /48 around the address) never seen for the account sends a security alert by email.
// Both are kept only as SHA-256 in known_devices: a database dump holds no usable cookie.
import { and, eq, inArray, lt } from 'drizzle-orm';
import { knownDevices, users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { mailLocale } from '../mail/templates.ts';
import { describeUserAgent } from '../../lib/user-agent.ts';
import { hashSecret, randomSecret } from './crypto.ts';
import { countryOfIp, parseIp, placeOfIp } from './ip-place.ts';

const DAY = 24 * 60 * 60_000;
/** 400 days: the longest lifetime browsers keep a cookie. */
export const DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;
/** A device or network unseen this long is forgotten: its cookie has expired anyway. */
export const FORGET_AFTER_MS = 400 * DAY;

export function deviceCookieName(secure: boolean): string {
  return secure ? '__Host-device' : 'loket_device';
}

/** HttpOnly, SameSite=Lax, Path=/, no Domain, Secure in production; 400 days. */
export function deviceCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge: DEVICE_COOKIE_MAX_AGE_S };
}

/** The shape `randomSecret()` makes: 256 bits in base32 (52 characters). Anything else is replaced. */
function isDeviceCookie(value: string | undefined): value is string {
  return typeof value === 'string' && /^[a-z2-7]{52}$/.test(value);
}

/** The network around an address: `203.0.113.0/24` or `2001:db8:1::/48`; null when unreadable. */
export function networkOf(raw: string): string | null {
  const ip = parseIp(raw);
  if (!ip) return null;
  if (ip.version === 4) return `${ip.octets.slice(0, 3).join('.')}.0/24`;
  return `${ip.hextets
    .slice(0, 3)
    .map((h) => h.toString(16))
    .join(':')}::/48`;
}

/** What known_devices stores for a cookie or a network. */
export function deviceValueHash(value: string): string {
  return hashSecret(value).toString('hex');
}

export interface SignInDevice {
  newDevice: boolean;
  newNetwork: boolean;
  /** The cookie to (re)set: the one sent, or a new one when none or a malformed one came. */
  deviceCookie: string;
}

/** Records this sign-in's device and network (new rows, or `last_seen_at` refreshed) and says which were new. */
export async function checkSignInDevice(
  db: Db,
  input: { userId: string; deviceCookie: string | undefined; ip: string; now?: number },
): Promise<SignInDevice> {
  const now = input.now ?? Date.now();
  const deviceCookie = isDeviceCookie(input.deviceCookie) ? input.deviceCookie : randomSecret();
  const deviceHash = deviceValueHash(deviceCookie);
  const network = networkOf(input.ip);
  const networkHash = network === null ? null : deviceValueHash(network);
  const hashes = networkHash === null ? [deviceHash] : [deviceHash, networkHash];

  const seen = await db
    .select({ kind: knownDevices.kind, valueHash: knownDevices.valueHash })
    .from(knownDevices)
    .where(and(eq(knownDevices.userId, input.userId), inArray(knownDevices.valueHash, hashes)));
  let newDevice = !seen.some((row) => row.kind === 'device' && row.valueHash === deviceHash);
  // An unreadable address gives no network to compare, so it cannot count as a new one.
  let newNetwork = networkHash !== null && !seen.some((row) => row.kind === 'network' && row.valueHash === networkHash);
  if (seen.length === 0) {
    // The first sign-in ever on an account (e.g. just after registration) has nothing to compare
    // with: it only records the device and network; every later unseen one alerts.
    const any = await db.select({ userId: knownDevices.userId }).from(knownDevices).where(eq(knownDevices.userId, input.userId)).limit(1);
    if (any.length === 0) newDevice = newNetwork = false;
  }

  const upsert = (kind: 'device' | 'network', valueHash: string) =>
    db
      .insert(knownDevices)
      .values({ userId: input.userId, kind, valueHash, firstSeenAt: now, lastSeenAt: now })
      .onConflictDoUpdate({ target: [knownDevices.userId, knownDevices.kind, knownDevices.valueHash], set: { lastSeenAt: now } });
  const forget = db.delete(knownDevices).where(and(eq(knownDevices.userId, input.userId), lt(knownDevices.lastSeenAt, now - FORGET_AFTER_MS)));
  if (networkHash === null) await db.batch([upsert('device', deviceHash), forget]);
  else await db.batch([upsert('device', deviceHash), upsert('network', networkHash), forget]);
  return { newDevice, newNetwork, deviceCookie };
}

/**
 * A10: called once a password sign-in succeeded. Checks the device and network, and when either
 * is new emails the alert and records `device.new`. A failed delivery never stops the sign-in.
 * Returns the device cookie to set.
 */
export async function noteSignInDevice(
  db: Db,
  input: { userId: string; deviceCookie: string | undefined; origin: string } & RequestMeta,
  now = Date.now(),
): Promise<{ deviceCookie: string; alerted: boolean }> {
  const check = await checkSignInDevice(db, { userId: input.userId, deviceCookie: input.deviceCookie, ip: input.ip, now });
  if (!check.newDevice && !check.newNetwork) return { deviceCookie: check.deviceCookie, alerted: false };

  const user = (await db.select().from(users).where(eq(users.id, input.userId)).limit(1))[0];
  if (!user) return { deviceCookie: check.deviceCookie, alerted: false };
  const locale = mailLocale(user.locale);
  const { browser, os } = describeUserAgent(input.userAgent);
  let mail: { delivered: boolean; outboxId: number };
  try {
    const sent = await sendMail(db, {
      to: user.email,
      kind: 'new-device',
      locale,
      vars: {
        name: user.name,
        timeZone: user.timeZone,
        time: now,
        browser: browser ?? '',
        os: os ?? '',
        place: placeOfIp(input.ip, locale),
        ip: input.ip,
        sessionsLink: `${input.origin}/${locale}/account`,
        passwordLink: `${input.origin}/${locale}/account#password`,
      },
    });
    mail = { delivered: true, outboxId: sent.id };
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    console.error(`loket: new-device alert email failed (outbox ${error.outboxId})`);
    mail = { delivered: false, outboxId: error.outboxId };
  }
  await recordEvent(db, {
    type: 'device.new',
    userId: user.id,
    actor: user.id,
    ip: input.ip,
    userAgent: input.userAgent,
    detail: { newDevice: check.newDevice, newNetwork: check.newNetwork, country: countryOfIp(input.ip), mailDelivered: mail.delivered, outboxId: mail.outboxId },
  });
  return { deviceCookie: check.deviceCookie, alerted: true };
}
