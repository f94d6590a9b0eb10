// A21: rate limits, persisted in the database so they survive restarts and hold across instances.
// One fixed window per key, counted by a single atomic upsert.
import type { Db } from '../db/client.ts';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  ok: boolean;
  count: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/** The limits of the account flows (per key; keys combine the flow with an IP or an account). */
export const LIMITS = {
  signInPerIp: { limit: 30, windowMs: 15 * 60_000 },
  signInPerAccount: { limit: 20, windowMs: 15 * 60_000 },
  /** A12: 10 wrong passwords in 15 minutes lock the account. */
  wrongPassword: { limit: 10, windowMs: 15 * 60_000 },
  /** A12: 5 wrong 2FA codes in 15 minutes lock the account. */
  wrongCode: { limit: 5, windowMs: 15 * 60_000 },
  registerPerIp: { limit: 10, windowMs: 60 * 60_000 },
  /** A2: resending the verification email. */
  verificationEmail: { limit: 3, windowMs: 15 * 60_000 },
  resetEmail: { limit: 3, windowMs: 15 * 60_000 },
  codePerIp: { limit: 30, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimit>;

export async function consume(db: Db, key: string, { limit, windowMs }: RateLimit, now = Date.now()): Promise<RateLimitResult> {
  const result = await db.$client.execute({
    sql: `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
          ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END,
            window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
          RETURNING count, window_start`,
    args: [key, now, windowMs],
  });
  const row = result.rows[0]!;
  const count = Number(row.count);
  const windowStart = Number(row.window_start);
  return { ok: count <= limit, count, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}

/** Reads a counter without counting (e.g. to refuse before doing expensive work). */
export async function peek(db: Db, key: string, { limit, windowMs }: RateLimit, now = Date.now()): Promise<RateLimitResult> {
  const result = await db.$client.execute({ sql: 'SELECT count, window_start FROM rate_limits WHERE key = ?', args: [key] });
  const row = result.rows[0];
  if (!row || Number(row.window_start) <= now - windowMs) return { ok: true, count: 0, retryAfter: 0 };
  const count = Number(row.count);
  return { ok: count < limit, count, retryAfter: Math.max(1, Math.ceil((Number(row.window_start) + windowMs - now) / 1000)) };
}

export async function reset(db: Db, key: string): Promise<void> {
  await db.$client.execute({ sql: 'DELETE FROM rate_limits WHERE key = ?', args: [key] });
}
