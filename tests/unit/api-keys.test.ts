// A17: personal API keys — `loket_<keyId>_<secret>`, only SHA-256(secret) stored, compared in
// constant time; regenerating replaces the key at once; keys of barred users are refused.
// A21 / A12: creating or regenerating outside sudo mode needs the password; a wrong one counts toward the lock.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { apiKeys, securityEvents, sessions, users } from '../../db/schema/index.ts';
import * as crypto from '../../src/server/auth/crypto.ts';
import {
  API_LIMITS,
  apiKeyOf,
  authenticateApiKey,
  authorizeApiRequest,
  changeApiKey,
  createOrRegenerateApiKey,
  parseApiKey,
  revokeApiKey,
} from '../../src/server/auth/api-keys.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { LIMITS } from '../../src/server/auth/rate-limit.ts';
import { tempDb } from '../helpers/kb.ts';

vi.mock('../../src/server/auth/crypto.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/server/auth/crypto.ts')>();
  return { ...original, secretsEqual: vi.fn(original.secretsEqual) };
});

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const meta = { ip: '192.0.2.1', userAgent: 'vitest', origin: 'http://localhost' };
const PASSWORD = 'Quiet-Harbour-63';
const bearer = (key: string) => `Bearer ${key}`;

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const addUser = async (extra: Partial<typeof users.$inferInsert> = {}) => {
    const id = crypto.randomId();
    await h.db.insert(users).values({ id, email: `${id}@example.com`, name: 'Key Holder', username: `holder-${id.slice(0, 6)}`, passwordHash: 'x', emailVerifiedAt: Date.now(), ...extra });
    return id;
  };
  return { ...h, addUser };
}

describe('A17: the key and how it is stored', () => {
  test('A17: a key has the form loket_<keyId>_<secret> and is shown once; only its prefix is shown afterwards', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const { key, info } = await createOrRegenerateApiKey(db, userId);
    expect(key).toMatch(/^loket_[a-z2-7]{24}_[a-z2-7]{52}$/);
    const parts = parseApiKey(key)!;
    expect(parts.keyId).toBe(info.keyId);
    const shown = await apiKeyOf(db, userId);
    expect(shown).toMatchObject({ keyId: parts.keyId, prefix: `loket_${parts.keyId}_…`, lastUsedAt: null });
    expect(JSON.stringify(shown)).not.toContain(parts.secret);
  });

  test('A17: only a SHA-256 hash of the secret is stored — the secret is nowhere in the database', async () => {
    const { db, dir, addUser } = await setup();
    const userId = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    const { secret } = parseApiKey(key)!;
    const row = (await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)))[0]!;
    expect(Buffer.from(row.secretHash).equals(crypto.hashSecret(secret))).toBe(true);
    const dump = JSON.stringify((await db.$client.execute('SELECT * FROM api_keys')).rows) + JSON.stringify((await db.$client.execute('SELECT * FROM security_events')).rows);
    expect(dump).not.toContain(secret);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(secret), file).toBe(false);
  });

  test('A17: regenerating revokes the old key at once; the new one works', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const first = await createOrRegenerateApiKey(db, userId);
    expect(await authenticateApiKey(db, bearer(first.key))).toBe(userId);
    const second = await createOrRegenerateApiKey(db, userId);
    expect(second.replaced).toBe(true);
    expect(await authenticateApiKey(db, bearer(first.key))).toBeNull();
    expect(await authenticateApiKey(db, bearer(second.key))).toBe(userId);
    expect((await db.select().from(apiKeys).where(eq(apiKeys.userId, userId))).length).toBe(1);
  });

  test('A17: a revoked key is refused', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    expect(await revokeApiKey(db, userId)).toBe(true);
    expect(await authenticateApiKey(db, bearer(key))).toBeNull();
    expect(await apiKeyOf(db, userId)).toBeNull();
    expect(await revokeApiKey(db, userId)).toBe(false);
  });
});

