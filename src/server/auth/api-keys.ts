// A17: one personal API key per user for the tickets API, `loket_<keyId>_<secret>`. Only
// SHA-256(secret) is stored (compared in constant time); the full key is shown once. Creating
// or regenerating needs sudo mode (A21); regenerating replaces the row in one statement, so the
// old key stops working at once. Keys of locked, suspended, deleted or unverified users are refused.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { apiKeys, sessions, users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { confirmCurrentPassword } from './confirm-password.ts';
import { hashSecret, randomId, randomSecret, secretsEqual } from './crypto.ts';
import { consume, reset, type RateLimit } from './rate-limit.ts';
import { isRecentlyReauthenticated } from './sudo.ts';

export const API_KEY_PREFIX = 'loket_';
const KEY_PATTERN = /^loket_([a-z2-7]{16,64})_([a-z2-7]{16,128})$/;
/** lastUsedAt is written at most this often (one write per minute per key, not per request). */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** A21: API requests per client IP (counted before the key is checked, so guessing is bounded) and per key. */
export const API_LIMITS = {
  perIp: { limit: 120, windowMs: 60_000 },
  perKey: { limit: 60, windowMs: 60_000 },
} satisfies Record<string, RateLimit>;
/** API_LIMITS, unless the operator set API_RATE_LIMIT_PER_IP / API_RATE_LIMIT_PER_KEY (requests per minute, read at each request). */
export function apiLimits(env: NodeJS.ProcessEnv = process.env): typeof API_LIMITS {
  const perMinute = (value: string | undefined, fallback: RateLimit): RateLimit => {
    const n = Number(value);
    return value && Number.isSafeInteger(n) && n > 0 ? { limit: n, windowMs: 60_000 } : fallback;
  };
  return { perIp: perMinute(env.API_RATE_LIMIT_PER_IP, API_LIMITS.perIp), perKey: perMinute(env.API_RATE_LIMIT_PER_KEY, API_LIMITS.perKey) };
}
/** Compared against when the keyId is unknown, so that path costs the same hash and comparison. */
const DUMMY_HASH = hashSecret('loket-no-such-key');

export interface ApiKeyInfo {
  keyId: string;
  /** What the page shows: `loket_<keyId>_…`. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Splits `loket_<keyId>_<secret>`; null when the shape is wrong. */
export function parseApiKey(key: string | null | undefined): { keyId: string; secret: string } | null {
  if (!key || key.length > 200) return null;
  const m = KEY_PATTERN.exec(key);
  return m ? { keyId: m[1]!, secret: m[2]! } : null;
}

/** Creates the user's key, or replaces the existing one (the old key dies in the same statement). Returns the full key, once. */
export async function createOrRegenerateApiKey(db: Db, userId: string, now = Date.now()): Promise<{ key: string; info: ApiKeyInfo; replaced: boolean }> {
  const keyId = randomId();
  const secret = randomSecret();
  const values = { userId, keyId, secretHash: hashSecret(secret), createdAt: now, lastUsedAt: null };
  const previous = await db.select({ keyId: apiKeys.keyId }).from(apiKeys).where(eq(apiKeys.userId, userId)).limit(1);
  await db.insert(apiKeys).values(values).onConflictDoUpdate({ target: apiKeys.userId, set: { keyId, secretHash: values.secretHash, createdAt: now, lastUsedAt: null } });
  return { key: `${API_KEY_PREFIX}${keyId}_${secret}`, info: { keyId, prefix: `${API_KEY_PREFIX}${keyId}_…`, createdAt: now, lastUsedAt: null }, replaced: previous.length > 0 };
}

export async function apiKeyOf(db: Db, userId: string): Promise<ApiKeyInfo | null> {
  const row = (await db.select({ keyId: apiKeys.keyId, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.userId, userId)).limit(1))[0];
  return row ? { ...row, prefix: `${API_KEY_PREFIX}${row.keyId}_…` } : null;
}

/** Deletes the user's key; false when there was none. */
export async function revokeApiKey(db: Db, userId: string): Promise<boolean> {
  const result = await db.delete(apiKeys).where(eq(apiKeys.userId, userId));
  return result.rowsAffected > 0;
}

/** `Authorization: Bearer loket_…` → the key's user id, or null. */
export async function authenticateApiKey(db: Db, header: string | null, now = Date.now()): Promise<string | null> {
  return (await checkApiKey(db, header, now))?.userId ?? null;
}

async function checkApiKey(db: Db, header: string | null, now: number): Promise<{ userId: string; keyId: string } | null> {
  const m = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
  const parts = parseApiKey(m?.[1]);
  if (!parts) return null;
  const row = (
    await db
      .select({ userId: apiKeys.userId, secretHash: apiKeys.secretHash, lastUsedAt: apiKeys.lastUsedAt, u: users })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyId, parts.keyId))
      .limit(1)
  )[0];
  // The same hash and constant-time comparison whether or not the keyId exists.
  const matches = secretsEqual(hashSecret(parts.secret), row?.secretHash ?? DUMMY_HASH);
  if (!row || !matches) return null;
  const u = row.u;
  if (u.lockedAt !== null || u.suspendedAt !== null || u.deletedAt !== null || u.emailVerifiedAt === null) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.keyId, parts.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS + 1))));
  }
  return { userId: row.userId, keyId: parts.keyId };
}

