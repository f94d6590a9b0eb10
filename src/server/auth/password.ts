// Passwords: argon2id hashing (A21) and the A3 password rule, enforced on the server wherever a
// password is set (sign-up, reset, change). Passwords are used exactly as received: no trimming,
// no truncation, no case folding, no Unicode normalisation of what is hashed (ASVS V6.2.8); case
// and accent folding below only ever apply to the comparisons of the block-list, product-name and
// personal checks. This module never logs and never puts a password into an error (A21).
import { hash, verify } from '@node-rs/argon2';
import type { Algorithm, Options } from '@node-rs/argon2';
import {
  hasDigit,
  hasLowercase,
  hasUppercase,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordLength,
} from '../../lib/password-rule.ts';
import commonPasswordsText from './common-passwords.ts';

export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RECOMMENDED_LENGTH,
  passwordRuleChecklist,
  type PasswordRuleChecklist,
} from '../../lib/password-rule.ts';

/**
 * OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 passes, 1 lane. The
 * parameters are written into every hash (`$argon2id$v=19$m=19456,t=2,p=1$…`), so verification
 * of older hashes keeps working if these change.
 */
export const ARGON2_OPTIONS: Readonly<Options> = Object.freeze({
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, which type stripping cannot inline)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * A hash of 32 random bytes nobody knows, made with ARGON2_OPTIONS; dummyVerify checks against it.
 * Exported only so that tests can check its parameters still match ARGON2_OPTIONS.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$k312RDoemefDlMyP+wm8HQ$DGtyiDCO6QmpRMpO3Zqoux/5awH9OPodPKH/ILzcX4M';

export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  return hash(password, ARGON2_OPTIONS);
}

/** True only for the exact password the hash was made from; false (never a throw) for anything malformed. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (typeof hash !== 'string' || typeof password !== 'string' || !hash.startsWith('$argon2')) return false;
  try {
    return await verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * The same argon2 work as verifyPassword against a real hash, for a sign-in (or re-authentication)
 * whose account does not exist, so the answer's timing does not reveal it (checklist 13, V6.3.8).
 * Always resolves to false.
 */
export async function dummyVerify(password: string): Promise<false> {
  try {
    await verify(DUMMY_HASH, typeof password === 'string' ? password : '');
  } catch {
    // Nothing to reveal either way.
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// A3 password rule

export type PasswordProblem =
  | 'too-short'
  | 'too-long'
  | 'no-uppercase'
  | 'no-lowercase'
  | 'no-digit'
  | 'common'
  | 'product-name'
  | 'personal';

export interface PasswordContext {
  email?: string;
  name?: string;
  username?: string;
}

/** The product's name and nothing else (V6.1.2 / V6.2.11: the documented context-specific words). */
export const CONTEXT_WORDS: readonly string[] = Object.freeze(['loket']);

/** Names, email local parts and their pieces shorter than this are not checked (too many false hits). */
const PERSONAL_MIN_LENGTH = 4;

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(commonPasswordsText.split('\n'));

/** Case-insensitive membership of the block list (the 10,000 most common passwords). */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

/** For comparisons only: compatibility-decomposed, accents dropped, lowercased ("Élodie" → "elodie"). */
function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

// Common look-alike substitutions, undone before looking for the product name ("L0ket", "|oket").
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', '|': 'l', '!': 'l', '3': 'e', '7': 't', '@': 'a', $: 's' };

function containsProductName(folded: string): boolean {
  // Look-alikes undone and everything but letters dropped: "L0ket", "L.o.k.e.t", "Lo2ket".
  const letters = Array.from(folded, (c) => LEET[c] ?? c).join('').replace(/[^\p{L}]/gu, '');
  return CONTEXT_WORDS.some((word) => folded.includes(word) || letters.includes(word));
}

/** The pieces of a name, username or email local part worth checking: the whole and each word. */
function personalTokens(context: PasswordContext): string[] {
  const sources: string[] = [];
  if (typeof context.email === 'string') {
    const at = context.email.lastIndexOf('@');
    const local = at > 0 ? context.email.slice(0, at) : context.email;
    sources.push(local, local.split('+')[0] ?? '');
  }
  if (typeof context.name === 'string') sources.push(context.name, context.name.replace(/\s+/gu, ''));
  if (typeof context.username === 'string') sources.push(context.username);
  const tokens = new Set<string>();
  for (const source of sources) {
    const folded = fold(source.trim());
    for (const token of [folded, ...folded.split(/[^\p{L}\p{N}]+/u)]) {
      if (passwordLength(token) >= PERSONAL_MIN_LENGTH) tokens.add(token);
    }
  }
  return [...tokens];
}

/**
 * Every way the password breaks the A3 rule, in a fixed order; an empty array means it may be set.
 * Over-long passwords are only checked for composition: the block list and the name checks would
 * add nothing to a password that is refused anyway.
 */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordProblem[] {
  if (typeof password !== 'string') return ['too-short'];
  const problems: PasswordProblem[] = [];
  // A string of more than 2 × max UTF-16 units has more than max code points: no need to count.
  const length = password.length > 2 * PASSWORD_MAX_LENGTH ? password.length : passwordLength(password);
  const tooLong = length > PASSWORD_MAX_LENGTH;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too-short');
  if (tooLong) problems.push('too-long');
  if (!hasUppercase(password)) problems.push('no-uppercase');
  if (!hasLowercase(password)) problems.push('no-lowercase');
  if (!hasDigit(password)) problems.push('no-digit');
  if (tooLong) return problems;

  if (isCommonPassword(password)) problems.push('common');
  const folded = fold(password);
  if (containsProductName(folded)) problems.push('product-name');
  if (personalTokens(context).some((token) => folded.includes(token))) problems.push('personal');
  return problems;
}
