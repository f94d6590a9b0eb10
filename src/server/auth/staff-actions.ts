// S4: account actions by support staff — unlock after manual verification (A12), reset 2FA after
// manual verification (A13), suspend and lift a suspension (A18), end all sessions, carry out a
// deletion request (A19). Each one: the actor must be an active agent or admin (editors and
// customers may not), a reason is required, and an audit record (actor = the staff member) is
// written in the same atomic batch as the change. A refused action changes nothing.
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { mailOutbox, oneTimeTokens, recoveryCodes, securityEvents, sessions, users, type Role } from '../../../db/schema/index.ts';
import type { SecurityEventType, RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { anonymisedEventDetail, erasedEmail, erasureStatements, truncateWriteAheadLog, withSecureDelete, type ErasedIdentity } from './erasure.ts';

/** Who acts and from where: the signed-in staff member's id, the request's IP and browser, and the public origin (for links in emails). */
export interface StaffActor extends RequestMeta {
  id: string;
  origin: string;
}

export const REASON_MAX_LENGTH = 500;
/** S4: the roles that may take account actions. Editors keep the knowledge base only. */
export const ACCOUNT_ACTION_ROLES: readonly Role[] = ['agent', 'admin'];

export type StaffActionRefusal =
  /** The actor is not an active agent/admin, or an agent acted on a staff account. */
  | { ok: false; reason: 'forbidden' }
  /** Staff never act on their own account through the console. */
  | { ok: false; reason: 'self' }
  | { ok: false; reason: 'reason-required' }
  | { ok: false; reason: 'reason-too-long'; max: number }
  /** No such account, or it was deleted. */
  | { ok: false; reason: 'not-found' }
  /** The account is not in a state this action applies to (nothing to do). */
  | { ok: false; reason: 'not-locked' | 'two-factor-off' | 'already-suspended' | 'not-suspended' };

export type StaffActionResult<T extends object = object> = ({ ok: true } & T) | StaffActionRefusal;

type Target = typeof users.$inferSelect;

/** N2: the reason is trimmed, its runs of whitespace collapsed; empty or over 500 characters is refused. */
export function normalizeReason(raw: unknown): { ok: true; reason: string } | Extract<StaffActionRefusal, { reason: 'reason-required' | 'reason-too-long' }> {
  const reason = typeof raw === 'string' ? raw.replace(/[\s\p{Cc}]+/gu, ' ').trim() : '';
  if (!reason) return { ok: false, reason: 'reason-required' };
  if ([...reason].length > REASON_MAX_LENGTH) return { ok: false, reason: 'reason-too-long', max: REASON_MAX_LENGTH };
  return { ok: true, reason };
}

/** The actor as the database knows them now (a role change or suspension takes effect at once). */
export async function activeStaff(db: Db, actorId: string, allowed: readonly Role[]): Promise<{ id: string; role: Role } | null> {
  const actor = (
    await db
      .select({ id: users.id, role: users.role, lockedAt: users.lockedAt, suspendedAt: users.suspendedAt, deletedAt: users.deletedAt, verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, actorId))
      .limit(1)
  )[0];
  if (!actor || !allowed.includes(actor.role)) return null;
  if (actor.lockedAt !== null || actor.suspendedAt !== null || actor.deletedAt !== null || actor.verified === null) return null;
  return { id: actor.id, role: actor.role };
}

/**
 * The checks every action shares, in this order: the actor's role, the reason, the target. An
 * agent acts on customer accounts only; an admin on any account but their own.
 */
export async function authorizeStaffAction(
  db: Db,
  actor: StaffActor,
  userId: string,
  rawReason: unknown,
  allowed: readonly Role[] = ACCOUNT_ACTION_ROLES,
): Promise<{ ok: true; target: Target; reason: string } | StaffActionRefusal> {
  const staff = await activeStaff(db, actor.id, allowed);
  if (!staff) return { ok: false, reason: 'forbidden' };
  const reason = normalizeReason(rawReason);
  if (!reason.ok) return reason;
  if (userId === staff.id) return { ok: false, reason: 'self' };
  const target = typeof userId === 'string' ? (await db.select().from(users).where(eq(users.id, userId)).limit(1))[0] : undefined;
  if (!target || target.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (staff.role !== 'admin' && target.role !== 'customer') return { ok: false, reason: 'forbidden' };
  return { ok: true, target, reason: reason.reason };
}

/** The audit record of a staff action, as a statement to run in the same batch as the change. */
export function staffEvent(db: Db, actor: StaffActor, type: SecurityEventType, userId: string, detail: { action: string; reason: string } & Record<string, unknown>) {
  return db.insert(securityEvents).values({ type, userId, actor: actor.id, ip: actor.ip, userAgent: actor.userAgent.slice(0, 300), detail });
}

const links = (actor: StaffActor, locale: string) => ({
  resetLink: `${actor.origin}/${locale}/recover`,
  supportLink: `${actor.origin}/${locale}/support`,
});

/** A12: unlock after an agent verified ownership by hand. The emailed unlock link stops working; the failure counters restart. */
export async function unlockAccount(db: Db, actor: StaffActor, userId: string, reason: unknown, now = Date.now()): Promise<StaffActionResult> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const { target } = check;
  if (target.lockedAt === null) return { ok: false, reason: 'not-locked' };
  await db.batch([
    db.update(users).set({ lockedAt: null, lockReason: null, updatedAt: now }).where(eq(users.id, target.id)),
    db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, target.id), eq(oneTimeTokens.purpose, 'unlock'))),
    db.run(sql`DELETE FROM rate_limits WHERE key IN (${`wrong-password:${target.id}`}, ${`wrong-code:${target.id}`})`),
    // A12: the networks that guessed wrong no longer count either (see unusual-activity.ts).
    db.run(sql`DELETE FROM rate_limits WHERE key >= ${`wrong-password-network:${target.id}:`} AND key < ${`wrong-password-network:${target.id};`}`),
    staffEvent(db, actor, 'staff.account-unlocked', target.id, { action: 'unlock', reason: check.reason, lockReason: target.lockReason }),
  ]);
  await sendMail(db, {
    to: target.email,
    kind: 'account-unlocked-by-support',
    locale: target.locale,
    vars: { name: target.name, timeZone: target.timeZone, time: now, ...links(actor, target.locale) },
  });
  return { ok: true };
}

