// A12: 10 wrong passwords (or 5 wrong 2FA codes) within 15 minutes lock the account. The lock
// holds until ownership is verified — a single-use, expiring unlock link sent to the account's
// email (plus a 2FA code where 2FA is on), or an agent — and it ends every session (V7.4.2).
// Unlocking never reveals the password.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { oneTimeTokens, users } from '../../../db/schema/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { sendMail } from '../mail/mailer.ts';
import { hashSecret, randomId, randomSecret, secretsEqual, splitToken } from './crypto.ts';
import { consume, LIMITS, reset } from './rate-limit.ts';
import { forgetWrongPasswordNetworks } from './unusual-activity.ts';
import { invalidateUserSessions } from './session.ts';
import { verifySecondFactor } from './two-factor.ts';

export type LockReason = 'wrong-passwords' | 'wrong-codes' | 'unusual-activity';
const LOCK_REASONS: readonly string[] = ['wrong-passwords', 'wrong-codes', 'unusual-activity'] satisfies LockReason[];
/** A stored lock reason as one of the known codes (anything else reads as unusual activity). */
export const lockReasonOf = (value: string | null | undefined): LockReason => (value && LOCK_REASONS.includes(value) ? (value as LockReason) : 'unusual-activity');
export const UNLOCK_LINK_TTL_MS = 24 * 60 * 60_000;

export async function lockAccount(
  db: Db,
  user: { id: string; email: string; name: string; locale: string },
  reason: LockReason,
  meta: RequestMeta & { origin: string; actor?: string },
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .update(users)
    .set({ lockedAt: now, lockReason: reason, updatedAt: now })
    .where(and(eq(users.id, user.id), isNull(users.lockedAt)));
  if (result.rowsAffected !== 1) return false; // already locked
  await invalidateUserSessions(db, user.id);
  await recordEvent(db, { type: 'account.locked', userId: user.id, actor: meta.actor ?? 'system', ip: meta.ip, userAgent: meta.userAgent, detail: { reason } });
  await sendUnlockLink(db, user, reason, meta.origin, now);
  return true;
}

/** A new single-use unlock link (the previous one stops working), emailed to the account's address. */
async function sendUnlockLink(db: Db, user: { id: string; email: string; name: string; locale: string }, reason: LockReason, origin: string, now: number): Promise<void> {
  const id = randomId();
  const secret = randomSecret();
  await db.batch([
    db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'unlock'))),
    db.insert(oneTimeTokens).values({ id, purpose: 'unlock', userId: user.id, secretHash: hashSecret(secret), createdAt: now, expiresAt: now + UNLOCK_LINK_TTL_MS }),
  ]);
  await sendMail(db, {
    to: user.email,
    kind: 'account-locked',
    locale: user.locale as Locale,
    vars: { name: user.name, reason, unlockLink: `${origin}/${user.locale}/unlock?token=${id}.${secret}` },
  });
}

/**
 * A12: the owner of a locked account (they just gave the right password) whose unlock link has
 * expired or was used gets a new one, at most 3 per 15 minutes. True when a link was sent now.
 */
export async function renewUnlockLink(db: Db, userId: string, origin: string, now = Date.now()): Promise<boolean> {
  const user = (await db.select().from(users).where(eq(users.id, userId)).limit(1))[0];
  if (!user || user.lockedAt === null || user.deletedAt !== null) return false;
  const live = await db
    .select({ id: oneTimeTokens.id })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, 'unlock'), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, now)))
    .limit(1);
  if (live.length > 0) return false;
  if (!(await consume(db, `mail:unlock:${userId}`, LIMITS.verificationEmail, now)).ok) return false;
  await sendUnlockLink(db, user, lockReasonOf(user.lockReason), origin, now);
  return true;
}

export type UnlockOutcome = 'unlocked' | 'invalid' | 'expired' | 'code-required' | 'wrong-code';
/** A12 / V6.6.3: an unlock link dies after this many wrong 2FA codes. */
export const UNLOCK_CODE_ATTEMPTS = 5;

