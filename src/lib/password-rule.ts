// A3: the composition half of the password rule — pure, no block list, safe in the browser (the
// live checklist under the password field) and reused by src/server/auth/password.ts, which adds
// the block list, product-name and personal-data checks on the server.
// Lengths are counted in Unicode code points ("é" and "😀" are one character each); letters and
// digits are matched by Unicode category, so "É" is an uppercase letter and "é" a lowercase one.

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
/** Shown as advice next to the rule (A3: "recommends 12+ characters"); not enforced. */
export const PASSWORD_RECOMMENDED_LENGTH = 12;

export interface PasswordRuleChecklist {
  /** PASSWORD_MIN_LENGTH to PASSWORD_MAX_LENGTH characters (code points), inclusive. */
  length: boolean;
  uppercase: boolean;
  lowercase: boolean;
  digit: boolean;
}

// Lu: uppercase letters, Lt: titlecase digraphs such as "ǅ"; Ll: lowercase letters; Nd: decimal digits.
const UPPERCASE = /[\p{Lu}\p{Lt}]/u;
const LOWERCASE = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;

/** Number of Unicode code points, without building an array (a surrogate pair counts once). */
export function passwordLength(password: string): number {
  let n = 0;
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < password.length) {
      const next = password.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function hasUppercase(password: string): boolean {
  return UPPERCASE.test(password);
}

export function hasLowercase(password: string): boolean {
  return LOWERCASE.test(password);
}

export function hasDigit(password: string): boolean {
  return DIGIT.test(password);
}

/** The four items of the live checklist in the form; all true means the composition rule is met. */
export function passwordRuleChecklist(password: string): PasswordRuleChecklist {
  const length = passwordLength(password);
  return {
    length: length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH,
    uppercase: hasUppercase(password),
    lowercase: hasLowercase(password),
    digit: hasDigit(password),
  };
}
