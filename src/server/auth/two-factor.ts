// A6 / A7 / A8 / A12 / A21: two-factor authentication — the setup wizard, the second step of
// every sign-in path (a TOTP code or a recovery code), recovery codes, turning it off, and
// re-authentication ("sudo mode": password and, where 2FA is on, a code). Five wrong codes within
// 15 minutes lock the account (A12). Every change is recorded, mailed, and ends every other
// session (V7.4.3, checklist 39). Never logs a code or a secret.
import { createHmac } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { confirmCurrentPassword } from './confirm-password.ts';
import { lockAccount } from './lock.ts';
import { secretsEqual } from './crypto.ts';
import { consume, LIMITS, reset } from './rate-limit.ts';
import { recoveryCodesLeft, replaceRecoveryCodes, deleteRecoveryCodes, useRecoveryCode } from './recovery-codes.ts';
import { createSession, invalidateSession, invalidateUserSessions, type Session } from './session.ts';
import { isRecentlyReauthenticated } from './sudo.ts';
import { newTotpSecret, normalizeTotpCode, totpStepOf, useTotpCode } from './totp.ts';
import { twoFactorRequiredFor } from './two-factor-policy.ts';

type Meta = RequestMeta & { origin: string };
type UserRow = typeof users.$inferSelect;

/** A4: the second step must follow the password within this time; then sign in again. */
export const SECOND_STEP_TTL_MS = 10 * 60_000;

async function userById(db: Db, id: string): Promise<UserRow | undefined> {
  return (await db.select().from(users).where(eq(users.id, id)).limit(1))[0];
}

export type SecondFactorResult =
  | { ok: true; method: 'totp' | 'recovery-code'; recoveryCodesLeft: number | null }
  | { ok: false; reason: 'wrong' }
  /** A12: this wrong code was the fifth within 15 minutes; the account is locked and every session ended. */
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

/**
 * A7 / A12: checks a TOTP code (current step ±1, once) or a recovery code (once). A wrong or
 * replayed code counts toward the lock (five within 15 minutes) unless the account is being
 * unlocked already (`countTowardLock: false`, the unlock link has its own attempt limit).
 */
export async function verifySecondFactor(
  db: Db,
  user: Pick<UserRow, 'id' | 'email' | 'name' | 'locale' | 'totpSecret' | 'totpEnabledAt'>,
  rawCode: unknown,
  meta: Meta & { actor?: string },
  { countTowardLock = true }: { countTowardLock?: boolean } = {},
  now = Date.now(),
): Promise<SecondFactorResult> {
  // An empty field is a slip, not a guess: it neither counts nor locks.
  if (typeof rawCode !== 'string' || !rawCode.trim()) return { ok: false, reason: 'wrong' };
  const perIp = await consume(db, `code:ip:${meta.ip}`, LIMITS.codePerIp, now);
  if (!perIp.ok) return { ok: false, reason: 'rate-limited', retryAfter: perIp.retryAfter };
  if (user.totpEnabledAt === null || !user.totpSecret) return { ok: false, reason: 'wrong' };
  const totp = normalizeTotpCode(rawCode);
  let outcome: 'ok' | 'wrong' | 'replayed';
  let method: 'totp' | 'recovery-code' = 'totp';
  if (totp) {
    outcome = await useTotpCode(db, { id: user.id, totpSecret: user.totpSecret }, totp, now);
  } else {
    method = 'recovery-code';
    outcome = (await useRecoveryCode(db, user.id, rawCode, now)) ? 'ok' : 'wrong';
  }
  const event = { userId: user.id, actor: meta.actor ?? user.id, ip: meta.ip, userAgent: meta.userAgent };
  if (outcome === 'ok') {
    await reset(db, `wrong-code:${user.id}`);
    const left = method === 'recovery-code' ? await recoveryCodesLeft(db, user.id) : null;
    if (method === 'recovery-code') await recordEvent(db, { type: 'two-factor.recovery-code-used', ...event, detail: { left } });
    return { ok: true, method, recoveryCodesLeft: left };
  }
  const failures = await consume(db, `wrong-code:${user.id}`, LIMITS.wrongCode, now);
  await recordEvent(db, { type: 'two-factor.code-failed', ...event, detail: { reason: outcome === 'replayed' ? 'code-already-used' : `wrong-${method}`, count: failures.count } });
  if (countTowardLock && failures.count >= LIMITS.wrongCode.limit) {
    await lockAccount(db, user, 'wrong-codes', meta, now);
    return { ok: false, reason: 'locked' };
  }
  return { ok: false, reason: 'wrong' };
}

