// A2: an account is active only once its email is verified, by a 6-digit code (10 minutes) or a
// link (24 hours) from the same email. Single use; 5 wrong codes end it (ASVS V6.6.3); a code of
// one request cannot complete another (V6.6.2: the code is checked against its own token only).
import { and, desc, eq, isNull } from 'drizzle-orm';
import { oneTimeTokens, users } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { hashSecret, randomDigits, randomId, randomSecret, secretsEqual, splitToken } from './crypto.ts';

export const VERIFY_CODE_TTL_MS = 10 * 60_000;
export const VERIFY_LINK_TTL_MS = 24 * 60 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

export type VerifyOutcome = 'verified' | 'invalid' | 'expired' | 'too-many-attempts';

export async function createEmailVerification(db: Db, userId: string, now = Date.now()) {
  const id = randomId();
  const secret = randomSecret();
  const code = randomDigits(6);
  // One pending verification per account: a new email replaces the previous one.
  await db.batch([
    db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, 'verify-email'))),
    db.insert(oneTimeTokens).values({
      id,
      purpose: 'verify-email',
      userId,
      secretHash: hashSecret(secret),
      codeHash: hashSecret(`${id}:${code}`),
      createdAt: now,
      expiresAt: now + VERIFY_LINK_TTL_MS,
      codeExpiresAt: now + VERIFY_CODE_TTL_MS,
    }),
  ]);
  return { id, code, token: `${id}.${secret}` };
}

async function pending(db: Db, id: string) {
  const rows = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.id, id), eq(oneTimeTokens.purpose, 'verify-email'), isNull(oneTimeTokens.usedAt)))
    .limit(1);
  return rows[0];
}

async function markVerified(db: Db, tokenId: string, userId: string, now: number): Promise<VerifyOutcome> {
  const [used] = await db.batch([
    db
      .update(oneTimeTokens)
      .set({ usedAt: now })
      .where(and(eq(oneTimeTokens.id, tokenId), isNull(oneTimeTokens.usedAt))),
    db.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(and(eq(users.id, userId), isNull(users.emailVerifiedAt))),
  ]);
  return used.rowsAffected === 1 ? 'verified' : 'invalid';
}

/** The code typed on the verification page; `pendingId` comes from the page's cookie. */
export async function verifyEmailWithCode(db: Db, pendingId: string, code: string, now = Date.now()): Promise<{ outcome: VerifyOutcome; userId?: string }> {
  if (!/^[a-z2-7]{16,64}$/.test(pendingId)) return { outcome: 'invalid' };
  const token = await pending(db, pendingId);
  if (!token || !token.codeHash) return { outcome: 'invalid' };
  if (token.attempts >= MAX_CODE_ATTEMPTS) return { outcome: 'too-many-attempts' };
  if (now >= (token.codeExpiresAt ?? 0)) return { outcome: 'expired' };
  if (!/^\d{6}$/.test(code) || !secretsEqual(hashSecret(`${token.id}:${code}`), token.codeHash)) {
    const [row] = await db
      .update(oneTimeTokens)
      .set({ attempts: token.attempts + 1 })
      .where(eq(oneTimeTokens.id, token.id))
      .returning({ attempts: oneTimeTokens.attempts });
    return { outcome: (row?.attempts ?? MAX_CODE_ATTEMPTS) >= MAX_CODE_ATTEMPTS ? 'too-many-attempts' : 'invalid', userId: token.userId };
  }
  return { outcome: await markVerified(db, token.id, token.userId, now), userId: token.userId };
}

/** The link from the email (`id.secret`), confirmed by a POST from the page it opens. */
export async function verifyEmailWithLink(db: Db, link: string, now = Date.now()): Promise<{ outcome: VerifyOutcome; userId?: string }> {
  const parts = splitToken(link);
  if (!parts) return { outcome: 'invalid' };
  const token = await pending(db, parts.id);
  if (!token || !secretsEqual(hashSecret(parts.secret), token.secretHash)) return { outcome: 'invalid' };
  if (token.attempts >= MAX_CODE_ATTEMPTS) return { outcome: 'too-many-attempts' };
  if (now >= token.expiresAt) return { outcome: 'expired' };
  return { outcome: await markVerified(db, token.id, token.userId, now), userId: token.userId };
}

/** The account a pending verification belongs to, if it is still unverified (for resending). */
export async function pendingVerificationUser(db: Db, pendingId: string) {
  if (!/^[a-z2-7]{16,64}$/.test(pendingId)) return undefined;
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale, verified: users.emailVerifiedAt })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(and(eq(oneTimeTokens.id, pendingId), eq(oneTimeTokens.purpose, 'verify-email')))
    .limit(1);
  const row = rows[0];
  return row && row.verified === null ? row : undefined;
}

/** A2: the newest verification of an unverified account — after the right password, the sign-in page hands it to this browser so the code can be typed or a new email sent. */
export async function pendingVerificationIdOf(db: Db, userId: string): Promise<string | undefined> {
  const rows = await db
    .select({ id: oneTimeTokens.id })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, 'verify-email'), isNull(users.emailVerifiedAt)))
    .orderBy(desc(oneTimeTokens.createdAt))
    .limit(1);
  return rows[0]?.id;
}
