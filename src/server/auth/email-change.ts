// A14: change email (Account → Security) — the current password and the new address; a
// single-use link to the new address (24 h) must be opened before the change takes effect, and
// the old address is told at once (checklist 30, 32). An address that already belongs to another
// account gets the same answer as success and no link (V6.3.8: nobody learns who is registered).
// Other sessions are kept: the password is unchanged, and the old address's notice carries the
// reset link that ends them all. Never logs a password or a token.
import { and, eq, exists, isNull, ne, sql } from 'drizzle-orm';
import { oneTimeTokens, sessions, users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { MAIL_DEFAULTS } from '../mail/templates.ts';
import { hashSecret, randomId, randomSecret, secretsEqual, splitToken } from './crypto.ts';
import { isValidEmail, maskEmail, normalizeEmail } from './email.ts';
import { confirmCurrentPassword } from './confirm-password.ts';
import { consume, LIMITS } from './rate-limit.ts';
import { isRecentlyReauthenticated } from './sudo.ts';
import { isUniqueViolation } from '../db/errors.ts';

export const EMAIL_CHANGE_LINK_TTL_MS = MAIL_DEFAULTS.emailChangeHours * 60 * 60_000;

type Meta = RequestMeta & { origin: string };

export interface EmailChangeErrors {
  password?: 'required' | 'wrong';
  newEmail?: 'required' | 'invalid' | 'same';
}

export type EmailChangeRequestResult =
  /** Also the answer when the address belongs to another account (no link is sent then). */
  | { ok: true; newEmail: string }
  | { ok: false; reason: 'invalid'; errors: EmailChangeErrors }
  /** A12: this wrong password reached the limit; the account is locked and every session ended. */
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number }
  /** A21: with 2FA on, the password alone is not enough; the session must have passed the code recently. */
  | { ok: false; reason: 'reauth-required' }
  | { ok: false; reason: 'not-found' };

export async function requestEmailChange(
  db: Db,
  current: { id: string },
  session: { id: string; reauthenticatedAt: number | null },
  input: { password: unknown; newEmail: unknown },
  meta: Meta,
  now = Date.now(),
): Promise<EmailChangeRequestResult> {
  const user = (await db.select().from(users).where(eq(users.id, current.id)).limit(1))[0];
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  const password = typeof input.password === 'string' ? input.password : '';
  const newEmail = normalizeEmail(input.newEmail);

  const errors: EmailChangeErrors = {};
  if (!newEmail) errors.newEmail = 'required';
  else if (!isValidEmail(newEmail)) errors.newEmail = 'invalid';
  else if (newEmail === user.email) errors.newEmail = 'same';
  if (!password) {
    errors.password = 'required';
  } else {
    // V6.2.3 / A12: every wrong password counts toward the lock, whatever else is wrong with the form.
    const confirmation = await confirmCurrentPassword(db, user, password, { type: 'email.change-failed', meta }, now);
    if (confirmation === 'locked') return { ok: false, reason: 'locked' };
    if (confirmation === 'wrong') errors.password = 'wrong';
  }
  if (errors.password || errors.newEmail) return { ok: false, reason: 'invalid', errors };

  // A21: sudo mode is password and code where 2FA is on: a 2FA account needs a session that passed
  // both within the last 15 minutes (sign-in, or /account/confirm — two-factor.ts `reauthenticate`).
  if (user.totpEnabledAt !== null && !isRecentlyReauthenticated(session, now)) return { ok: false, reason: 'reauth-required' };
  // Counted before the "taken" check, so both cases run out of requests alike.
  const limit = await consume(db, `mail:email-change:${user.id}`, LIMITS.verificationEmail, now);
  if (!limit.ok) return { ok: false, reason: 'rate-limited', retryAfter: limit.retryAfter };

  // The password just proved it is the owner: this session counts as re-authenticated (A21).
  if (user.totpEnabledAt === null) await db.update(sessions).set({ reauthenticatedAt: now }).where(and(eq(sessions.id, session.id), eq(sessions.userId, user.id)));
  const taken = (await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).limit(1))[0];
  // Only the newest request's link works.
  const clearPending = db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'email-change')));
  let link: string | undefined;
  if (taken) {
    await clearPending;
    await recordEvent(db, { type: 'email.change-address-taken', userId: user.id, ...meta });
  } else {
    const id = randomId();
    const secret = randomSecret();
    await db.batch([
      clearPending,
      db.insert(oneTimeTokens).values({ id, purpose: 'email-change', userId: user.id, secretHash: hashSecret(secret), email: newEmail, createdAt: now, expiresAt: now + EMAIL_CHANGE_LINK_TTL_MS }),
    ]);
    await recordEvent(db, { type: 'email.change-requested', userId: user.id, ...meta, detail: { to: maskEmail(newEmail) } });
    link = `${meta.origin}/${user.locale}/account/confirm-email?token=${id}.${secret}`;
  }
  const notYou = { resetLink: `${meta.origin}/${user.locale}/recover`, supportLink: `${meta.origin}/${user.locale}/support` };
  if (link) await deliver(() => sendMail(db, { to: newEmail, kind: 'email-change-confirm', locale: user.locale, vars: { name: user.name, timeZone: user.timeZone, link } }));
  // Checklist 32: the old address is told of every request, so it cannot tell a taken address either.
  await deliver(() => sendMail(db, { to: user.email, kind: 'email-change-notice', locale: user.locale, vars: { name: user.name, timeZone: user.timeZone, time: now, newEmail, ...notYou } }));
  return { ok: true, newEmail };
}