/**
 * A13: after manual verification (device and every recovery code lost), support turns 2FA off:
 * the secret, its replay guard and every recovery code are removed, every session ends (V7.4.3),
 * and a notice goes to the account's email. Where 2FA is mandatory, the next sign-in enrols again (A9).
 */
export async function resetTwoFactor(db: Db, actor: StaffActor, userId: string, reason: unknown, now = Date.now()): Promise<StaffActionResult<{ endedSessions: number }>> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const { target } = check;
  if (target.totpEnabledAt === null && target.totpSecret === null) return { ok: false, reason: 'two-factor-off' };
  const [, , ended] = await db.batch([
    db.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now }).where(eq(users.id, target.id)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, target.id)),
    db.delete(sessions).where(eq(sessions.userId, target.id)),
    db.run(sql`DELETE FROM rate_limits WHERE key = ${`wrong-code:${target.id}`}`),
    staffEvent(db, actor, 'staff.two-factor-reset', target.id, { action: 'reset-2fa', reason: check.reason }),
  ]);
  await sendMail(db, {
    to: target.email,
    kind: '2fa-reset-by-support',
    locale: target.locale,
    vars: { name: target.name, timeZone: target.timeZone, time: now, securityLink: `${actor.origin}/${target.locale}/account`, ...links(actor, target.locale) },
  });
  return { ok: true, endedSessions: ended.rowsAffected };
}

/** A18: suspension for a breach of the terms, with the reason the user will see. Every session ends at once (V7.4.2). */
export async function suspendAccount(db: Db, actor: StaffActor, userId: string, reason: unknown, now = Date.now()): Promise<StaffActionResult<{ endedSessions: number }>> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const { target } = check;
  if (target.suspendedAt !== null) return { ok: false, reason: 'already-suspended' };
  const [updated, ended] = await db.batch([
    db.update(users).set({ suspendedAt: now, suspensionReason: check.reason, updatedAt: now }).where(and(eq(users.id, target.id), isNull(users.suspendedAt))),
    db.delete(sessions).where(eq(sessions.userId, target.id)),
    staffEvent(db, actor, 'staff.account-suspended', target.id, { action: 'suspend', reason: check.reason }),
  ]);
  if (updated.rowsAffected !== 1) return { ok: false, reason: 'already-suspended' };
  await sendMail(db, {
    to: target.email,
    kind: 'account-suspended',
    locale: target.locale,
    vars: { name: target.name, reason: check.reason, termsLink: `${actor.origin}/${target.locale}/terms`, supportLink: `${actor.origin}/${target.locale}/support` },
  });
  return { ok: true, endedSessions: ended.rowsAffected };
}

