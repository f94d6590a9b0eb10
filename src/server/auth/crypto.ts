// Random ids and secrets, hashing and comparison for tokens (Lucia's design, @oslojs).
import { randomBytes } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** 120 bits, base32 (a–z, 2–7): ids of sessions and one-time tokens (the public half). */
export function randomId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(15));
}

/** 256 bits: the secret half of a session or link token. */
export function randomSecret(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(32));
}

/** A code typed by hand: `digits` decimal digits, uniformly drawn (no modulo bias). */
export function randomDigits(digits = 6): string {
  let out = '';
  while (out.length < digits) {
    const byte = randomBytes(1)[0]!;
    if (byte < 250) out += String(byte % 10);
  }
  return out;
}

export function hashSecret(secret: string): Buffer {
  return Buffer.from(sha256(new TextEncoder().encode(secret)));
}

/** Constant-time comparison of two byte strings (different lengths compare false, in constant time for equal lengths). */
export function secretsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && constantTimeEqual(a, b);
}

/** Splits a `id.secret` token; null when the shape is wrong. */
export function splitToken(token: string | undefined | null): { id: string; secret: string } | null {
  if (!token || token.length > 200) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  return /^[a-z2-7]{16,64}$/.test(id) && /^[a-z2-7]{16,128}$/.test(secret) ? { id, secret } : null;
}
