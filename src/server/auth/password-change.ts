// A15: change password (Account → Security) — the current password and a new one that follows A3.
// A wrong current password changes nothing (V6.2.3) and counts toward the A12 lock; on success
// every other session ends (V7.4.3), this session counts as re-authenticated (A21) and a notice
// email goes out in the user's preferred language (A16). Never logs a password.
import { and, eq } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { confirmCurrentPassword } from './confirm-password.ts';
import { checkPassword, hashPassword, type PasswordProblem } from './password.ts';
import { reset } from './rate-limit.ts';
import { invalidateUserSessions } from './session.ts';
import { isRecentlyReauthenticated } from './sudo.ts';

export interface PasswordChangeErrors {
  currentPassword?: 'required' | 'wrong';
  newPassword?: Array<'required' | PasswordProblem>;
}

export type PasswordChangeResult =
  | { ok: true; endedSessions: number }
  | { ok: false; reason: 'invalid'; errors: PasswordChangeErrors }
  /** A12: this wrong password reached the limit; the account is locked and every session ended. */
  | { ok: false; reason: 'locked' }
  /** A21: with 2FA on, the password alone is not enough; the session must have passed the code recently. */
  | { ok: false; reason: 'reauth-required' }
  | { ok: false; reason: 'not-found' };

export async function changePassword(
  db: Db,
  current: { userId: string; sessionId: string; reauthenticatedAt: number | null },
  input: { currentPassword: unknown; newPassword: unknown },
  meta: RequestMeta & { origin: string },
  now = Date.now(),
): Promise<PasswordChangeResult> {
  const user = (await db.select().from(users).where(eq(users.id, current.userId)).limit(1))[0];
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  const currentPassword = typeof input.currentPassword === 'string' ? input.currentPassword : '';
  const newPassword = typeof input.newPassword === 'string' ? input.newPassword : '';

  const errors: PasswordChangeErrors = {};
  const problems = newPassword ? checkPassword(newPassword, { email: user.email, name: user.name, username: user.username }) : ['required' as const];
  if (problems.length) errors.newPassword = problems;

  if (!currentPassword) {
    errors.currentPassword = 'required';
  } else {
    // V6.2.3 / A12: every wrong current password is counted, whatever else is wrong with the form.
    const confirmation = await confirmCurrentPassword(db, user, currentPassword, { type: 'password.change-failed', meta }, now);
    if (confirmation === 'locked') return { ok: false, reason: 'locked' };
    if (confirmation === 'wrong') errors.currentPassword = 'wrong';
  }
  if (errors.currentPassword || errors.newPassword) return { ok: false, reason: 'invalid', errors };

  // A21: sudo mode is password and code where 2FA is on: a 2FA account needs a session that passed
  // both within the last 15 minutes (sign-in, or /account/confirm — two-factor.ts `reauthenticate`).
  if (user.totpEnabledAt !== null && !isRecentlyReauthenticated(current, now)) return { ok: false, reason: 'reauth-required' };

  const passwordHash = await hashPassword(newPassword);
  // Compare-and-set on the hash just verified: of two parallel changes only one applies.
  const updated = await db
    .update(users)
    .set({ passwordHash, updatedAt: now })
    .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  if (updated.rowsAffected !== 1) return { ok: false, reason: 'invalid', errors: { currentPassword: 'wrong' } };

  const endedSessions = await invalidateUserSessions(db, user.id, current.sessionId);
  await db.update(sessions).set({ reauthenticatedAt: now }).where(and(eq(sessions.id, current.sessionId), eq(sessions.userId, user.id)));
  await reset(db, `wrong-password:${user.id}`);
  await recordEvent(db, { type: 'password.changed', userId: user.id, ...meta, detail: { endedSessions } });
  try {
    await sendMail(db, {
      to: user.email,
      kind: 'password-changed',
      locale: user.locale,
      vars: { name: user.name, timeZone: user.timeZone, time: now, resetLink: `${meta.origin}/${user.locale}/recover`, supportLink: `${meta.origin}/${user.locale}/support` },
    });
  } catch (error) {
    // The password is changed already; a failed notice is recorded on its outbox row, not shown as a failure.
    if (!(error instanceof MailDeliveryError)) throw error;
    console.error(`loket: password-changed notice email failed (outbox #${error.outboxId})`);
  }
  return { ok: true, endedSessions };
}