export type SignInCodeResult =
  | { ok: true; token: string; expiresAt: number; userId: string; recoveryCodesLeft: number | null }
  | { ok: false; reason: 'expired' }
  | Exclude<SecondFactorResult, { ok: true }>;

/**
 * A4 / A7 / V7.2.4 (checklist 29): the second step of sign-in. On a right code a NEW session is
 * issued (verified, re-authenticated) and the pre-2FA one ends; the pre-2FA session alone never
 * signs anybody in (the middleware ignores it).
 */
export async function completeTwoFactorSignIn(db: Db, pending: Session, rawCode: unknown, meta: Meta, now = Date.now()): Promise<SignInCodeResult> {
  const user = await userById(db, pending.userId);
  if (!user || pending.twoFactorVerified || now - pending.createdAt > SECOND_STEP_TTL_MS) {
    await invalidateSession(db, pending.id);
    return { ok: false, reason: 'expired' };
  }
  const checked = await verifySecondFactor(db, user, rawCode, meta, {}, now);
  if (!checked.ok) return checked;
  // Claim the pre-2FA session (one delete): two parallel right codes on it make one session, not two.
  const claimed = await db.delete(sessions).where(eq(sessions.id, pending.id));
  if (claimed.rowsAffected !== 1) return { ok: false, reason: 'expired' };
  const { token, session } = await createSession(db, user, { ip: meta.ip, userAgent: meta.userAgent, twoFactorVerified: true, reauthenticated: true }, now);
  await recordEvent(db, { type: 'sign-in.second-factor', userId: user.id, ...meta, detail: { method: checked.method } });
  return { ok: true, token, expiresAt: session.expiresAt, userId: user.id, recoveryCodesLeft: checked.recoveryCodesLeft };
}

async function notify(db: Db, user: UserRow, kind: '2fa-enabled' | '2fa-disabled' | 'recovery-codes-regenerated', meta: Meta, now: number) {
  try {
    await sendMail(db, {
      to: user.email,
      kind,
      locale: user.locale,
      vars: { name: user.name, timeZone: user.timeZone, time: now, resetLink: `${meta.origin}/${user.locale}/recover`, supportLink: `${meta.origin}/${user.locale}/support` },
    });
  } catch (error) {
    // The change is made already; a failed notice is recorded on its outbox row, not shown as a failure.
    if (!(error instanceof MailDeliveryError)) throw error;
    console.error(`loket: ${kind} notice email failed (outbox #${error.outboxId})`);
  }
}

type Current = { userId: string; sessionId: string; reauthenticatedAt: number | null };

export type SetupStartResult =
  | { ok: true; secret: string }
  | { ok: false; reason: 'already-on' | 'not-found' }
  | { ok: false; reason: 'wrong-password' | 'password-required' }
  | { ok: false; reason: 'locked' };

/**
 * A6 step 1 (checklist 16): the password first; only then is a secret made (20 CSPRNG bytes,
 * V6.5.3) and kept as pending — 2FA stays off until a code confirms it. The password renews
 * sudo mode on this session, which the confirmation step requires.
 */
export async function beginTwoFactorSetup(db: Db, current: Current, password: unknown, meta: Meta, now = Date.now()): Promise<SetupStartResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt !== null) return { ok: false, reason: 'already-on' };
  const given = typeof password === 'string' ? password : '';
  if (!given) return { ok: false, reason: 'password-required' };
  const confirmation = await confirmCurrentPassword(db, user, given, { type: 'two-factor.setup-failed', meta }, now);
  if (confirmation !== 'ok') return { ok: false, reason: confirmation === 'locked' ? 'locked' : 'wrong-password' };
  await reset(db, `wrong-password:${user.id}`);
  const secret = newTotpSecret();
  const [pending] = await db.batch([
    db.update(users).set({ totpSecret: secret, totpLastStep: null, updatedAt: now }).where(and(eq(users.id, user.id), isNull(users.totpEnabledAt))),
    db.update(sessions).set({ reauthenticatedAt: now }).where(and(eq(sessions.id, current.sessionId), eq(sessions.userId, user.id))),
  ]);
  if (pending.rowsAffected !== 1) return { ok: false, reason: 'already-on' };
  await recordEvent(db, { type: 'two-factor.setup-started', userId: user.id, ...meta });
  return { ok: true, secret };
}

