// A21 sessions after the Lucia guide (SECURITY-CHECKLIST 33–38, 40) and persistent rate limits.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { sessions, users } from '../../db/schema/index.ts';
import { hashSecret, randomDigits, randomId, randomSecret, secretsEqual, splitToken } from '../../src/server/auth/crypto.ts';
import { consume, peek } from '../../src/server/auth/rate-limit.ts';
import {
  createSession,
  endOwnSession,
  invalidateUserSessions,
  SESSION_LIFETIMES,
  sessionsOf,
  validateSessionToken,
} from '../../src/server/auth/session.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const DAY = 24 * 60 * 60_000;
const meta = { ip: '127.0.0.1', userAgent: 'vitest', twoFactorVerified: true };

async function setup(role: 'customer' | 'agent' = 'customer') {
  const h = await tempDb();
  cleanups.push(h.close);
  const make = async (email: string) => {
    const id = randomId();
    await h.db.insert(users).values({ id, email, name: 'Test', username: `u${id.slice(0, 8)}`, passwordHash: 'x', role, emailVerifiedAt: Date.now() });
    return { id, role };
  };
  return { ...h, user: await make('a@example.com'), other: await make('b@example.com') };
}

describe('A21: session tokens', () => {
  test('V7.2.3: ≥128 bits of entropy; the database holds only SHA-256(secret), so a dump cannot be replayed', async () => {
    const { db, user } = await setup();
    const { token, session } = await createSession(db, user, meta);
    const parts = splitToken(token)!;
    expect(parts.id.length * 5).toBeGreaterThanOrEqual(120);
    expect(parts.secret.length * 5).toBeGreaterThanOrEqual(256);
    const [row] = await db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(Buffer.from(row!.secretHash).equals(hashSecret(parts.secret))).toBe(true);
    const dump = JSON.stringify(await db.$client.execute('SELECT * FROM sessions'));
    expect(dump).not.toContain(parts.secret);
    // the stored hash used as a secret is refused
    expect(await validateSessionToken(db, `${parts.id}.${Buffer.from(row!.secretHash).toString('hex')}`)).toBeNull();
    expect(await validateSessionToken(db, token)).not.toBeNull();
  });

  test('V7.2.1: a valid id with a tampered secret is refused', async () => {
    const { db, user } = await setup();
    const { token } = await createSession(db, user, meta);
    const { id, secret } = splitToken(token)!;
    const tampered = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    expect(await validateSessionToken(db, tampered)).toBeNull();
    for (const bad of ['', 'nodot', `${id}.`, `.${secret}`, `${id}.${secret}.x`, 'A'.repeat(300)]) expect(await validateSessionToken(db, bad)).toBeNull();
  });

  test('V7.2.1: constant-time comparison is right for equal-length different inputs', () => {
    const a = hashSecret('one');
    const b = hashSecret('two');
    expect(a.length).toBe(b.length);
    expect(secretsEqual(a, b)).toBe(false);
    expect(secretsEqual(a, hashSecret('one'))).toBe(true);
    expect(secretsEqual(a, a.subarray(0, 16))).toBe(false);
    expect(secretsEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
  });

  test('random ids, secrets and codes do not repeat and have the right shape', () => {
    const ids = new Set(Array.from({ length: 1000 }, randomId));
    expect(ids.size).toBe(1000);
    expect(randomSecret()).toMatch(/^[a-z2-7]{52}$/);
    const codes = Array.from({ length: 2000 }, () => randomDigits(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    // every digit appears in every position (no stuck digits)
    for (let pos = 0; pos < 6; pos++) expect(new Set(codes.map((c) => c[pos])).size).toBe(10);
  });
});

describe('A21: expiry (inactivity plus absolute lifetime)', () => {
  test('V7.3.1: idle past 10 days → refused; activity extends it', async () => {
    const { db, user } = await setup();
    const t0 = Date.now();
    const { token } = await createSession(db, user, meta, t0);
    expect(await validateSessionToken(db, token, t0 + 9 * DAY)).not.toBeNull(); // activity refreshes
    expect(await validateSessionToken(db, token, t0 + 18 * DAY)).not.toBeNull(); // 9 days after the last activity
    expect(await validateSessionToken(db, token, t0 + 28.5 * DAY)).toBeNull(); // 10.5 idle days
    const idle = await createSession(db, user, meta, t0);
    expect(await validateSessionToken(db, idle.token, t0 + 10 * DAY + 1)).toBeNull();
  });

  test('V7.3.2: older than the absolute lifetime (30 days) → refused even if active every day', async () => {
    const { db, user } = await setup();
    const t0 = Date.now();
    const { token } = await createSession(db, user, meta, t0);
    for (let day = 1; day < 30; day++) expect(await validateSessionToken(db, token, t0 + day * DAY), `day ${day}`).not.toBeNull();
    expect(await validateSessionToken(db, token, t0 + 30 * DAY)).toBeNull();
  });

  test('staff sessions last at most 12 hours', async () => {
    const { db, user } = await setup('agent');
    const t0 = Date.now();
    const { token } = await createSession(db, user, meta, t0);
    expect(SESSION_LIFETIMES.staff.absoluteMs).toBe(12 * 60 * 60_000);
    expect(await validateSessionToken(db, token, t0 + 11 * 60 * 60_000)).not.toBeNull();
    expect(await validateSessionToken(db, token, t0 + 12 * 60 * 60_000)).toBeNull();
  });
});

describe('A21 / V7.4.2: a barred account has no valid session', () => {
  test.each([
    ['locked', { lockedAt: 1 }],
    ['suspended', { suspendedAt: 1 }],
    ['deleted', { deletedAt: 1 }],
  ] as const)('%s: its sessions are refused and ended', async (_name, change) => {
    const { db, user } = await setup();
    const { token } = await createSession(db, user, meta);
    await db.update(users).set(change).where(eq(users.id, user.id));
    expect(await validateSessionToken(db, token)).toBeNull();
    expect(await sessionsOf(db, user.id)).toEqual([]);
  });
});

describe('A11: sessions of one account', () => {
  test('V7.5.2: a user can end only their own sessions; ending all others keeps the current one', async () => {
    const { db, user, other } = await setup();
    const mine = await createSession(db, user, meta);
    const second = await createSession(db, user, { ...meta, userAgent: 'second device' });
    const theirs = await createSession(db, other, meta);
    expect(await endOwnSession(db, user.id, theirs.session.id)).toBe(false);
    expect(await validateSessionToken(db, theirs.token)).not.toBeNull();
    expect((await sessionsOf(db, user.id)).map((s) => s.id).sort()).toEqual([mine.session.id, second.session.id].sort());
    await createSession(db, user, meta);
    expect(await invalidateUserSessions(db, user.id, mine.session.id)).toBe(2);
    expect(await validateSessionToken(db, mine.token)).not.toBeNull();
    expect(await validateSessionToken(db, second.token)).toBeNull();
  });
});

describe('A21: rate limits live in the database', () => {
  test('fixed window: counts up, refuses over the limit with Retry-After, resets after the window', async () => {
    const { db } = await setup();
    const limit = { limit: 3, windowMs: 60_000 };
    const t0 = 1_000_000;
    for (let i = 1; i <= 3; i++) expect((await consume(db, 'k', limit, t0 + i)).ok).toBe(true);
    const over = await consume(db, 'k', limit, t0 + 10_000);
    expect(over).toMatchObject({ ok: false, count: 4 });
    expect(over.retryAfter).toBe(51);
    expect((await consume(db, 'k', limit, t0 + 60_001)).count).toBe(1);
    expect((await peek(db, 'other', limit, t0)).count).toBe(0);
  });

  test('A12: counters survive a restart (a new connection to the same file)', async () => {
    const { db, url } = await setup();
    const limit = { limit: 10, windowMs: 15 * 60_000 };
    for (let i = 0; i < 7; i++) await consume(db, 'wrong-password:x', limit);
    const reopened = await openDatabase({ url });
    try {
      expect((await peek(reopened, 'wrong-password:x', limit)).count).toBe(7);
    } finally {
      reopened.$client.close();
    }
  });

  test('concurrent consumes are all counted (one atomic statement each)', async () => {
    const { db } = await setup();
    const limit = { limit: 1000, windowMs: 60_000 };
    await Promise.all(Array.from({ length: 50 }, () => consume(db, 'race', limit)));
    expect((await peek(db, 'race', limit)).count).toBe(50);
  });
});