async function findUnlockToken(db: Db, link: string) {
  const parts = splitToken(link);
  if (!parts) return undefined;
  const token = (
    await db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.id, parts.id), eq(oneTimeTokens.purpose, 'unlock'), isNull(oneTimeTokens.usedAt)))
      .limit(1)
  )[0];
  return token && secretsEqual(hashSecret(parts.secret), token.secretHash) ? token : undefined;
}

/** A12: whether the unlock form must also ask for a 2FA code (only told to the holder of a valid link). */
export async function unlockNeedsSecondFactor(db: Db, link: string, now = Date.now()): Promise<boolean> {
  const token = await findUnlockToken(db, link);
  if (!token || now >= token.expiresAt) return false;
  const user = (await db.select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, token.userId)).limit(1))[0];
  return user?.totpEnabledAt != null;
}

/**
 * A12: the unlock link (confirmed by a POST), plus a 2FA code (TOTP or recovery code) where 2FA
 * is on (checklist 12). Single use; clears the lock and its failure counters.
 */
export async function unlockWithLink(db: Db, link: string, meta: RequestMeta & { origin: string }, now = Date.now(), code?: unknown): Promise<UnlockOutcome> {
  const token = await findUnlockToken(db, link);
  if (!token) return 'invalid';
  if (now >= token.expiresAt) return 'expired';
  const owner = (await db.select().from(users).where(eq(users.id, token.userId)).limit(1))[0];
  if (!owner) return 'invalid';
  if (owner.totpEnabledAt !== null) {
    if (typeof code !== 'string' || !code.trim()) return 'code-required';
    // The account is locked already: wrong codes use up the link instead (V6.6.3).
    const checked = await verifySecondFactor(db, owner, code, { ...meta, actor: owner.id }, { countTowardLock: false }, now);
    if (!checked.ok) {
      const [attempt] = await db
        .update(oneTimeTokens)
        .set({ attempts: sql`${oneTimeTokens.attempts} + 1` })
        .where(eq(oneTimeTokens.id, token.id))
        .returning({ attempts: oneTimeTokens.attempts });
      if ((attempt?.attempts ?? UNLOCK_CODE_ATTEMPTS) >= UNLOCK_CODE_ATTEMPTS) {
        await db.update(oneTimeTokens).set({ usedAt: now }).where(eq(oneTimeTokens.id, token.id));
        return 'invalid';
      }
      return 'wrong-code';
    }
  }
  const [used] = await db.batch([
    db.update(oneTimeTokens).set({ usedAt: now }).where(and(eq(oneTimeTokens.id, token.id), isNull(oneTimeTokens.usedAt))),
    db.update(users).set({ lockedAt: null, lockReason: null, updatedAt: now }).where(eq(users.id, token.userId)),
  ]);
  if (used.rowsAffected !== 1) return 'invalid';
  await reset(db, `wrong-password:${token.userId}`);
  await reset(db, `wrong-code:${token.userId}`);
  await forgetWrongPasswordNetworks(db, token.userId);
  await recordEvent(db, { type: 'account.unlocked', userId: token.userId, actor: token.userId, ip: meta.ip, userAgent: meta.userAgent, detail: { via: 'email-link' } });
  const user = (
    await db.select({ email: users.email, name: users.name, locale: users.locale, timeZone: users.timeZone }).from(users).where(eq(users.id, token.userId)).limit(1)
  )[0];
  if (user) {
    await sendMail(db, {
      to: user.email,
      kind: 'account-unlocked',
      locale: user.locale as Locale,
      vars: { name: user.name, timeZone: user.timeZone, time: now, resetLink: `${meta.origin}/${user.locale}/recover`, supportLink: `${meta.origin}/${user.locale}/support` },
    });
  }
  return 'unlocked';
}
