// A4: identifier-first sign-in. Errors never tell whether an email exists: an unknown email gets
// the same answer, after the same argon2 work, as a wrong password. A12 locks, A18 suspension
// and A2 verification are only revealed to someone who gave the right password.
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { isValidEmail, normalizeEmail } from './email.ts';
import { forgetWrongPasswordNetworks, isDistributedGuessing } from './unusual-activity.ts';
import { lockAccount } from './lock.ts';
import { dummyVerify, verifyPassword } from './password.ts';
import { consume, LIMITS, reset } from './rate-limit.ts';
import { createSession } from './session.ts';

export type SignInResult =
  | { ok: true; token: string; expiresAt: number; userId: string; locale: string; needsTwoFactor: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number }
  | { ok: false; reason: 'locked'; lockReason: string; userId: string }
  | { ok: false; reason: 'suspended'; suspensionReason: string }
  | { ok: false; reason: 'unverified'; userId: string };

export async function signInWithPassword(
  db: Db,
  input: { email: unknown; password: unknown },
  meta: RequestMeta & { origin: string },
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const password = typeof input.password === 'string' ? input.password : '';
  const perIp = await consume(db, `sign-in:ip:${meta.ip}`, LIMITS.signInPerIp);
  if (!perIp.ok) return { ok: false, reason: 'rate-limited', retryAfter: perIp.retryAfter };
  if (!isValidEmail(email) || !password || password.length > 1024) {
    await dummyVerify(password || 'x');
    return { ok: false, reason: 'invalid' };
  }
  const perAccount = await consume(db, `sign-in:email:${email}`, LIMITS.signInPerAccount);
  if (!perAccount.ok) return { ok: false, reason: 'rate-limited', retryAfter: perAccount.retryAfter };

  const user = (await db.select().from(users).where(eq(users.email, email)).limit(1))[0];
  if (!user || user.deletedAt !== null) {
    await dummyVerify(password);
    await recordEvent(db, { type: 'sign-in.failed', actor: 'anonymous', ...meta, detail: { reason: 'unknown-email' } });
    return { ok: false, reason: 'invalid' };
  }
  // A12: once locked, even the right password is refused until the account is unlocked.
  const wrongKey = `wrong-password:${user.id}`;
  const valid = await verifyPassword(user.passwordHash, password);
  if (user.lockedAt !== null) {
    await recordEvent(db, { type: 'sign-in.refused', userId: user.id, actor: 'anonymous', ...meta, detail: { reason: 'locked' } });
    return valid ? { ok: false, reason: 'locked', lockReason: user.lockReason ?? 'unusual-activity', userId: user.id } : { ok: false, reason: 'invalid' };
  }
  if (!valid) {
    const failures = await consume(db, wrongKey, LIMITS.wrongPassword);
    await recordEvent(db, { type: 'sign-in.failed', userId: user.id, actor: 'anonymous', ...meta, detail: { reason: 'wrong-password', count: failures.count } });
    if (failures.count >= LIMITS.wrongPassword.limit) await lockAccount(db, user, 'wrong-passwords', meta);
    else if (await isDistributedGuessing(db, user.id, meta.ip)) await lockAccount(db, user, 'unusual-activity', meta);
    return { ok: false, reason: 'invalid' };
  }
  if (user.suspendedAt !== null) {
    await recordEvent(db, { type: 'sign-in.refused', userId: user.id, actor: user.id, ...meta, detail: { reason: 'suspended' } });
    return { ok: false, reason: 'suspended', suspensionReason: user.suspensionReason ?? '' };
  }
  if (user.emailVerifiedAt === null) {
    await recordEvent(db, { type: 'sign-in.refused', userId: user.id, actor: user.id, ...meta, detail: { reason: 'unverified' } });
    return { ok: false, reason: 'unverified', userId: user.id };
  }
  await reset(db, wrongKey);
  await forgetWrongPasswordNetworks(db, user.id);
  const needsTwoFactor = user.totpEnabledAt !== null;
  const { token, session } = await createSession(db, user, { ip: meta.ip, userAgent: meta.userAgent, twoFactorVerified: !needsTwoFactor, reauthenticated: true });
  await recordEvent(db, { type: 'sign-in.succeeded', userId: user.id, actor: user.id, ...meta, detail: { twoFactorPending: needsTwoFactor } });
  return { ok: true, token, expiresAt: session.expiresAt, userId: user.id, locale: user.locale, needsTwoFactor };
}
