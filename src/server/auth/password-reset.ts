// A5 / A13: "Forgot password" — an emailed, single-use link valid 30 minutes; the new password
// follows A3; every session of the account ends; a notice email confirms the change. The request
// answers the same, at once, whether or not the address has an account (the email goes out after
// the answer), so neither the page nor its timing tells who is registered (ASVS V6.3.8).
import { and, eq, isNull } from 'drizzle-orm';
import { oneTimeTokens, users } from '../../../db/schema/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { sendMail } from '../mail/mailer.ts';
import { hashSecret, randomId, randomSecret, secretsEqual, splitToken } from './crypto.ts';
import { isValidEmail, normalizeEmail } from './email.ts';
import { checkPassword, hashPassword, type PasswordProblem } from './password.ts';
import { consume, LIMITS, reset } from './rate-limit.ts';
import { invalidateUserSessions } from './session.ts';
import { verifySecondFactor } from './two-factor.ts';

export const RESET_LINK_TTL_MS = 30 * 60_000;

export type ResetRequestResult = { ok: true; delivery: Promise<void> } | { ok: false; reason: 'invalid-email' } | { ok: false; reason: 'rate-limited'; retryAfter: number };

export async function requestPasswordReset(db: Db, rawEmail: unknown, meta: RequestMeta & { origin: string }, now = Date.now()): Promise<ResetRequestResult> {
  const email = normalizeEmail(rawEmail);
  if (!isValidEmail(email)) return { ok: false, reason: 'invalid-email' };
  const perIp = await consume(db, `reset:ip:${meta.ip}`, LIMITS.codePerIp);
  if (!perIp.ok) return { ok: false, reason: 'rate-limited', retryAfter: perIp.retryAfter };
  // The work for a known address happens after the answer: same answer, same timing.
  const delivery = sendResetLink(db, email, meta, now).catch((error: unknown) => {
    console.error(`loket: password reset email failed: ${(error as Error).name}`);
  });
  return { ok: true, delivery };
}

async function sendResetLink(db: Db, email: string, meta: RequestMeta & { origin: string }, now: number): Promise<void> {
  const user = (await db.select().from(users).where(eq(users.email, email)).limit(1))[0];
  if (!user || user.deletedAt !== null) return;
  if (!(await consume(db, `mail:reset:${user.id}`, LIMITS.resetEmail, now)).ok) return;
  const id = randomId();
  const secret = randomSecret();
  await db.batch([
    db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'password-reset'))),
    db.insert(oneTimeTokens).values({ id, purpose: 'password-reset', userId: user.id, secretHash: hashSecret(secret), createdAt: now, expiresAt: now + RESET_LINK_TTL_MS }),
  ]);
  await recordEvent(db, { type: 'password.reset-requested', userId: user.id, actor: 'anonymous', ...meta });
  await sendMail(db, {
    to: user.email,
    kind: 'password-reset',
    locale: user.locale as Locale,
    vars: { name: user.name, timeZone: user.timeZone, link: `${meta.origin}/${user.locale}/reset?token=${id}.${secret}` },
  });
}

export type ResetTokenState = 'valid' | 'invalid' | 'expired';

async function findToken(db: Db, link: string) {
  const parts = splitToken(link);
  if (!parts) return undefined;
  const token = (
    await db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.id, parts.id), eq(oneTimeTokens.purpose, 'password-reset'), isNull(oneTimeTokens.usedAt)))
      .limit(1)
  )[0];
  return token && secretsEqual(hashSecret(parts.secret), token.secretHash) ? token : undefined;
}

export async function resetTokenState(db: Db, link: string, now = Date.now()): Promise<ResetTokenState> {
  const token = await findToken(db, link);
  return !token ? 'invalid' : now >= token.expiresAt ? 'expired' : 'valid';
}

/** A5: whether the form must also ask for a 2FA code (only told to the holder of a valid link). */
export async function resetNeedsSecondFactor(db: Db, link: string, now = Date.now()): Promise<boolean> {
  const token = await findToken(db, link);
  if (!token || now >= token.expiresAt) return false;
  const user = (await db.select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, token.userId)).limit(1))[0];
  return user?.totpEnabledAt != null;
}

export type ResetResult =
  | { ok: true; locale: string }
  | { ok: false; reason: 'invalid' | 'expired' }
  /** A5: 2FA is on and the code is missing or wrong (counts toward the A12 lock). */
  | { ok: false; reason: 'code-required' | 'wrong-code' }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number }
  | { ok: false; reason: 'weak-password'; problems: PasswordProblem[] };

export async function completePasswordReset(
  db: Db,
  link: string,
  password: unknown,
  meta: RequestMeta & { origin: string },
  now = Date.now(),
  code?: unknown,
): Promise<ResetResult> {
  const token = await findToken(db, link);
  if (!token) return { ok: false, reason: 'invalid' };
  if (now >= token.expiresAt) return { ok: false, reason: 'expired' };
  const user = (await db.select().from(users).where(eq(users.id, token.userId)).limit(1))[0];
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'invalid' };
  const newPassword = typeof password === 'string' ? password : '';
  const problems = checkPassword(newPassword, { email: user.email, name: user.name, username: user.username });
  if (problems.length) return { ok: false, reason: 'weak-password', problems };
  // A5 / checklist 14: with 2FA on, the link alone is not enough — a TOTP or recovery code too.
  if (user.totpEnabledAt !== null) {
    if (typeof code !== 'string' || !code.trim()) return { ok: false, reason: 'code-required' };
    const checked = await verifySecondFactor(db, user, code, meta, {}, now);
    if (!checked.ok) return checked.reason === 'wrong' ? { ok: false, reason: 'wrong-code' } : checked;
  }
  const passwordHash = await hashPassword(newPassword);
  // Claim the link first (one conditional update): of two parallel requests only one gets here.
  const claimed = await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(and(eq(oneTimeTokens.id, token.id), isNull(oneTimeTokens.usedAt)))
    .returning({ id: oneTimeTokens.id });
  if (claimed.length !== 1) return { ok: false, reason: 'invalid' };
  await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
  await invalidateUserSessions(db, user.id);
  await reset(db, `wrong-password:${user.id}`);
  await recordEvent(db, { type: 'password.reset', userId: user.id, actor: user.id, ...meta });
  await sendMail(db, {
    to: user.email,
    kind: 'password-changed',
    locale: user.locale as Locale,
    vars: { name: user.name, timeZone: user.timeZone, time: now, resetLink: `${meta.origin}/${user.locale}/recover`, supportLink: `${meta.origin}/${user.locale}/support` },
  });
  return { ok: true, locale: user.locale };
}
