// A12 "another pattern of unusual activity": wrong passwords for one account arriving from many
// different networks within 15 minutes — someone guessing from a spread of addresses (a botnet,
// credential stuffing) rather than the owner mistyping — lock the account before the tenth try.
import type { Db } from '../db/client.ts';
import { networkOf } from './devices.ts';
import { consume } from './rate-limit.ts';
import { hashSecret } from './crypto.ts';

export const UNUSUAL_ACTIVITY = {
  /** Distinct networks (/24, /48) with a wrong password for one account… */
  networks: 5,
  /** …within this window. */
  windowMs: 15 * 60_000,
} as const;

/**
 * Notes a wrong password for `userId` from `ip`'s network; true when wrong passwords for this
 * account have now come from UNUSUAL_ACTIVITY.networks different networks within the window.
 * The counters live in rate_limits (so they hold across instances and restarts); networks are
 * stored hashed.
 */
export async function isDistributedGuessing(db: Db, userId: string, ip: string, now = Date.now()): Promise<boolean> {
  const network = networkOf(ip) ?? ip;
  const prefix = `wrong-password-network:${userId}:`;
  await consume(db, `${prefix}${hashSecret(network).toString('hex').slice(0, 16)}`, { limit: Number.MAX_SAFE_INTEGER, windowMs: UNUSUAL_ACTIVITY.windowMs }, now);
  const result = await db.$client.execute({
    sql: 'SELECT count(*) AS n FROM rate_limits WHERE key >= ?1 AND key < ?2 AND window_start > ?3',
    // A range on the primary key: every key that starts with the prefix (';' sorts right after ':').
    args: [prefix, `${prefix.slice(0, -1)};`, now - UNUSUAL_ACTIVITY.windowMs],
  });
  return Number(result.rows[0]?.n ?? 0) >= UNUSUAL_ACTIVITY.networks;
}

/** After the owner proved themselves (a right password, an unlock): the networks seen so far no longer count. */
export async function forgetWrongPasswordNetworks(db: Db, userId: string): Promise<void> {
  const prefix = `wrong-password-network:${userId}:`;
  await db.$client.execute({ sql: 'DELETE FROM rate_limits WHERE key >= ?1 AND key < ?2', args: [prefix, `${prefix.slice(0, -1)};`] });
}
