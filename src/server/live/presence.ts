// T3 / T5 / S2: who has a live stream open — an agent online, a customer watching their ticket,
// another agent on the same ticket. Kept in the database so every instance sees every other
// instance's streams (N5): a stream registers at once, this process refreshes all its streams
// in one statement every REFRESH_MS, and a stream is forgotten when it closes or goes stale.
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { livePresence } from '../../../db/schema/index.ts';
import { randomId } from '../auth/crypto.ts';
import type { Db } from '../db/client.ts';

export const REFRESH_MS = 15_000;
/** A stream not refreshed for this long (its instance died) no longer counts. */
export const STALE_MS = 45_000;

interface Entry {
  db: Db;
  channel: string;
  member: string;
  userId: string;
}

const KEY = Symbol.for('loket.presence');
type Registry = { entries: Map<string, Entry>; timer?: ReturnType<typeof setInterval> };
function registry(): Registry {
  const g = globalThis as typeof globalThis & { [KEY]?: Registry };
  g[KEY] ??= { entries: new Map() };
  return g[KEY];
}

async function refreshAll(now = Date.now()): Promise<void> {
  const byDb = new Map<Db, Entry[]>();
  for (const entry of registry().entries.values()) byDb.set(entry.db, [...(byDb.get(entry.db) ?? []), entry]);
  for (const [db, entries] of byDb) {
    const forget = db.delete(livePresence).where(lt(livePresence.lastSeenAt, now - 4 * STALE_MS));
    const refresh = entries.map((e) =>
      db
        .insert(livePresence)
        .values({ channel: e.channel, member: e.member, userId: e.userId, lastSeenAt: now })
        .onConflictDoUpdate({ target: [livePresence.channel, livePresence.member], set: { lastSeenAt: now } }),
    );
    await db.batch([forget, ...refresh]);
  }
}

/** Registers an open stream; the returned function unregisters it (call it when the stream closes). */
export async function enterPresence(db: Db, channel: string, userId: string, now = Date.now()): Promise<() => Promise<void>> {
  const member = `${userId}:${randomId()}`;
  const reg = registry();
  reg.entries.set(`${channel}\n${member}`, { db, channel, member, userId });
  await db.insert(livePresence).values({ channel, member, userId, lastSeenAt: now });
  if (!reg.timer) {
    reg.timer = setInterval(() => void refreshAll().catch((error) => console.error(`loket: presence refresh failed: ${(error as Error).message}`)), REFRESH_MS);
    reg.timer.unref?.();
  }
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    reg.entries.delete(`${channel}\n${member}`);
    if (reg.entries.size === 0 && reg.timer) {
      clearInterval(reg.timer);
      reg.timer = undefined;
    }
    await db.delete(livePresence).where(and(eq(livePresence.channel, channel), eq(livePresence.member, member)));
  };
}

/** The distinct users with a fresh stream on a channel (optionally not counting one user). */
export async function presentUsers(db: Db, channel: string, { except, now = Date.now() }: { except?: string; now?: number } = {}): Promise<string[]> {
  const conditions = [eq(livePresence.channel, channel), gt(livePresence.lastSeenAt, now - STALE_MS)];
  if (except) conditions.push(ne(livePresence.userId, except));
  const rows = await db.selectDistinct({ userId: livePresence.userId }).from(livePresence).where(and(...conditions));
  return rows.map((r) => r.userId);
}

export async function isPresent(db: Db, channel: string, now = Date.now()): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(livePresence)
    .where(and(eq(livePresence.channel, channel), gt(livePresence.lastSeenAt, now - STALE_MS)))
    .limit(1);
  return rows.length > 0;
}

/** For tests and shutdown: refresh now. */
export const refreshPresenceNow = refreshAll;
