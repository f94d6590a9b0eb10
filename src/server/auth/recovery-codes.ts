// A6 / A7 / A13: ten single-use recovery codes per set, shown once. Each code carries 120 random
// bits, so SHA-256 is enough to store it (V6.5.2: argon2id only below 112 bits) and a code is
// found by its hash in one indexed statement. Using a code is one conditional UPDATE (single use,
// also under parallel requests); a new set replaces the old one in one batch (the old set dies).
import { randomBytes } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, isNull } from 'drizzle-orm';
import { recoveryCodes } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';

export const RECOVERY_CODE_COUNT = 10;
const CODE_PATTERN = /^[a-z2-7]{24}$/;

/** `abcdef-ghijkl-mnopqr-stuvwx`: 24 base32 characters (120 bits) in groups of six. */
function newRecoveryCode(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(15)).replace(/(.{6})(?!$)/g, '$1-');
}

/** Case, spaces and dashes are forgiven; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(raw: unknown): string | null {
  const code = typeof raw === 'string' ? raw.toLowerCase().replace(/[\s-]/g, '') : '';
  return CODE_PATTERN.test(code) ? code : null;
}

function hashRecoveryCode(normalized: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalized)));
}

/** A new set of ten; the previous set (used or not) is deleted in the same batch. Returns the codes, once. */
export async function replaceRecoveryCodes(db: Db, userId: string, now = Date.now()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.batch([
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normalizeRecoveryCode(code)!), createdAt: now }))),
  ]);
  return codes;
}

/** A7: uses a code once; false for a wrong, used or voided code. */
export async function useRecoveryCode(db: Db, userId: string, raw: unknown, now = Date.now()): Promise<boolean> {
  const code = normalizeRecoveryCode(raw);
  if (!code) return false;
  const result = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)));
  return result.rowsAffected === 1;
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

export async function deleteRecoveryCodes(db: Db, userId: string): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}