describe('A17: authenticating a request', () => {
  test('A17: a tampered secret, another key id, a missing or malformed header are refused', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const other = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    const { key: otherKey } = await createOrRegenerateApiKey(db, other);
    const { keyId, secret } = parseApiKey(key)!;
    const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    const otherId = parseApiKey(otherKey)!.keyId;
    for (const header of [
      null,
      '',
      key, // no scheme
      `Basic ${key}`,
      bearer(`loket_${keyId}_${flipped}`),
      bearer(`loket_${otherId}_${secret}`), // another user's key id with this secret
      bearer(`loket_${keyId}_`),
      bearer(`loket_${keyId}`),
      bearer(`${keyId}.${secret}`),
      bearer(key.toUpperCase()),
      bearer(`${key}x`.padEnd(300, 'x')),
    ]) {
      expect(await authenticateApiKey(db, header), String(header)).toBeNull();
    }
    expect(await authenticateApiKey(db, `bearer  ${key}`)).toBe(userId);
  });

  test('A17: the secret is compared in constant time, and an unknown key id takes the same hash-and-compare path', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    const { secret } = parseApiKey(key)!;
    const compare = vi.mocked(crypto.secretsEqual);
    for (const [header, expected] of [
      [bearer(key), userId],
      [bearer(`loket_${parseApiKey(key)!.keyId}_${'a'.repeat(52)}`), null],
      [bearer(`loket_${crypto.randomId()}_${secret}`), null], // unknown key id
    ] as const) {
      compare.mockClear();
      expect(await authenticateApiKey(db, header)).toBe(expected);
      expect(compare).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0]!;
      expect([a.length, b.length]).toEqual([32, 32]);
    }
  });

  test.each([
    ['locked', { lockedAt: 1, lockReason: 'wrong-passwords' }],
    ['suspended', { suspendedAt: 1, suspensionReason: 'terms' }],
    ['deleted', { deletedAt: 1 }],
    ['unverified', { emailVerifiedAt: null }],
  ] as const)('A17: the key of a %s user is refused', async (_what, change) => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    expect(await authenticateApiKey(db, bearer(key))).toBe(userId);
    await db.update(users).set(change).where(eq(users.id, userId));
    expect(await authenticateApiKey(db, bearer(key))).toBeNull();
  });

  test('A17: last use is recorded, at most once a minute', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const t0 = 1_800_000_000_000;
    const { key } = await createOrRegenerateApiKey(db, userId, t0);
    await authenticateApiKey(db, bearer(key), t0 + 1000);
    expect((await apiKeyOf(db, userId))!.lastUsedAt).toBe(t0 + 1000);
    await authenticateApiKey(db, bearer(key), t0 + 30_000);
    expect((await apiKeyOf(db, userId))!.lastUsedAt).toBe(t0 + 1000);
    await authenticateApiKey(db, bearer(key), t0 + 61_000);
    expect((await apiKeyOf(db, userId))!.lastUsedAt).toBe(t0 + 61_000);
  });

  test('A17 / A21: API requests are rate-limited per IP (before the key is checked) and per key', async () => {
    const { db, addUser } = await setup();
    const userId = await addUser();
    const { key } = await createOrRegenerateApiKey(db, userId);
    const now = 1_800_000_000_000;
    for (let i = 0; i < API_LIMITS.perIp.limit; i++) expect((await authorizeApiRequest(db, bearer('garbage'), '192.0.2.9', now)).ok).toBe(false);
    expect(await authorizeApiRequest(db, bearer(key), '192.0.2.9', now)).toMatchObject({ ok: false, status: 429 });
    for (let i = 0; i < API_LIMITS.perKey.limit; i++) expect(await authorizeApiRequest(db, bearer(key), `198.51.100.${i % 3}`, now)).toEqual({ ok: true, userId });
    const limited = await authorizeApiRequest(db, bearer(key), '198.51.100.77', now);
    expect(limited).toMatchObject({ ok: false, status: 429 });
    expect(limited.ok === false && limited.status === 429 && limited.retryAfter).toBeGreaterThan(0);
    expect(await authorizeApiRequest(db, bearer(key), '198.51.100.77', now + API_LIMITS.perKey.windowMs)).toEqual({ ok: true, userId });
  });
});