export type SetupConfirmResult =
  | { ok: true; recoveryCodes: string[]; endedSessions: number }
  /** The key goes back to the page only after a wrong code, and only to whoever posted it (so already had it). */
  | { ok: false; reason: 'wrong-code'; secret: string }
  | { ok: false; reason: 'no-setup' | 'already-on' | 'not-found' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

/**
 * A6 step 3: a right code turns 2FA on (one conditional UPDATE on the pending secret), makes ten
 * recovery codes (returned once), ends every other session and sends the notice email. The form
 * posts the pending key back: a post without it (or with another) confirms nothing and shows no key.
 */
export async function confirmTwoFactorSetup(db: Db, current: Current, input: { secret: unknown; code: unknown }, meta: Meta, now = Date.now()): Promise<SetupConfirmResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt !== null) return { ok: false, reason: 'already-on' };
  const posted = typeof input.secret === 'string' ? input.secret : '';
  const matches = !!user.totpSecret && secretsEqual(Buffer.from(posted), Buffer.from(user.totpSecret));
  if (!matches || !isRecentlyReauthenticated(current, now)) return { ok: false, reason: 'no-setup' };
  const perIp = await consume(db, `code:ip:${meta.ip}`, LIMITS.codePerIp, now);
  if (!perIp.ok) return { ok: false, reason: 'rate-limited', retryAfter: perIp.retryAfter };
  const code = normalizeTotpCode(input.code);
  const step = code ? await totpStepOf(user.totpSecret!, code, now) : null;
  if (step === null) {
    await recordEvent(db, { type: 'two-factor.setup-failed', userId: user.id, ...meta, detail: { reason: 'wrong-code' } });
    return { ok: false, reason: 'wrong-code', secret: user.totpSecret! };
  }
  const enabled = await db
    .update(users)
    .set({ totpEnabledAt: now, totpLastStep: step, updatedAt: now })
    .where(and(eq(users.id, user.id), eq(users.totpSecret, user.totpSecret!), isNull(users.totpEnabledAt)));
  if (enabled.rowsAffected !== 1) return { ok: false, reason: 'already-on' };
  const recoveryCodes = await replaceRecoveryCodes(db, user.id, now);
  const endedSessions = await invalidateUserSessions(db, user.id, current.sessionId);
  await db.update(sessions).set({ twoFactorVerified: true, reauthenticatedAt: now }).where(eq(sessions.id, current.sessionId));
  await recordEvent(db, { type: 'two-factor.enabled', userId: user.id, ...meta, detail: { endedSessions } });
  await notify(db, user, '2fa-enabled', meta, now);
  return { ok: true, recoveryCodes, endedSessions };
}

/** A13: how long a "new phone" setup may take between showing the key and confirming a code. */
export const REPLACEMENT_TTL_MS = 15 * 60_000;

/**
 * The proof that a replacement key was made here, for this session, recently: an HMAC keyed with
 * the account's password hash (known only to the server; a password change voids it). The key in
 * the form cannot be swapped for one of the client's choosing (V6.5.3), and no pending state is
 * stored, so the active key keeps working until the new one is confirmed.
 */
function replacementProof(user: UserRow, sessionId: string, secret: string, issuedAt: number): string {
  return createHmac('sha256', user.passwordHash).update(`totp-replacement\n${user.id}\n${sessionId}\n${secret}\n${issuedAt}`).digest('hex');
}

export interface TwoFactorReplacement {
  secret: string;
  issuedAt: number;
  proof: string;
}

export type ReplacementStartResult = { ok: true; replacement: TwoFactorReplacement } | { ok: false; reason: 'reauth-required' | 'not-on' | 'not-found' };

/**
 * A13 (lost device): with 2FA on, setting it up again on a new phone. Needs sudo mode (password
 * and a code or recovery code); the current key keeps working until a code of the new one is confirmed.
 */