export type ApiAuthorization =
  | { ok: true; userId: string }
  | { ok: false; status: 401; error: 'missing_token' | 'invalid_token' }
  | { ok: false; status: 429; retryAfter: number };

/** A17 / A21: one API request — rate-limited per client IP, then the key, then rate-limited per key. */
export async function authorizeApiRequest(db: Db, header: string | null, ip: string, now = Date.now()): Promise<ApiAuthorization> {
  const limits = apiLimits();
  const perIp = await consume(db, `api-ip:${ip}`, limits.perIp, now);
  if (!perIp.ok) return { ok: false, status: 429, retryAfter: perIp.retryAfter };
  if (!header) return { ok: false, status: 401, error: 'missing_token' };
  const found = await checkApiKey(db, header, now);
  if (!found) return { ok: false, status: 401, error: 'invalid_token' };
  const perKey = await consume(db, `api-key:${found.keyId}`, limits.perKey, now);
  if (!perKey.ok) return { ok: false, status: 429, retryAfter: perKey.retryAfter };
  return { ok: true, userId: found.userId };
}

/** What `GET /api/v1/me` returns about the key's owner. */
export async function apiUserOf(db: Db, userId: string): Promise<{ id: string; username: string; name: string } | null> {
  return (await db.select({ id: users.id, username: users.username, name: users.name }).from(users).where(eq(users.id, userId)).limit(1))[0] ?? null;
}

export type ApiKeyChangeResult =
  | { ok: true; key: string; info: ApiKeyInfo; replaced: boolean }
  /** A21: not in sudo mode and no password given. */
  | { ok: false; reason: 'password-required' }
  | { ok: false; reason: 'wrong-password' }
  /** A12: this wrong password reached the limit; the account is locked and every session ended. */
  | { ok: false; reason: 'locked' }
  /** A21: with 2FA on, the password alone is not enough; the session must have passed the code recently. */
  | { ok: false; reason: 'reauth-required' }
  | { ok: false; reason: 'not-found' };

/**
 * A17 / A21: create or regenerate from the account page. Outside sudo mode the password is asked;
 * a right one renews sudo mode on this session, a wrong one changes nothing and counts toward A12.
 */
export async function changeApiKey(
  db: Db,
  current: { userId: string; sessionId: string; reauthenticatedAt: number | null },
  input: { password: unknown },
  meta: RequestMeta & { origin: string },
  now = Date.now(),
): Promise<ApiKeyChangeResult> {
  const user = (await db.select().from(users).where(eq(users.id, current.userId)).limit(1))[0];
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (!isRecentlyReauthenticated(current, now)) {
    const password = typeof input.password === 'string' ? input.password : '';
    if (!password) return { ok: false, reason: 'password-required' };
    const confirmation = await confirmCurrentPassword(db, user, password, { type: 'api-key.change-failed', meta }, now);
    if (confirmation === 'locked') return { ok: false, reason: 'locked' };
    if (confirmation === 'wrong') return { ok: false, reason: 'wrong-password' };
    await reset(db, `wrong-password:${user.id}`);
    // A21: sudo mode is password and code where 2FA is on: the password alone is not enough here;
    // such an account confirms both on /account/confirm (two-factor.ts `reauthenticate`).
    if (user.totpEnabledAt !== null) return { ok: false, reason: 'reauth-required' };
    await db.update(sessions).set({ reauthenticatedAt: now }).where(and(eq(sessions.id, current.sessionId), eq(sessions.userId, user.id)));
  }
  const created = await createOrRegenerateApiKey(db, user.id, now);
  await recordEvent(db, { type: created.replaced ? 'api-key.regenerated' : 'api-key.created', userId: user.id, ...meta, detail: { keyId: created.info.keyId.slice(0, 6) } });
  return { ok: true, ...created };
}

/** A17: revoking needs no password (it only takes access away), but is recorded. */
export async function revokeOwnApiKey(db: Db, userId: string, meta: RequestMeta): Promise<boolean> {
  const revoked = await revokeApiKey(db, userId);
  if (revoked) await recordEvent(db, { type: 'api-key.revoked', userId, ...meta });
  return revoked;
}
