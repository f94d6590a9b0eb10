// The SPEC's opening promise: every claim the Account & Security articles make is true of the
// app, and a test proves it. Each entry (by slug) maps to the tests that prove its claim, named
// by file and exact test title. An entry whose claim is not (fully) built yet is listed under
// `pending` with the rule that is missing — tests/unit/kb-truth.test.ts fails for any entry that
// is in neither list, and for any named test that does not exist.

import { AUTH, CLAIMS, RESET, PASSWORD, SESSION, VERIFY, E2E, SETTINGS, DEVICE, EMAIL_CHANGE, API_KEYS, API_KEYS_UNIT, CHECKLIST, PASTE, STAFF, STATE, TWO_FACTOR, TWO_FACTOR_UNIT, MANDATORY, TWO_FACTOR_E2E, SUPPORT, UNUSUAL, SECURITY_LOG, CUSTOMER_TICKETS, type TestRef } from '../helpers/test-refs.ts';


export const proven: Record<string, TestRef[]> = {
  'unverified-account-limits': [
    { file: AUTH, test: 'A2: the account is inactive until verified; a wrong code is refused; the right code verifies' },
    { file: CUSTOMER_TICKETS, test: 'T1 / A2: without a session, or with a session planted for an unverified account, starting a ticket and changing settings are refused and write nothing' },
  ],
  'account-locked-why': [
    { file: AUTH, test: 'V6.3.1: after 10 wrong passwords in 15 minutes the 11th attempt is refused even with the right password' },
    { file: TWO_FACTOR, test: 'A12 (checklist 21): after 5 wrong codes within 15 minutes a correct 6th is refused; the account is locked and the email says why' },
    { file: UNUSUAL, test: 'A12: wrong passwords from 4 networks do not lock; from a 5th network within 15 minutes they do, with reason unusual-activity and an email saying so' },
  ],
  'security-log': [
    { file: SECURITY_LOG, test: 'A21: sign-ins, failures, a 2FA change, an ended session, a lock and a staff action are each recorded with time, IP and actor' },
  ],
  'unlock-account': [
    { file: AUTH, test: 'V6.1.1: the single-use unlock link from the email restores access; a second use fails' },
    { file: TWO_FACTOR, test: 'A12 / V6.1.1 (checklist 12): the unlock link of a 2FA account also needs a code' },
    { file: STATE, test: 'A12 / S4: an agent unlocks after manual verification; the owner signs in again and is told by email; the log names the agent' },
    { file: 'tests/e2e/unlock.test.ts', test: 'A12 / V6.1.1: locked after 10 wrong passwords, the emailed unlock link (opened and confirmed in the browser) restores access, once' },
  ],
  'no-recovery-codes-left': [
    { file: SUPPORT, test: 'A13: Recover account leads to a manual verification request, which becomes a support ticket' },
    { file: TWO_FACTOR, test: 'V6.4.4 (checklist 24): with the device and every recovery code lost, email alone neither resets the password nor signs in' },
    { file: STAFF, test: 'A13 / V7.4.3 / checklist 38: resetTwoFactor removes the secret and every recovery code, ends every session, and mails in French' },
  ],
  'where-to-sign-in': [
    { file: AUTH, test: '/en/sign shows sign-in and registration, with Recover account on the left (first)' },
    { file: AUTH, test: '/signup opens registration, /login opens sign-in; bare paths redirect to the locale' },
  ],
  'create-account': [
    { file: AUTH, test: 'A2: the account is inactive until verified; a wrong code is refused; the right code verifies' },
    { file: E2E, test: 'sign up, verify by the emailed code, sign in on two browsers, end the other session' },
  ],
  'verify-email': [
    { file: AUTH, test: 'A2: the account is inactive until verified; a wrong code is refused; the right code verifies' },
    { file: AUTH, test: 'A2: the emailed link verifies too, through a POST (a GET only shows the button) with no Referer leak' },
    { file: VERIFY, test: 'the code works within 10 minutes and fails after; the account stays inactive' },
    { file: VERIFY, test: 'the link works for 24 hours and fails after; each works once' },
  ],
  'resend-verification-email': [
    { file: CLAIMS, test: 'a new email brings a new code that works (the old one no longer does); resending is rate-limited' },
  ],
  'email-already-registered': [
    { file: AUTH, test: 'A2 / V6.3.8: registering an existing email looks the same and reveals nothing; the owner is told by email' },
    { file: CLAIMS, test: 'resending for an address that is already registered sends nothing and looks the same' },
  ],
  'password-requirements': [
    { file: PASSWORD, test: 'A3 / V6.2.1: 7 characters refused, 8 with upper, lower and digit accepted' },
    { file: AUTH, test: 'A3: a weak password is refused on the server with localized reasons, and nothing is created' },
  ],
  'password-maximum-length': [
    { file: PASSWORD, test: 'A3 / V6.2.9: 257 characters refused, 256 accepted' },
    { file: PASSWORD, test: 'A3 / V6.2.8: spaces and non-ASCII kept exactly; trimmed or case-changed variants do not verify' },
    { file: PASTE, test: 'V6.2.7: a 120-character password with spaces and accents pasted at sign-up and at sign-in works' },
  ],
  'password-strength-advice': [
    { file: PASTE, test: 'V6.2.7: a 120-character password with spaces and accents pasted at sign-up and at sign-in works' },
    { file: E2E, test: 'sign up, verify by the emailed code, sign in on two browsers, end the other session' },
    { file: CHECKLIST, test: 'V6.2.10: a password set five years ago still signs in straight to the account, with no prompt to change it' },
  ],
  'common-passwords-refused': [
    { file: PASSWORD, test: 'A3 / V6.2.4 / V6.2.12: Password1, Qwerty123, Welcome1 and other list entries refused' },
    { file: PASSWORD, test: 'A3 / V6.2.12: the block list holds exactly 10,000 unique lowercased entries, most common first' },
    { file: PASSWORD, test: 'A3 / V6.1.2 / V6.2.11: passwords built from the product name refused' },
  ],
  'sign-in-steps': [{ file: AUTH, test: '"Next" answers the same for a known and an unknown email; Forgot password is on the password step' }],
  'forgot-password-link': [{ file: AUTH, test: '"Next" answers the same for a known and an unknown email; Forgot password is on the password step' }],
  'sign-in-error-messages': [{ file: AUTH, test: 'V6.3.8: a wrong password and an unknown email get the same status and message' }],
  'reset-password': [{ file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' }],
  'reset-link-expiry': [
    { file: RESET, test: 'V6.5.5: the link expires after 30 minutes' },
    { file: RESET, test: 'the lifetime written is exactly 30 minutes' },
  ],
  'reset-signs-out-everywhere': [{ file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' }],
  'recover-account': [
    { file: RESET, test: 'V6.3.8: the request answers the same for a known and an unknown address' },
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
  ],
  'active-sessions': [
    { file: AUTH, test: 'the sessions page lists both devices, marks the current one, and ends the other at once' },
    { file: SESSION, test: 'V7.5.2: a user can end only their own sessions; ending all others keeps the current one' },
  ],
  'end-session': [
    { file: AUTH, test: 'the sessions page lists both devices, marks the current one, and ends the other at once' },
    { file: CLAIMS, test: 'within 15 minutes of signing in it works; later it asks to sign in again and ends nothing' },
    { file: E2E, test: 'sign up, verify by the emailed code, sign in on two browsers, end the other session' },
  ],
  'locked-sign-in-message': [
    { file: AUTH, test: 'V6.3.1: after 10 wrong passwords in 15 minutes the 11th attempt is refused even with the right password' },
    { file: STATE, test: 'A12: after the right password a locked account gets its own page: why, and what to do; an expired unlock link is renewed' },
  ],
  'how-passwords-stored': [{ file: PASSWORD, test: 'A21 / V11.4.2: hashes are argon2id with the OWASP parameters (m=19456, t=2, p=1)' }],
  'session-expiry': [
    { file: SESSION, test: 'V7.3.1: idle past 10 days → refused; activity extends it' },
    { file: SESSION, test: 'V7.3.2: older than the absolute lifetime (30 days) → refused even if active every day' },
    { file: SESSION, test: 'staff sessions last at most 12 hours' },
    { file: AUTH, test: 'V7.4.1: after sign-out the old cookie is refused' },
  ],
  'rate-limits': [
    { file: AUTH, test: 'sign-in attempts from one address are limited: 429 with Retry-After, in the page language' },
    { file: AUTH, test: 'registrations from one address are limited' },
    { file: CLAIMS, test: 'a new email brings a new code that works (the old one no longer does); resending is rate-limited' },
  ],
  'single-sign-on': [{ file: CLAIMS, test: 'sign-in offers email and password only: no single sign-on provider' }],
  'ip-restrictions': [{ file: CLAIMS, test: 'the account page has no IP restrictions, team members or notification switches' }],
  'team-accounts': [{ file: CLAIMS, test: 'the account page has no IP restrictions, team members or notification switches' }],
  'password-rule-everywhere': [
    { file: AUTH, test: 'A3: a weak password is refused on the server with localized reasons, and nothing is created' },
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
    { file: SETTINGS, test: 'A15 / A3: a weak new password is refused with the localized A3 reasons; nothing changes' },
  ],
  'password-changed-notice': [
    { file: RESET, test: 'the link sets a new password (A3 enforced), ends every session, sends a notice, and works once' },
    { file: SETTINGS, test: 'A15 / V7.4.3 (checklist 39): a change signs the other session out at once, keeps this one, sends a notice; only the new password signs in' },
  ],
  'new-device-alert': [
    { file: DEVICE, test: 'A10 / V6.3.5: a new device (no device cookie) sends exactly one new-device email with browser, OS, IP and both links' },
    { file: DEVICE, test: 'A10 / V6.3.5: the same device from a new /24 network sends an alert with the approximate place' },
    { file: DEVICE, test: 'A10 / V6.3.5: signing in again with the same device from the same network sends no alert' },
  ],
  'security-alert-what-to-do': [
    { file: DEVICE, test: 'A10 / V6.3.5: a new device (no device cookie) sends exactly one new-device email with browser, OS, IP and both links' },
    { file: SETTINGS, test: 'A15: the form uses the live A3 checklist and the right autocomplete attributes; /account#password lands on it' },
  ],
  'change-password': [
    { file: SETTINGS, test: 'A15 / V7.4.3 (checklist 39): a change signs the other session out at once, keeps this one, sends a notice; only the new password signs in' },
    { file: SETTINGS, test: 'A15 / V6.2.3 (checklist 6): a wrong current password is refused (400) and the hash is unchanged' },
  ],
  'change-display-name': [{ file: SETTINGS, test: 'A16: a profile change persists and every date on the page renders in the new zone and region' }],
  'username-fixed': [
    { file: SETTINGS, test: 'A16: the page shows the profile form with the username fixed (no field for it) and a date preview' },
    { file: SETTINGS, test: 'A16: the username cannot be changed, even with a crafted `username` field' },
  ],
  'time-zone-and-region': [{ file: SETTINGS, test: 'A16: a profile change persists and every date on the page renders in the new zone and region' }],
  'preferred-language': [{ file: SETTINGS, test: 'A16: emails come in the preferred language after it changes' }],
  'change-email': [
    { file: EMAIL_CHANGE, test: 'A14 / checklist 30: the new address is not active until its link is used; the old address is told' },
    { file: EMAIL_CHANGE, test: 'A14 / A12: a wrong password sends nothing and changes nothing' },
    { file: EMAIL_CHANGE, test: 'A14: the link works once and expires' },
  ],
  'api-key': [
    { file: API_KEYS, test: 'A17: a created key is shown once and works on /api/v1/me; afterwards the page shows only its prefix' },
    { file: API_KEYS_UNIT, test: 'A17: only a SHA-256 hash of the secret is stored — the secret is nowhere in the database' },
  ],
  'regenerate-api-key': [
    { file: API_KEYS, test: 'A17: regenerating revokes the old key at once; the new key works' },
    { file: API_KEYS, test: 'A21: more than 15 minutes after a confirmation, no password is refused and nothing changes; the right password works' },
  ],
  // A18. "/support works without signing in" is the public support form's own test (T6).
  'account-suspended': [
    { file: STAFF, test: 'S4 / N2: %s with the reason %s is refused and changes nothing' },
    { file: STAFF, test: 'A18 / V7.4.2 / checklist 38: suspendAccount ends every session at once, keeps the reason, and mails it with /terms and /support' },
    { file: STATE, test: "A18 / V7.4.2: a suspended user's old cookie is refused at once; after the right password they see the suspension page with the reason, /terms and /support, and cannot sign in" },
    { file: STATE, test: "A18: /terms redirects to the visitor's language; /nl, /en and /fr/terms show the terms of use" },
  ],
  // A19. The request through /contact (signed in, or by email with verification) is the contact form's own test (T6).
  'delete-account': [
    { file: STAFF, test: 'S4: %s by the %s role is refused as forbidden and changes nothing' },
    { file: STAFF, test: "A19 / checklist 38: personal data, sessions, devices, codes, key and tokens are gone; events stay without personal data; the confirmation goes out in the user's language" },
  ],
  'what-deletion-removes': [
    { file: STAFF, test: "A19 / checklist 38: personal data, sessions, devices, codes, key and tokens are gone; events stay without personal data; the confirmation goes out in the user's language" },
    { file: STATE, test: 'A19 / V7.4.2: after deleteAccount the old cookie is refused, the email cannot sign in (answered like an unknown email), and the database file holds none of the personal data' },
  ],
  'sign-in-with-2fa': [
    { file: TWO_FACTOR, test: 'A4 / V7.2.4 (checklist 14, 29): the password alone signs nobody in; a right code issues a new token and the pre-2FA one dies' },
    { file: TWO_FACTOR, test: 'A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one' },
    { file: TWO_FACTOR_E2E, test: 'sign up, set up 2FA from the shown key, sign in with a code, then with a recovery code in a second browser, end the other session' },
  ],
  'reset-password-with-2fa': [
    { file: TWO_FACTOR, test: 'A5 / V6.3.4 (checklist 14): a reset of a 2FA account needs a TOTP or recovery code; without it nothing changes and no session is created' },
  ],
  'set-up-2fa': [
    { file: TWO_FACTOR, test: 'A6 / V7.5.1 (checklist 16): no QR code before the password is re-confirmed; 2FA stays off until a valid code; abandoning leaves it off' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR_E2E, test: 'sign up, set up 2FA from the shown key, sign in with a code, then with a recovery code in a second browser, end the other session' },
  ],
  'authenticator-apps': [
    { file: TWO_FACTOR_UNIT, test: 'A6: the otpauth URI names issuer Loket and the account, SHA-1, 6 digits, 30 s' },
    { file: TWO_FACTOR, test: 'A6 / V6.5.3 (checklist 17): the secret is 20 CSPRNG bytes, in an otpauth URI of issuer Loket; two set-ups give different secrets' },
    { file: TWO_FACTOR_E2E, test: 'sign up, set up 2FA from the shown key, sign in with a code, then with a recovery code in a second browser, end the other session' },
  ],
  'recovery-codes': [
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR_UNIT, test: 'V6.5.2 (checklist 22): ten codes of 120 bits each, stored only as SHA-256 hashes' },
    { file: TWO_FACTOR_E2E, test: 'sign up, set up 2FA from the shown key, sign in with a code, then with a recovery code in a second browser, end the other session' },
  ],
  '2fa-enabled-notice': [
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
  ],
  'code-time-window': [
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.5 (checklist 20): codes of steps t−1, t and t+1 are accepted; t−2 and t+2 refused' },
    { file: TWO_FACTOR, test: 'A7 / V6.5.5 (checklist 20): codes of steps t−2 and t+2 are refused; t−1 and t+1 are accepted' },
  ],
  'code-used-once': [
    { file: TWO_FACTOR, test: 'A7 / V6.5.1 (checklist 18): a code is accepted once; the same code again in the same step fails' },
    { file: TWO_FACTOR, test: 'V6.5.1 (checklist 19): two parallel requests with one code — exactly one succeeds' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.1 (checklist 18): a code is accepted once; an older step after a newer one is refused' },
    { file: TWO_FACTOR_UNIT, test: 'V6.5.1 (checklist 19): twenty parallel uses of one code — exactly one succeeds' },
  ],
  'recovery-code-single-use': [
    { file: TWO_FACTOR, test: 'A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.4 (checklist 23): each code works once (also in parallel); the count goes down; a new set voids the old one' },
  ],
  'new-recovery-codes': [
    { file: TWO_FACTOR, test: 'A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one' },
    { file: TWO_FACTOR, test: 'A21 / V7.5.1 (checklist 28): without a recent re-authentication, new recovery codes, password, email, API key and ending other sessions are refused; the password alone does not re-authenticate' },
    { file: TWO_FACTOR_UNIT, test: 'A7 / V6.5.4 (checklist 23): each code works once (also in parallel); the count goes down; a new set voids the old one' },
  ],
  'turn-off-2fa': [
    { file: TWO_FACTOR, test: 'A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end' },
  ],
  '2fa-mandatory-cannot-disable': [
    { file: TWO_FACTOR, test: 'A8 / A9: where 2FA is mandatory (a staff account) it cannot be turned off' },
    { file: MANDATORY, test: 'A9 / V6.3.3 (checklist 15): after the mandatory date a user without 2FA reaches only the enrolment pages; everything else redirects there' },
  ],
  'mandatory-2fa': [
    { file: MANDATORY, test: 'A9 / V6.3.3 (checklist 15): after the mandatory date a user without 2FA reaches only the enrolment pages; everything else redirects there' },
    { file: MANDATORY, test: 'A9: before the date, and under a staff-only policy, customers are not forced' },
    { file: TWO_FACTOR_UNIT, test: 'A9: staff roles always require 2FA; customers only once an `all` policy has started' },
    { file: TWO_FACTOR_UNIT, test: 'A9 / S5: setting the policy stores it and records a security event with the actor and reason; bad input changes nothing; null lifts it' },
  ],
  'staff-2fa': [
    { file: MANDATORY, test: 'A9: staff roles (agent, editor, admin) always require 2FA, with no policy set' },
    { file: TWO_FACTOR_UNIT, test: 'A9: staff roles always require 2FA; customers only once an `all` policy has started' },
    { file: TWO_FACTOR, test: 'A4 / V7.2.4 (checklist 14, 29): the password alone signs nobody in; a right code issues a new token and the pre-2FA one dies' },
  ],
  'lost-2fa-device': [
    { file: TWO_FACTOR, test: 'A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one' },
    { file: TWO_FACTOR, test: 'A5 / V6.3.4 (checklist 14): a reset of a 2FA account needs a TOTP or recovery code; without it nothing changes and no session is created' },
    { file: TWO_FACTOR, test: 'A13: a recovery code signs in, and 2FA is set up again on a new phone (also where it is mandatory); the old key works until the new one is confirmed, then stops' },
  ],
  'reauth-sensitive-changes': [
    { file: TWO_FACTOR, test: 'A21 / V7.5.1 (checklist 28): without a recent re-authentication, new recovery codes, password, email, API key and ending other sessions are refused; the password alone does not re-authenticate' },
    { file: TWO_FACTOR, test: 'A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end' },
    { file: API_KEYS, test: 'A21: more than 15 minutes after a confirmation, no password is refused and nothing changes; the right password works' },
    { file: CLAIMS, test: 'within 15 minutes of signing in it works; later it asks to sign in again and ends nothing' },
  ],
  'notification-preferences': [
    { file: CLAIMS, test: 'the account page has no IP restrictions, team members or notification switches' },
    { file: DEVICE, test: 'A10 / V6.3.5: a new device (no device cookie) sends exactly one new-device email with browser, OS, IP and both links' },
    { file: SETTINGS, test: 'A15 / V7.4.3 (checklist 39): a change signs the other session out at once, keeps this one, sends a notice; only the new password signs in' },
    { file: EMAIL_CHANGE, test: 'A14 / checklist 30: the new address is not active until its link is used; the old address is told' },
    { file: TWO_FACTOR, test: 'A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session' },
    { file: TWO_FACTOR, test: 'A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end' },
    { file: TWO_FACTOR, test: 'A12 (checklist 21): after 5 wrong codes within 15 minutes a correct 6th is refused; the account is locked and the email says why' },
  ],
};

/** Entries whose claim is not (fully) proven yet, and what is missing. */
export const pending: Record<string, string> = {
};