export async function beginTwoFactorReplacement(db: Db, current: Current, now = Date.now()): Promise<ReplacementStartResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt === null) return { ok: false, reason: 'not-on' };
  if (!isRecentlyReauthenticated(current, now)) return { ok: false, reason: 'reauth-required' };
  const secret = newTotpSecret();
  return { ok: true, replacement: { secret, issuedAt: now, proof: replacementProof(user, current.sessionId, secret, now) } };
}

export type ReplacementConfirmResult =
  | { ok: true; recoveryCodes: string[]; endedSessions: number }
  | { ok: false; reason: 'wrong-code'; replacement: TwoFactorReplacement }
  | { ok: false; reason: 'expired' | 'reauth-required' | 'not-on' | 'not-found' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

/** A13: a right code of the new key makes it the active one, with a new set of recovery codes. */
export async function confirmTwoFactorReplacement(
  db: Db,
  current: Current,
  input: { secret: unknown; issuedAt: unknown; proof: unknown; code: unknown },
  meta: Meta,
  now = Date.now(),
): Promise<ReplacementConfirmResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt === null) return { ok: false, reason: 'not-on' };
  if (!isRecentlyReauthenticated(current, now)) return { ok: false, reason: 'reauth-required' };
  const secret = typeof input.secret === 'string' && /^[A-Z2-7]{32}$/.test(input.secret) ? input.secret : '';
  const issuedAt = typeof input.issuedAt === 'string' ? Number(input.issuedAt) : NaN;
  const proof = typeof input.proof === 'string' ? input.proof : '';
  const expected = secret && Number.isSafeInteger(issuedAt) ? Buffer.from(replacementProof(user, current.sessionId, secret, issuedAt)) : null;
  if (!expected || !secretsEqual(expected, Buffer.from(proof)) || now - issuedAt > REPLACEMENT_TTL_MS || issuedAt > now) return { ok: false, reason: 'expired' };
  const perIp = await consume(db, `code:ip:${meta.ip}`, LIMITS.codePerIp, now);
  if (!perIp.ok) return { ok: false, reason: 'rate-limited', retryAfter: perIp.retryAfter };
  const code = normalizeTotpCode(input.code);
  const step = code ? await totpStepOf(secret, code, now) : null;
  if (step === null) {
    await recordEvent(db, { type: 'two-factor.setup-failed', userId: user.id, ...meta, detail: { reason: 'wrong-code', replacement: true } });
    return { ok: false, reason: 'wrong-code', replacement: { secret, issuedAt, proof } };
  }
  // Compare-and-set on the key and password just checked: a parallel change wins, this one does not apply.
  const replaced = await db
    .update(users)
    .set({ totpSecret: secret, totpLastStep: step, totpEnabledAt: now, updatedAt: now })
    .where(and(eq(users.id, user.id), eq(users.totpSecret, user.totpSecret!), eq(users.passwordHash, user.passwordHash)));
  if (replaced.rowsAffected !== 1) return { ok: false, reason: 'expired' };
  const recoveryCodes = await replaceRecoveryCodes(db, user.id, now);
  const endedSessions = await invalidateUserSessions(db, user.id, current.sessionId);
  await recordEvent(db, { type: 'two-factor.device-replaced', userId: user.id, ...meta, detail: { endedSessions } });
  await notify(db, user, '2fa-enabled', meta, now);
  return { ok: true, recoveryCodes, endedSessions };
}

export type RegenerateResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'reauth-required' | 'not-on' | 'not-found' };

/** A7 / A21: a new set of ten (the old set stops working at once); needs sudo mode (password and code). */
export async function regenerateRecoveryCodes(db: Db, current: Current, meta: Meta, now = Date.now()): Promise<RegenerateResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt === null) return { ok: false, reason: 'not-on' };
  if (!isRecentlyReauthenticated(current, now)) return { ok: false, reason: 'reauth-required' };
  const recoveryCodes = await replaceRecoveryCodes(db, user.id, now);
  const endedSessions = await invalidateUserSessions(db, user.id, current.sessionId);
  await recordEvent(db, { type: 'two-factor.recovery-codes-regenerated', userId: user.id, ...meta, detail: { endedSessions } });
  await notify(db, user, 'recovery-codes-regenerated', meta, now);
  return { ok: true, recoveryCodes };
}

