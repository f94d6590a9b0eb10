// T6 / A19 "by email with verification": a public sender confirms their address with an emailed,
// single-use, expiring link. Only a SHA-256 of the link's secret is stored, compared in constant
// time (the one-time token design of src/server/auth/). The ticket records when it was confirmed.
import { and, eq, exists, isNull, sql } from 'drizzle-orm';
import { tickets, ticketSenderConfirmations } from '../../../db/schema/index.ts';
import { hashSecret, randomId, randomSecret, secretsEqual, splitToken } from '../auth/crypto.ts';
import type { Db } from '../db/client.ts';
import { MAIL_DEFAULTS } from '../mail/templates.ts';

/** The link is valid as long as the other emailed links (24 hours). */
export const SENDER_CONFIRMATION_TTL_MS = MAIL_DEFAULTS.linkHours * 60 * 60_000;

/** A new link for `ticketId`: the row to insert (hash only) and the `id.secret` token to email. */
export function newSenderConfirmation(ticketId: string, now: number): { row: typeof ticketSenderConfirmations.$inferInsert; token: string } {
  const id = randomId();
  const secret = randomSecret();
  return {
    row: { id, ticketId, secretHash: hashSecret(secret), createdAt: now, expiresAt: now + SENDER_CONFIRMATION_TTL_MS },
    token: `${id}.${secret}`,
  };
}

export type SenderConfirmationResult =
  | { ok: true; ticketNumber: number; locale: string }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Uses the link once: the ticket's sender counts as verified from `now`. */
export async function confirmSender(db: Db, token: string, now = Date.now()): Promise<SenderConfirmationResult> {
  const parts = splitToken(token);
  if (!parts) return { ok: false, reason: 'invalid' };
  const link = (
    await db
      .select()
      .from(ticketSenderConfirmations)
      .where(and(eq(ticketSenderConfirmations.id, parts.id), isNull(ticketSenderConfirmations.usedAt)))
      .limit(1)
  )[0];
  if (!link || !secretsEqual(hashSecret(parts.secret), link.secretHash)) return { ok: false, reason: 'invalid' };
  if (now >= link.expiresAt) return { ok: false, reason: 'expired' };

  // One batch: the ticket changes only while the link is still unused, and the link is used up;
  // of two parallel confirmations exactly one applies.
  const stillUnused = db
    .select({ one: sql`1` })
    .from(ticketSenderConfirmations)
    .where(and(eq(ticketSenderConfirmations.id, link.id), isNull(ticketSenderConfirmations.usedAt)));
  const [update] = await db.batch([
    db
      .update(tickets)
      .set({ senderVerifiedAt: sql`COALESCE(${tickets.senderVerifiedAt}, ${now})`, updatedAt: now })
      .where(and(eq(tickets.id, link.ticketId), exists(stillUnused))),
    db
      .update(ticketSenderConfirmations)
      .set({ usedAt: now })
      .where(and(eq(ticketSenderConfirmations.id, link.id), isNull(ticketSenderConfirmations.usedAt))),
  ]);
  if (update.rowsAffected !== 1) return { ok: false, reason: 'invalid' };
  const ticket = (await db.select({ number: tickets.number, locale: tickets.locale }).from(tickets).where(eq(tickets.id, link.ticketId)).limit(1))[0];
  if (!ticket) return { ok: false, reason: 'invalid' };
  return { ok: true, ticketNumber: ticket.number, locale: ticket.locale };
}