export type EmailChangeConfirmResult =
  | { ok: true; userId: string; newEmail: string }
  | { ok: false; reason: 'invalid' | 'expired' }
  /** The address was taken by another account after the request; nothing changed. */
  | { ok: false; reason: 'taken' };

/** A14: the link from the new address (confirmed by a POST). Single use, 24 h. */
export async function confirmEmailChange(db: Db, link: string, meta: Meta, now = Date.now()): Promise<EmailChangeConfirmResult> {
  const parts = splitToken(link);
  if (!parts) return { ok: false, reason: 'invalid' };
  const token = (
    await db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.id, parts.id), eq(oneTimeTokens.purpose, 'email-change'), isNull(oneTimeTokens.usedAt)))
      .limit(1)
  )[0];
  if (!token || !token.email || !secretsEqual(hashSecret(parts.secret), token.secretHash)) return { ok: false, reason: 'invalid' };
  if (now >= token.expiresAt) return { ok: false, reason: 'expired' };
  const user = (await db.select().from(users).where(eq(users.id, token.userId)).limit(1))[0];
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'invalid' };
  const newEmail = token.email;
  const markUsed = () => db.update(oneTimeTokens).set({ usedAt: now }).where(and(eq(oneTimeTokens.id, token.id), isNull(oneTimeTokens.usedAt)));
  const taken = async () => {
    await markUsed();
    await recordEvent(db, { type: 'email.change-address-taken', userId: user.id, ...meta, detail: { at: 'confirm' } });
    return { ok: false, reason: 'taken' } as const;
  };
  if ((await db.select({ id: users.id }).from(users).where(and(eq(users.email, newEmail), ne(users.id, user.id))).limit(1)).length) return taken();

  // One transaction: the address changes only while the link is still unused, and the link is used up;
  // of two parallel confirmations only one applies. emailVerifiedAt stays: the link proved the new address.
  const stillUnused = db.select({ one: sql`1` }).from(oneTimeTokens).where(and(eq(oneTimeTokens.id, token.id), isNull(oneTimeTokens.usedAt)));
  let changed: number;
  try {
    const [update] = await db.batch([
      db.update(users).set({ email: newEmail, updatedAt: now }).where(and(eq(users.id, user.id), isNull(users.deletedAt), exists(stillUnused))),
      markUsed(),
    ]);
    changed = update.rowsAffected;
  } catch (error) {
    if (isUniqueViolation(error)) return taken(); // taken between the check and the update
    throw error;
  }
  if (changed !== 1) return { ok: false, reason: 'invalid' };
  await recordEvent(db, { type: 'email.changed', userId: user.id, actor: user.id, ...meta, detail: { from: maskEmail(user.email), to: maskEmail(newEmail) } });
  await deliver(() =>
    sendMail(db, {
      to: user.email,
      kind: 'email-changed',
      locale: user.locale,
      vars: { name: user.name, timeZone: user.timeZone, time: now, newEmail, supportLink: `${meta.origin}/${user.locale}/support` },
    }),
  );
  return { ok: true, userId: user.id, newEmail };
}

/** A failed SMTP delivery is recorded on its outbox row; the change itself is not undone by it. */
async function deliver(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof MailDeliveryError)) throw error;
    console.error(`loket: ${error.kind} email failed (outbox #${error.outboxId})`);
  }
}
