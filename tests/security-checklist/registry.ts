// ../shared/SECURITY-CHECKLIST.md: 44 numbered items, each a test to write. Each item maps to the
// tests that prove it (file + exact title); an item not (fully) built yet is listed under
// `pending` with what is missing. tests/unit/security-checklist.test.ts fails for an item in
// neither list and for a named test that does not exist.
import { AUTH, CLAIMS, RESET, PASSWORD, SESSION, VERIFY, SETTINGS, DEVICE, EMAIL_CHANGE, API_KEYS, API_KEYS_UNIT, CHECKLIST, PASTE, STAFF, STATE, TWO_FACTOR, TWO_FACTOR_UNIT, MANDATORY, FEEDBACK, type TestRef } from '../helpers/test-refs.ts';


export const CHECKLIST_ITEMS = 44;

export const proven: Record<number, TestRef[]> = {
  1: [{ file: PASSWORD, test: 'A3 / V6.2.1: 7 characters refused, 8 with upper, lower and digit accepted' }],
  2: [
    { file: PASSWORD, test: 'A3 / V6.2.9: 64- and 128-character passwords accepted and verify after hashing' },
    { file: PASTE, test: 'V6.2.7: a 120-character password with spaces and accents pasted at sign-up and at sign-in works' },
  ],
  3: [{ file: PASSWORD, test: 'A3 / V6.2.8: spaces and non-ASCII kept exactly; trimmed or case-changed variants do not verify' }],
  4: [
    { file: PASSWORD, test: 'A3 / V6.2.4 / V6.2.12: Password1, Qwerty123, Welcome1 and other list entries refused' },
    { file: AUTH, test: 'A3: a weak password is refused on the server with localized reasons, and nothing is created' },
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
    { file: SETTINGS, test: 'A15 / A3: a weak new password is refused with the localized A3 reasons; nothing changes' },
  ],
  5: [{ file: PASSWORD, test: 'A3 / V6.1.2 / V6.2.11: passwords built from the product name refused' }],
  6: [
    { file: SETTINGS, test: 'A15 / V6.2.3 (checklist 6): a wrong current password is refused (400) and the hash is unchanged' },
    { file: PASSWORD, test: 'A15 / V6.2.3 (checklist 6): a wrong password does not verify' },
  ],
  7: [
    { file: PASTE, test: 'V6.2.7: a 120-character password with spaces and accents pasted at sign-up and at sign-in works' },
    { file: PASTE, test: 'V6.2.7: the reset form asks for a new-password and accepts a paste' },
  ],
  8: [{ file: CHECKLIST, test: 'V6.2.10: a password set five years ago still signs in straight to the account, with no prompt to change it' }],
  9: [
    { file: VERIFY, test: 'the code works within 10 minutes and fails after; the account stays inactive' },
    { file: VERIFY, test: 'the link works for 24 hours and fails after; each works once' },
    { file: AUTH, test: 'A2: the account is inactive until verified; a wrong code is refused; the right code verifies' },
  ],
  10: [
    { file: CHECKLIST, test: 'V6.4.2: no account form in any language asks for a hint or a security question' },
    { file: CHECKLIST, test: 'V6.4.2: no UI string in nl, en or fr mentions a password hint or a security question' },
  ],
  11: [{ file: AUTH, test: 'V6.3.1: after 10 wrong passwords in 15 minutes the 11th attempt is refused even with the right password' }],
  13: [
    { file: AUTH, test: '"Next" answers the same for a known and an unknown email; Forgot password is on the password step' },
    { file: AUTH, test: 'V6.3.8: a wrong password and an unknown email get the same status and message' },
    { file: PASSWORD, test: 'V6.3.8 (checklist 13): dummyVerify takes within 0.5×–2× of a real verify' },
    { file: RESET, test: 'V6.3.8: the request answers the same for a known and an unknown address' },
    { file: AUTH, test: 'A2 / V6.3.8: registering an existing email looks the same and reveals nothing; the owner is told by email' },
  ],
  12: [
    { file: AUTH, test: 'V6.1.1: the single-use unlock link from the email restores access; a second use fails' },
    { file: TWO_FACTOR, test: 'A12 / V6.1.1 (checklist 12): the unlock link of a 2FA account also needs a code' },
    { file: 'tests/e2e/unlock.test.ts', test: 'A12 / V6.1.1: locked after 10 wrong passwords, the emailed unlock link (opened and confirmed in the browser) restores access, once' },
  ],
  14: [
    { file: TWO_FACTOR, test: 'A5 / V6.3.4 (checklist 14): a reset of a 2FA account needs a TOTP or recovery code; without it nothing changes and no session is created' },
    { file: TWO_FACTOR, test: 'A4 / V7.2.4 (checklist 14, 29): the password alone signs nobody in; a right code issues a new token and the pre-2FA one dies' },
  ],
  15: [{ file: MANDATORY, test: 'A9 / V6.3.3 (checklist 15): after the mandatory date a user without 2FA reaches only the enrolment pages; everything else redirects there' }],
  16: [{ file: TWO_FACTOR, test: 'A6 / V7.5.1 (checklist 16): no QR code before the password is re-confirmed; 2FA stays off until a valid code; abandoning leaves it off' }],
  17: [
    { file: TWO_FACTOR, test: 'A6 / V6.5.3 (checklist 17): the secret is 20 CSPRNG bytes, in an otpauth URI of issuer Loket; two set-ups give different secrets' },
    { file: TWO_FACTOR_UNIT, test: 'V6.5.3 (checklist 17): a secret is 20 random bytes in base32; two secrets differ' },
  ],
  18: [
    { file: TWO_FACTOR, test: 'A7 / V6.5.1 (checklist 18): a code is accepted once; the same code again in the same step fails' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.1 (checklist 18): a code is accepted once; an older step after a newer one is refused' },
  ],
  19: [
    { file: TWO_FACTOR, test: 'V6.5.1 (checklist 19): two parallel requests with one code — exactly one succeeds' },
    { file: TWO_FACTOR_UNIT, test: 'V6.5.1 (checklist 19): twenty parallel uses of one code — exactly one succeeds' },
  ],
  20: [
    { file: TWO_FACTOR, test: 'A7 / V6.5.5 (checklist 20): codes of steps t−2 and t+2 are refused; t−1 and t+1 are accepted' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.5 (checklist 20): codes of steps t−1, t and t+1 are accepted; t−2 and t+2 refused' },
  ],
  21: [
    { file: TWO_FACTOR, test: 'A12 (checklist 21): after 5 wrong codes within 15 minutes a correct 6th is refused; the account is locked and the email says why' },
    { file: TWO_FACTOR_UNIT, test: 'A12 (checklist 21): the fifth wrong code within 15 minutes locks the account (reason wrong-codes) and mails the unlock link; then a right code is refused' },
  ],
  22: [
    { file: TWO_FACTOR_UNIT, test: 'V6.5.2 (checklist 22): ten codes of 120 bits each, stored only as SHA-256 hashes' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
  ],
  23: [
    { file: TWO_FACTOR, test: 'A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.4 (checklist 23): each code works once (also in parallel); the count goes down; a new set voids the old one' },
  ],
  24: [{ file: TWO_FACTOR, test: 'V6.4.4 (checklist 24): with the device and every recovery code lost, email alone neither resets the password nor signs in' }],
  25: [{ file: VERIFY, test: 'V6.6.2: a code for one request cannot complete another' }],
  26: [
    { file: AUTH, test: 'V6.6.3: five wrong codes end the code, even the right one is then refused' },
    { file: VERIFY, test: 'V6.6.3: five wrong codes end it; a new email replaces the old code' },
  ],
  27: [
    { file: VERIFY, test: 'the code works within 10 minutes and fails after; the account stays inactive' },
    { file: RESET, test: 'V6.5.5: the link expires after 30 minutes' },
  ],
  28: [
    { file: TWO_FACTOR, test: 'A21 / V7.5.1 (checklist 28): without a recent re-authentication, new recovery codes, password, email, API key and ending other sessions are refused; the password alone does not re-authenticate' },
    { file: CLAIMS, test: 'within 15 minutes of signing in it works; later it asks to sign in again and ends nothing' },
    { file: API_KEYS, test: 'A21: more than 15 minutes after a confirmation, no password is refused and nothing changes; the right password works' },
  ],
  29: [
    { file: TWO_FACTOR, test: 'A4 / V7.2.4 (checklist 14, 29): the password alone signs nobody in; a right code issues a new token and the pre-2FA one dies' },
    { file: TWO_FACTOR_UNIT, test: 'V7.2.4 (checklist 29): two parallel right codes (a TOTP and a recovery code) on one pre-2FA session make one new session' },
    { file: AUTH, test: 'A21 / V3.3: the session cookie is HttpOnly, SameSite=Lax, Path=/, no Domain; a new token per sign-in' },
  ],
  30: [{ file: EMAIL_CHANGE, test: 'A14 / checklist 30: the new address is not active until its link is used; the old address is told' }],
  31: [
    { file: API_KEYS, test: 'A17: regenerating revokes the old key at once; the new key works' },
    { file: API_KEYS, test: 'A17: a created key is shown once and works on /api/v1/me; afterwards the page shows only its prefix' },
    { file: API_KEYS_UNIT, test: 'A17: only a SHA-256 hash of the secret is stored — the secret is nowhere in the database' },
  ],
  32: [
    { file: DEVICE, test: 'A10 / V6.3.5: a new device (no device cookie) sends exactly one new-device email with browser, OS, IP and both links' },
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
    { file: EMAIL_CHANGE, test: 'A14 / checklist 30: the new address is not active until its link is used; the old address is told' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR, test: 'A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end' },
  ],
  33: [{ file: SESSION, test: 'V7.2.3: ≥128 bits of entropy; the database holds only SHA-256(secret), so a dump cannot be replayed' }],
  34: [
    { file: SESSION, test: 'V7.2.1: a valid id with a tampered secret is refused' },
    { file: SESSION, test: 'V7.2.1: constant-time comparison is right for equal-length different inputs' },
  ],
  35: [{ file: SESSION, test: 'V7.3.1: idle past 10 days → refused; activity extends it' }],
  36: [{ file: SESSION, test: 'V7.3.2: older than the absolute lifetime (30 days) → refused even if active every day' }],
  37: [{ file: AUTH, test: 'V7.4.1: after sign-out the old cookie is refused' }],
  38: [
    { file: STAFF, test: 'A18 / V7.4.2 / checklist 38: suspendAccount ends every session at once, keeps the reason, and mails it with /terms and /support' },
    { file: STATE, test: "A18 / V7.4.2: a suspended user's old cookie is refused at once; after the right password they see the suspension page with the reason, /terms and /support, and cannot sign in" },
    { file: SETTINGS, test: 'A15 / A12: wrong current passwords count toward the lock; the 10th locks the account and ends every session' },
    { file: STATE, test: 'A19 / V7.4.2: after deleteAccount the old cookie is refused, the email cannot sign in (answered like an unknown email), and the database file holds none of the personal data' },
  ],
  39: [
    { file: SETTINGS, test: 'A15 / V7.4.3 (checklist 39): a change signs the other session out at once, keeps this one, sends a notice; only the new password signs in' },
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR, test: 'A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end' },
  ],
  40: [
    { file: AUTH, test: 'V7.5.2: ending a session id that is not yours gives 404 and ends nothing' },
    { file: SESSION, test: 'V7.5.2: a user can end only their own sessions; ending all others keeps the current one' },
  ],
  41: [
    { file: CHECKLIST, test: 'V3.3.1–V3.3.4: behind https the cookie is __Host-session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain' },
    { file: AUTH, test: 'A21 / V3.3: the session cookie is HttpOnly, SameSite=Lax, Path=/, no Domain; a new token per sign-in' },
  ],
  42: [
    { file: AUTH, test: 'V3.5.1: a cross-site or origin-less sign-in post is refused with 403' },
    { file: FEEDBACK, test: 'A21: a missing or foreign Origin is refused with 403' },
    { file: CHECKLIST, test: 'V3.5.3: opening the verification, unlock and reset links and /logout with GET changes nothing' },
  ],
  43: [{ file: CHECKLIST, test: 'V3.4.5: the verification, reset, unlock and email-confirmation pages send Referrer-Policy: no-referrer' }],
  44: [
    { file: CHECKLIST, test: 'A21: no password, code, token or link secret used in this file appears in the server output' },
    { file: CHECKLIST, test: 'A21: a malformed token or a bad form never echoes the secret it was given' },
    { file: PASSWORD, test: 'A21 (checklist 44): the password module never logs' },
    { file: AUTH, test: 'no password appears in the server output' },
    { file: TWO_FACTOR, test: 'A21 (checklist 44): no password, TOTP key or recovery code appears in the server output' },
  ],
};

/** Items not (fully) proven yet, and what is missing. */
export const pending: Record<number, string> = {};