describe('A17 / A21: creating or regenerating from the account page', () => {
  async function withSession(reauthenticatedAt: number | null, extra: Partial<typeof users.$inferInsert> = {}) {
    const h = await setup();
    const userId = await h.addUser({ passwordHash: await hashPassword(PASSWORD), ...extra });
    const sessionId = crypto.randomId();
    const now = Date.now();
    await h.db.insert(sessions).values({ id: sessionId, userId, secretHash: crypto.hashSecret('s'), createdAt: now, lastActiveAt: now, expiresAt: now + 86_400_000, twoFactorVerified: true, reauthenticatedAt });
    const current = { userId, sessionId, reauthenticatedAt };
    const reauthOf = async () => (await h.db.select().from(sessions).where(eq(sessions.id, sessionId)))[0]?.reauthenticatedAt;
    return { ...h, userId, current, reauthOf };
  }
  const stale = () => Date.now() - 16 * 60_000;

  test('A21: within 15 minutes of a confirmation no password is asked', async () => {
    const { db, userId, current } = await withSession(Date.now() - 5 * 60_000);
    const result = await changeApiKey(db, current, { password: undefined }, meta);
    expect(result.ok).toBe(true);
    expect(await authenticateApiKey(db, bearer(result.ok ? result.key : ''))).toBe(userId);
  });

  test('A21: later, no password is refused and nothing changes; the right password works and renews sudo mode', async () => {
    const { db, userId, current, reauthOf } = await withSession(stale());
    const before = await createOrRegenerateApiKey(db, userId);
    expect(await changeApiKey(db, current, { password: '' }, meta)).toEqual({ ok: false, reason: 'password-required' });
    expect(await authenticateApiKey(db, bearer(before.key))).toBe(userId);
    const result = await changeApiKey(db, current, { password: PASSWORD }, meta);
    expect(result.ok && result.replaced).toBe(true);
    expect(await authenticateApiKey(db, bearer(before.key))).toBeNull();
    expect(await reauthOf()).toBeGreaterThan(Date.now() - 5000);
    const events = await db.select().from(securityEvents).where(eq(securityEvents.userId, userId));
    expect(events.map((e) => e.type)).toContain('api-key.regenerated');
  });

  test('A12: a wrong password changes nothing and counts toward the lock; the tenth locks the account', async () => {
    const { db, userId, current, reauthOf } = await withSession(stale());
    const before = await createOrRegenerateApiKey(db, userId);
    for (let i = 1; i < LIMITS.wrongPassword.limit; i++) {
      expect(await changeApiKey(db, current, { password: 'Not-The-Password-1' }, meta)).toEqual({ ok: false, reason: 'wrong-password' });
    }
    expect(await authenticateApiKey(db, bearer(before.key))).toBe(userId);
    expect(await reauthOf()).toBeLessThan(Date.now() - 15 * 60_000);
    expect(await changeApiKey(db, current, { password: 'Not-The-Password-1' }, meta)).toEqual({ ok: false, reason: 'locked' });
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]!.lockedAt).not.toBeNull();
    expect(await authenticateApiKey(db, bearer(before.key))).toBeNull();
    const failed = (await db.select().from(securityEvents).where(eq(securityEvents.userId, userId))).filter((e) => e.type === 'api-key.change-failed');
    expect(failed.length).toBe(LIMITS.wrongPassword.limit);
  });

  test('A21: with 2FA on, the password alone is not enough outside sudo mode (fails closed)', async () => {
    const { db, userId, current } = await withSession(stale(), { totpEnabledAt: Date.now() });
    expect(await changeApiKey(db, current, { password: PASSWORD }, meta)).toEqual({ ok: false, reason: 'reauth-required' });
    expect(await apiKeyOf(db, userId)).toBeNull();
  });
});
