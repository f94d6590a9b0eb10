// A19: what deleting an account removes or anonymises. The users row stays as a tombstone (its id
// keeps the security log's events together) with every personal field replaced; everything that
// hangs off the account goes; the security log keeps each event's type, time and actor, but no
// IP, browser or personal detail; mail records to the account's addresses keep no address or body.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { apiKeys, knownDevices, mailOutbox, oneTimeTokens, recoveryCodes, securityEvents, sessions, tickets, users } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';

export interface ErasedIdentity {
  id: string;
  email: string;
  name: string;
  username: string;
}

/** The placeholder address of a deleted account (unique, undeliverable: `.invalid` is reserved). */
export function erasedEmail(userId: string): string {
  return `deleted-${userId}@deleted.invalid`;
}

/** Detail fields that hold codes and counts, never personal data; every other field is dropped. */
const CODE_FIELDS = new Set([
  'action',
  'reason',
  'lockReason',
  'count',
  'outcome',
  'changed',
  'via',
  'twoFactorPending',
  'endedSessions',
  'newDevice',
  'newNetwork',
  'mailDelivered',
  'role',
  'previousRole',
]);

/** Words of the identity that free text (a staff reason) may contain, longest first. */
function identifiers(identity: ErasedIdentity): string[] {
  const local = identity.email.split('@')[0] ?? '';
  const words = [identity.email, identity.name, identity.username, local, ...identity.name.split(/\s+/)];
  return [...new Set(words.map((w) => w.trim()).filter((w) => w.length >= 3))].sort((a, b) => b.length - a.length);
}

function redact(text: string, words: string[]): string {
  let out = text;
  // Whole words only ("Jan" goes, "January" stays), case-insensitive.
  for (const word of words) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu'), '[removed]');
  return out;
}

/** An event's detail without personal data: only code fields are kept, and free text loses the person's email, name and username. */
export function anonymisedEventDetail(detail: Record<string, unknown> | null, identity: ErasedIdentity): Record<string, unknown> | null {
  if (!detail) return null;
  const words = identifiers(identity);
  const kept = Object.entries(detail)
    .filter(([key]) => CODE_FIELDS.has(key))
    .map(([key, value]) => [key, typeof value === 'string' ? redact(value, words) : value] as const);
  return kept.length ? Object.fromEntries(kept) : null;
}

/** The statements of one deletion, to run in one batch (atomic; the caller adds its audit record). */
export function erasureStatements(
  db: Db,
  identity: ErasedIdentity,
  options: { now: number; mailAddresses: string[]; events: Array<{ id: number; detail: Record<string, unknown> | null }> },
): BatchItem<'sqlite'>[] {
  const { id } = identity;
  return [
    db
      .update(users)
      .set({
        email: erasedEmail(id),
        name: '',
        username: `deleted-${id}`,
        // Not an argon2 hash: no password can ever match it (verifyPassword returns false).
        passwordHash: '!deleted',
        role: 'customer',
        emailVerifiedAt: null,
        locale: 'en',
        timeZone: 'Europe/Amsterdam',
        region: 'nl-NL',
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        lockedAt: null,
        lockReason: null,
        suspendedAt: null,
        suspensionReason: null,
        deletedAt: options.now,
        updatedAt: options.now,
      })
      .where(eq(users.id, id)),
    db.delete(sessions).where(eq(sessions.userId, id)),
    db.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, id)),
    db.delete(knownDevices).where(eq(knownDevices.userId, id)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, id)),
    db.delete(apiKeys).where(eq(apiKeys.userId, id)),
    // Rate-limit keys name the account by id or by email (`sign-in:email:…`).
    db.run(sql`DELETE FROM rate_limits WHERE instr(key, ${id}) > 0 OR instr(key, ${identity.email}) > 0`),
    db.update(securityEvents).set({ ip: '', userAgent: '' }).where(eq(securityEvents.userId, id)),
    ...options.events
      .filter((e) => e.detail !== null)
      .map((e) => db.update(securityEvents).set({ detail: anonymisedEventDetail(e.detail, identity) }).where(and(eq(securityEvents.id, e.id), eq(securityEvents.userId, id)))),
    db.update(mailOutbox).set({ to: erasedEmail(id), text: '', html: '' }).where(inArray(mailOutbox.to, options.mailAddresses)),
    // The person's support tickets — signed in, or sent from one of the account's addresses —
    // with their messages, live events and confirmation links (cascade): their own words and
    // the staff's replies to them both speak of the person. The audit record of the deletion stays.
    db.delete(tickets).where(or(eq(tickets.customerId, id), inArray(tickets.senderEmail, options.mailAddresses))),
  ];
}

const isLocalFile = (db: Db) => db.$client.protocol === 'file';

/** For a local file, the batch first turns on secure_delete, so that removed rows are overwritten with zeros, not just freed. */
export function withSecureDelete(db: Db, statements: BatchItem<'sqlite'>[]): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  const all = isLocalFile(db) ? [db.run(sql`PRAGMA secure_delete = ON`), ...statements] : statements;
  return all as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];
}

/**
 * For a local file: the write-ahead log still holds the old page images (with the erased data)
 * until it is checkpointed and reset. Copies it into the database and truncates it; false when
 * another connection still reads an older snapshot (the frames are then overwritten later).
 */
export async function truncateWriteAheadLog(db: Db): Promise<boolean> {
  if (!isLocalFile(db)) return true;
  const result = await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  return Number(result.rows[0]?.[0] ?? 1) === 0;
}
