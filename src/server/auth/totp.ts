// A6 / A7: TOTP (RFC 6238 — SHA-1, 6 digits, 30 s; otplib 13). The secret is 20 CSPRNG bytes
// (V6.5.3); codes of the current step ±1 are accepted (V6.5.5); a code is accepted once: the
// replay guard is ONE conditional UPDATE on the last accepted step, so of two parallel requests
// with one code exactly one succeeds (V6.5.1, checklist 19).
import { generateSecret, generateURI, verify } from 'otplib';
import { renderSVG } from 'uqr';
import type { Db } from '../db/client.ts';

export const TOTP_ISSUER = 'Loket';
export const TOTP_PERIOD_SECONDS = 30;
/** A TOTP code: exactly six digits (anything else is refused before otplib, which throws on it). */
export const TOTP_CODE_PATTERN = /^\d{6}$/;

/** A fresh base32 secret of 20 random bytes (V6.5.3). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI the QR code carries (issuer "Loket", label the account's email; SHA-1/6/30 are the defaults). */
export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

/** The QR code of the URI as inline SVG, rendered on the server (no network, no client script). */
export function totpQrSvg(uri: string): string {
  return renderSVG(uri, { border: 2, pixelSize: 6, ecc: 'M' });
}

/** Groups of four for reading the key aloud or typing it in by hand. */
export function formatTotpSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Spaces are forgiven (apps show `123 456`); the result is a six-digit string or null. */
export function normalizeTotpCode(raw: unknown): string | null {
  const code = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : '';
  return TOTP_CODE_PATTERN.test(code) ? code : null;
}

/** The time step a code belongs to (current ±1), or null when it matches none of them. */
export async function totpStepOf(secret: string, code: string, now = Date.now()): Promise<number | null> {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const result = await verify({ secret, token: code, epoch: Math.floor(now / 1000), epochTolerance: TOTP_PERIOD_SECONDS });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

export type TotpUse = 'ok' | 'wrong' | 'replayed';

/**
 * A7: accepts a code of the user's active secret once. The step is claimed in one conditional
 * UPDATE; `rowsAffected !== 1` means this step (or a later one) was already used.
 */
export async function useTotpCode(db: Db, user: { id: string; totpSecret: string }, code: string, now = Date.now()): Promise<TotpUse> {
  const step = await totpStepOf(user.totpSecret, code, now);
  if (step === null) return 'wrong';
  const result = await db.$client.execute({
    sql: `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_secret = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
    args: [step, user.id, user.totpSecret, step],
  });
  return result.rowsAffected === 1 ? 'ok' : 'replayed';
}