/** What a password-and-code confirmation found wrong, per field. */
export interface IdentityErrors {
  password?: 'required' | 'wrong';
  code?: 'required' | 'wrong';
}
type IdentityFailure =
  | { ok: false; reason: 'invalid'; errors: IdentityErrors }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

/**
 * A8 / A21: the password, and where 2FA is on a code (TOTP or recovery code). Wrong ones count
 * toward the A12 lock (ten passwords, five codes); a right pair clears the password counter.
 */
async function confirmIdentity(
  db: Db,
  user: UserRow,
  input: { password: unknown; code: unknown },
  failureType: 'two-factor.disable-failed' | 'reauthentication.failed',
  meta: Meta,
  now: number,
): Promise<{ ok: true } | IdentityFailure> {
  const twoFactor = user.totpEnabledAt !== null;
  const password = typeof input.password === 'string' ? input.password : '';
  const errors: IdentityErrors = {};
  if (!password) errors.password = 'required';
  if (twoFactor && (typeof input.code !== 'string' || !input.code.trim())) errors.code = 'required';
  if (errors.password || errors.code) return { ok: false, reason: 'invalid', errors };
  const confirmation = await confirmCurrentPassword(db, user, password, { type: failureType, meta }, now);
  if (confirmation === 'locked') return { ok: false, reason: 'locked' };
  if (confirmation === 'wrong') return { ok: false, reason: 'invalid', errors: { password: 'wrong' } };
  if (twoFactor) {
    const checked = await verifySecondFactor(db, user, input.code, meta, {}, now);
    if (!checked.ok) return checked.reason === 'wrong' ? { ok: false, reason: 'invalid', errors: { code: 'wrong' } } : checked;
  }
  await reset(db, `wrong-password:${user.id}`);
  return { ok: true };
}

export type DisableResult = { ok: true; endedSessions: number } | IdentityFailure | { ok: false; reason: 'mandatory' | 'not-on' | 'not-found' };

/** A8: turning 2FA off needs the password and a current code; refused where 2FA is mandatory (A9). */
export async function disableTwoFactor(db: Db, current: Current, input: { password: unknown; code: unknown }, meta: Meta, now = Date.now()): Promise<DisableResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  if (user.totpEnabledAt === null) return { ok: false, reason: 'not-on' };
  if (await twoFactorRequiredFor(db, user, now)) return { ok: false, reason: 'mandatory' };
  const confirmed = await confirmIdentity(db, user, input, 'two-factor.disable-failed', meta, now);
  if (!confirmed.ok) return confirmed;
  await db.batch([
    db.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now }).where(eq(users.id, user.id)),
    db.update(sessions).set({ reauthenticatedAt: now }).where(eq(sessions.id, current.sessionId)),
  ]);
  await deleteRecoveryCodes(db, user.id);
  const endedSessions = await invalidateUserSessions(db, user.id, current.sessionId);
  await recordEvent(db, { type: 'two-factor.disabled', userId: user.id, ...meta, detail: { endedSessions } });
  await notify(db, user, '2fa-disabled', meta, now);
  return { ok: true, endedSessions };
}

export type ReauthResult = { ok: true; token: string; expiresAt: number } | IdentityFailure | { ok: false; reason: 'not-found' };

/**
 * A21: re-authentication for sudo mode — the password, and where 2FA is on a code (TOTP or
 * recovery code). V7.2.4 (checklist 29): a new token is issued and the old one ends.
 */
export async function reauthenticate(db: Db, current: Session, input: { password: unknown; code: unknown }, meta: Meta, now = Date.now()): Promise<ReauthResult> {
  const user = await userById(db, current.userId);
  if (!user || user.deletedAt !== null) return { ok: false, reason: 'not-found' };
  const confirmed = await confirmIdentity(db, user, input, 'reauthentication.failed', meta, now);
  if (!confirmed.ok) return confirmed;
  await invalidateSession(db, current.id);
  const { token, session } = await createSession(db, user, { ip: meta.ip, userAgent: meta.userAgent, twoFactorVerified: true, reauthenticated: true }, now);
  await recordEvent(db, { type: 'reauthenticated', userId: user.id, ...meta, detail: { twoFactor: user.totpEnabledAt !== null } });
  return { ok: true, token, expiresAt: session.expiresAt };
}