/** A18: lifting a suspension (e.g. after an appeal); the user can sign in again and is told by email. */
export async function liftSuspension(db: Db, actor: StaffActor, userId: string, reason: unknown, now = Date.now()): Promise<StaffActionResult> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const { target } = check;
  if (target.suspendedAt === null) return { ok: false, reason: 'not-suspended' };
  await db.batch([
    db.update(users).set({ suspendedAt: null, suspensionReason: null, updatedAt: now }).where(and(eq(users.id, target.id), isNotNull(users.suspendedAt))),
    staffEvent(db, actor, 'staff.suspension-lifted', target.id, { action: 'lift-suspension', reason: check.reason }),
  ]);
  await sendMail(db, {
    to: target.email,
    kind: 'suspension-lifted',
    locale: target.locale,
    vars: { name: target.name, timeZone: target.timeZone, time: now, signInLink: `${actor.origin}/${target.locale}/login` },
  });
  return { ok: true };
}

/** S4 / V7.4.2: ends every session of the account (e.g. a customer reports a stolen device). */
export async function endAllSessions(db: Db, actor: StaffActor, userId: string, reason: unknown): Promise<StaffActionResult<{ endedSessions: number }>> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const [ended] = await db.batch([
    db.delete(sessions).where(eq(sessions.userId, check.target.id)),
    staffEvent(db, actor, 'staff.sessions-ended', check.target.id, { action: 'end-all-sessions', reason: check.reason }),
  ]);
  return { ok: true, endedSessions: ended.rowsAffected };
}

/**
 * A19: carries out a deletion request. In one atomic batch the account's personal data is removed
 * or anonymised (see erasure.ts) and every session ends; then the confirmation goes, in the user's
 * language, to the address the account had. Its outbox record keeps no address. A failed SMTP
 * delivery does not undo the deletion: `confirmationSent: false` tells the agent to reply by ticket.
 */
export async function deleteAccount(db: Db, actor: StaffActor, userId: string, reason: unknown, now = Date.now()): Promise<StaffActionResult<{ confirmationSent: boolean }>> {
  const check = await authorizeStaffAction(db, actor, userId, reason);
  if (!check.ok) return check;
  const { target } = check;
  const identity: ErasedIdentity = { id: target.id, email: target.email, name: target.name, username: target.username };
  const pendingAddresses = (
    await db.select({ email: oneTimeTokens.email }).from(oneTimeTokens).where(and(eq(oneTimeTokens.userId, target.id), isNotNull(oneTimeTokens.email)))
  ).flatMap((r) => (r.email ? [r.email] : []));
  const events = await db.select({ id: securityEvents.id, detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.userId, target.id));
  const auditReason = anonymisedEventDetail({ action: 'delete', reason: check.reason }, identity) as { action: string; reason: string };
  // The audit record comes last: the erasure blanks the IPs of the account's earlier events, not the agent's.
  await db.batch(
    withSecureDelete(db, [
      ...erasureStatements(db, identity, { now, mailAddresses: [target.email, ...pendingAddresses], events }),
      staffEvent(db, actor, 'staff.account-deleted', target.id, auditReason),
    ]),
  );
  let confirmationSent = true;
  let outboxId: number;
  try {
    // No name in the greeting: the record of this last email must not hold what was just removed.
    outboxId = (await sendMail(db, { to: target.email, kind: 'account-deleted', locale: target.locale, vars: { name: '', timeZone: target.timeZone, time: now } })).id;
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    confirmationSent = false;
    outboxId = error.outboxId;
  }
  await db.batch(withSecureDelete(db, [db.update(mailOutbox).set({ to: erasedEmail(target.id) }).where(eq(mailOutbox.id, outboxId))]));
  await truncateWriteAheadLog(db);
  return { ok: true, confirmationSent };
}
