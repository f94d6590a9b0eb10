// A4–A8 / A12 / A21: two-factor authentication through the real server and database file —
// the wizard, the code step of sign-in, recovery codes, sudo mode, turning it off, and the
// second factor during a password reset and an unlock (SECURITY-CHECKLIST 12, 14, 16–23, 28,
// 29, 32, 39).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query, waitForMailLink } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { awayFromStepEdge, codeAt, enrol, forgetLastStep, recoveryCodesOf, registerAndVerify, signInPassword, totpKeyOf } from '../helpers/two-factor.ts';

let server: RunningServer;
const PASSWORD = 'Copper-Lantern-47';
const sessionCookie = (device: Device) => device.cookies.get('session');

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

const userRow = async (email: string) => (await query(server.dbUrl, 'SELECT * FROM users WHERE email = ?', [email]))[0]!;
const eventTypes = async (email: string) =>
  (await query(server.dbUrl, 'SELECT type FROM security_events WHERE user_id = (SELECT id FROM users WHERE email = ?) ORDER BY id', [email])).map((r) => String(r.type));
const mailKinds = async (email: string) => (await query(server.dbUrl, 'SELECT kind FROM mail_outbox WHERE "to" = ? ORDER BY id', [email])).map((r) => String(r.kind));

/** A verified account with 2FA on, signed in on the returned device. */
async function enrolled(email: string) {
  await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
  const device = new Device(server.origin);
  expect((await signInPassword(device, email, PASSWORD)).status).toBe(303);
  const { secret, recoveryCodes } = await enrol(device, PASSWORD);
  return { device, secret, recoveryCodes };
}

/** Password, then the code step with `code`. */
async function signInWithCode(device: Device, email: string, code: string) {
  const password = await signInPassword(device, email, PASSWORD);
  expect(password.status).toBe(200);
  return device.post('/en/login', { step: 'code', code });
}

describe('A6: the setup wizard', () => {
  test('A6 / V7.5.1 (checklist 16): no QR code before the password is re-confirmed; 2FA stays off until a valid code; abandoning leaves it off', async () => {
    const email = 'wizard@example.com';
    await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
    const device = new Device(server.origin);
    await signInPassword(device, email, PASSWORD);

    const start = await device.get('/en/account/two-factor');
    expect(start.status).toBe(200);
    const startHtml = await start.text();
    expect(startHtml).not.toContain('data-totp-qr');
    expect(startHtml).toContain('name="password"');
    expect(startHtml).toContain('Step 1 of 3');

    const wrong = await device.post('/en/account/two-factor', { action: 'password', password: 'Not-My-Password-1' });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).not.toContain('data-totp-qr');
    expect(totpKeyOf(wrongHtml)).toBeUndefined();
    // A code posted without the password step turns nothing on.
    expect((await device.post('/en/account/two-factor', { action: 'confirm', code: '123456' })).status).toBe(400);
    expect((await userRow(email)).totp_enabled_at).toBeNull();

    const scan = await device.post('/en/account/two-factor', { action: 'password', password: PASSWORD });
    const scanHtml = await scan.text();
    expect(scanHtml).toMatch(/data-totp-qr[^>]*><svg [^>]*viewBox/);
    const secret = totpKeyOf(scanHtml)!;
    expect(scanHtml).toContain('Step 2 of 3');

    const badCode = await device.post('/en/account/two-factor', { action: 'confirm', secret, code: (Number(await codeAt(secret)) ^ 1).toString().padStart(6, '0') });
    expect(badCode.status).toBe(400);
    const badHtml = await badCode.text();
    expect(badHtml).toContain('That code is not valid');
    expect(totpKeyOf(badHtml)).toBe(secret); // shown again to whoever posted it
    expect((await userRow(email)).totp_enabled_at).toBeNull();
    // Without the key in the post (another browser on this account), a code confirms nothing and shows no key.
    const blind = await device.post('/en/account/two-factor', { action: 'confirm', code: await codeAt(secret) });
    expect(blind.status).toBe(400);
    expect(totpKeyOf(await blind.text())).toBeUndefined();
    expect((await userRow(email)).totp_enabled_at).toBeNull();

    // Abandoned here: 2FA is off, the next sign-in needs no code, no notice was sent.
    const again = new Device(server.origin);
    expect((await signInPassword(again, email, PASSWORD)).status).toBe(303);
    expect(await mailKinds(email)).not.toContain('2fa-enabled');
    expect((await again.get('/en/account')).status).toBe(200);
  });

  test('A6 / V6.5.3 (checklist 17): the secret is 20 CSPRNG bytes, in an otpauth URI of issuer Loket; two set-ups give different secrets', async () => {
    const email = 'secret@example.com';
    await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
    const device = new Device(server.origin);
    await signInPassword(device, email, PASSWORD);
    const first = totpKeyOf(await (await device.post('/en/account/two-factor', { action: 'password', password: PASSWORD })).text())!;
    const second = totpKeyOf(await (await device.post('/en/account/two-factor', { action: 'password', password: PASSWORD })).text())!;
    expect(first).toMatch(/^[A-Z2-7]{32}$/); // 32 base32 characters = 160 bits = 20 bytes
    expect(second).toMatch(/^[A-Z2-7]{32}$/);
    expect(first).not.toBe(second);
    expect((await userRow(email)).totp_secret).toBe(second); // the newest pending one
  });

  test('A6 / A7 / V6.5.2 (checklist 22, 32, 39): a right code turns 2FA on, shows 10 recovery codes once (stored hashed), sends the notice and ends every other session', async () => {
    const email = 'enable@example.com';
    await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
    const other = new Device(server.origin);
    await signInPassword(other, email, PASSWORD);
    const device = new Device(server.origin);
    await signInPassword(device, email, PASSWORD);
    const { recoveryCodes } = await enrol(device, PASSWORD);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await userRow(email)).totp_enabled_at).not.toBeNull();

    const stored = await query(server.dbUrl, 'SELECT code_hash FROM recovery_codes WHERE user_id = (SELECT id FROM users WHERE email = ?)', [email]);
    expect(stored).toHaveLength(10);
    const hashes = stored.map((r) => String(r.code_hash));
    for (const code of recoveryCodes) {
      expect(hashes.some((h) => h.includes(code) || h.includes(code.replaceAll('-', '')))).toBe(false);
      expect(code.replaceAll('-', '')).toMatch(/^[a-z2-7]{24}$/); // 120 bits each: SHA-256 storage is enough
    }
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('2fa-enabled');
    expect(await eventTypes(email)).toContain('two-factor.enabled');
    expect((await other.get('/en/account')).status).toBe(302); // the other session ended
    const page = await device.get('/en/account/two-factor');
    const html = await page.text();
    expect(recoveryCodesOf(html)).toEqual([]); // shown once only
    expect(html).toContain('You have 10 recovery codes left.');
    const account = await (await device.get('/en/account')).text();
    expect(account).toContain('data-two-factor="on"');
    expect(account).toContain('You have 10 recovery codes left.'); // Account → Security shows the count
  });
});

describe('A4 / A7: signing in with 2FA', () => {
  test('A4 / V7.2.4 (checklist 14, 29): the password alone signs nobody in; a right code issues a new token and the pre-2FA one dies', async () => {
    const email = 'code-step@example.com';
    const { secret, device: enrolledOn } = await enrolled(email);
    const device = new Device(server.origin);
    const password = await signInPassword(device, email, PASSWORD);
    expect(password.status).toBe(200);
    const html = await password.text();
    expect(html).toContain('name="code"');
    expect(html).toContain('/en/support?topic=lost-access');
    const pending = sessionCookie(device)!;
    expect(pending).toBeDefined();
    // The pre-2FA session reaches nothing.
    expect((await device.get('/en/account')).status).toBe(302);
    // The owner's sessions page shows it, marked as waiting for the code.
    const owner = await enrolledOn.get('/en/account');
    expect(await owner.text()).toContain('Password entered, 2FA code not yet');

    const done = await device.post('/en/login', { step: 'code', code: await codeAt(secret, 1) });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/en/account');
    const fresh = sessionCookie(device)!;
    expect(fresh).not.toBe(pending);
    expect((await device.get('/en/account')).status).toBe(200);
    // A repeated post of the code step (double submit) keeps the new session.
    expect((await device.post('/en/login', { step: 'code', code: await codeAt(secret, 1) })).status).toBe(303);
    expect(sessionCookie(device)).toBe(fresh);
    expect((await device.get('/en/account')).status).toBe(200);
    const stale = new Device(server.origin);
    stale.cookies.set('session', pending);
    expect((await stale.get('/en/account')).status).toBe(302);
    expect((await stale.post('/en/login', { step: 'code', code: await codeAt(secret, 1) })).status).not.toBe(303);
    expect(await eventTypes(email)).toContain('sign-in.second-factor');
  });

  test('A7 / V6.5.1 (checklist 18): a code is accepted once; the same code again in the same step fails', async () => {
    const email = 'replay@example.com';
    const { secret } = await enrolled(email);
    await forgetLastStep(server.dbUrl, email);
    const code = await codeAt(secret);
    expect((await signInWithCode(new Device(server.origin), email, code)).status).toBe(303);
    const again = await signInWithCode(new Device(server.origin), email, code);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('was already used');
  });

  test('V6.5.1 (checklist 19): two parallel requests with one code — exactly one succeeds', async () => {
    const email = 'parallel@example.com';
    const { secret } = await enrolled(email);
    await forgetLastStep(server.dbUrl, email);
    const a = new Device(server.origin);
    const b = new Device(server.origin);
    expect((await signInPassword(a, email, PASSWORD)).status).toBe(200);
    expect((await signInPassword(b, email, PASSWORD)).status).toBe(200);
    const code = await codeAt(secret);
    const results = await Promise.all([a.post('/en/login', { step: 'code', code }), b.post('/en/login', { step: 'code', code })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
  });

  test('A7 / V6.5.5 (checklist 20): codes of steps t−2 and t+2 are refused; t−1 and t+1 are accepted', async () => {
    const email = 'window@example.com';
    const { secret } = await enrolled(email);
    await forgetLastStep(server.dbUrl, email);
    await awayFromStepEdge();
    const now = Date.now();
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(secret, -2, now))).status).toBe(400);
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(secret, 2, now))).status).toBe(400);
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(secret, -1, now))).status).toBe(303);
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(secret, 1, now))).status).toBe(303);
  });

  test('A12 (checklist 21): after 5 wrong codes within 15 minutes a correct 6th is refused; the account is locked and the email says why', async () => {
    const email = 'wrong-codes@example.com';
    const { secret } = await enrolled(email);
    const device = new Device(server.origin);
    expect((await signInPassword(device, email, PASSWORD)).status).toBe(200);
    const right = await codeAt(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) expect((await device.post('/en/login', { step: 'code', code: wrong })).status).toBe(400);
    const fifth = await device.post('/en/login', { step: 'code', code: wrong });
    expect(fifth.status).toBe(403);
    expect(await fifth.text()).toContain('temporarily locked');
    expect((await device.post('/en/login', { step: 'code', code: right })).status).not.toBe(303);
    expect((await userRow(email)).lock_reason).toBe('wrong-codes');
    const lockMail = await latestMail(server.dbUrl, email, 'account-locked');
    expect(lockMail!.text).toContain('too many wrong 2FA codes');
    expect(lockMail!.text).toContain('you will also enter a code from your authenticator app');
    // Even the right password and the right code are refused now.
    const retry = new Device(server.origin);
    expect((await signInPassword(retry, email, PASSWORD)).status).toBe(403);
  });

  test('A7 / A13 (checklist 23): each recovery code works once and the number left is shown; a new set voids the old one', async () => {
    const email = 'recovery@example.com';
    const { recoveryCodes } = await enrolled(email);
    const device = new Device(server.origin);
    const used = await signInWithCode(device, email, recoveryCodes[0]!.toUpperCase());
    expect(used.status).toBe(200);
    expect(await used.text()).toContain('You have 9 recovery codes left.');
    expect((await device.get('/en/account')).status).toBe(200);
    expect(await eventTypes(email)).toContain('two-factor.recovery-code-used');

    const again = await signInWithCode(new Device(server.origin), email, recoveryCodes[0]!);
    expect(again.status).toBe(400);

    // Within 15 minutes of the sign-in (password and code), a new set is one click.
    const regenerated = await device.post('/en/account/two-factor', { action: 'regenerate' });
    expect(regenerated.status).toBe(200);
    const fresh = recoveryCodesOf(await regenerated.text());
    expect(fresh).toHaveLength(10);
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('recovery-codes-regenerated');
    expect((await signInWithCode(new Device(server.origin), email, recoveryCodes[1]!)).status).toBe(400);
    const withNew = await signInWithCode(new Device(server.origin), email, fresh[0]!);
    expect(withNew.status).toBe(200);
    expect(await withNew.text()).toContain('You have 9 recovery codes left.');
  });
});

describe('A13: a lost authenticator device', () => {
  test('A13: a recovery code signs in, and 2FA is set up again on a new phone (also where it is mandatory); the old key works until the new one is confirmed, then stops', async () => {
    const email = 'new-phone@example.com';
    const { secret: oldSecret, recoveryCodes } = await enrolled(email);
    await query(server.dbUrl, "UPDATE users SET role = 'agent' WHERE email = ?", [email]); // mandatory: turning off is refused
    const device = new Device(server.origin);
    expect((await signInWithCode(device, email, recoveryCodes[3]!)).status).toBe(200);
    const manage = await (await device.get('/en/account/two-factor')).text();
    expect(manage).toContain('Set up on a new phone');

    const scan = await device.post('/en/account/two-factor', { action: 'replace' });
    expect(scan.status).toBe(200);
    const html = await scan.text();
    const newSecret = totpKeyOf(html)!;
    expect(newSecret).not.toBe(oldSecret);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
    const form = { action: 'confirm-replace', secret: newSecret, issuedAt: field('issuedAt'), proof: field('proof') };
    expect((await userRow(email)).totp_secret).toBe(oldSecret); // nothing changes before the confirmation

    // V6.5.3: a key of the client's choosing is refused (the proof binds the server's key).
    const forged = await device.post('/en/account/two-factor', { ...form, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', code: await codeAt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('This setup has expired');
    const wrong = await device.post('/en/account/two-factor', { ...form, code: await codeAt(oldSecret, 1) === (await codeAt(newSecret)) ? '000000' : await codeAt(oldSecret, 1) });
    expect(wrong.status).toBe(400);
    expect((await userRow(email)).totp_secret).toBe(oldSecret);

    const done = await device.post('/en/account/two-factor', { ...form, code: await codeAt(newSecret) });
    expect(done.status).toBe(200);
    const fresh = recoveryCodesOf(await done.text());
    expect(fresh).toHaveLength(10);
    expect((await userRow(email)).totp_secret).toBe(newSecret);
    expect(await eventTypes(email)).toContain('two-factor.device-replaced');
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(oldSecret, 1))).status).toBe(400);
    expect((await signInWithCode(new Device(server.origin), email, await codeAt(newSecret, 1))).status).toBe(303);
    expect((await signInWithCode(new Device(server.origin), email, recoveryCodes[4]!)).status).toBe(400); // the old set died
  });
});

describe('A21: sudo mode for a 2FA account', () => {
  test('A21 / V7.5.1 (checklist 28): without a recent re-authentication, new recovery codes, password, email, API key and ending other sessions are refused; the password alone does not re-authenticate', async () => {
    const email = 'sudo@example.com';
    const { device, secret } = await enrolled(email);
    const stale = Date.now() - 16 * 60_000;
    await query(server.dbUrl, 'UPDATE sessions SET reauthenticated_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)', [stale, email]);
    const hash = (await userRow(email)).password_hash;

    const regenerate = await device.post('/en/account/two-factor', { action: 'regenerate' });
    expect(regenerate.status).toBe(403);
    expect(await regenerate.text()).toContain('/en/account/confirm?next=');
    const password = await device.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: 'Fresh-Meadow-Path-88' });
    expect(password.status).toBe(403);
    expect((await userRow(email)).password_hash).toBe(hash);
    expect((await device.post('/en/account', { action: 'email', password: PASSWORD, newEmail: 'sudo-new@example.com' })).status).toBe(403);
    expect((await device.post('/en/account/api-key', { action: 'create', password: PASSWORD })).status).toBe(403);
    expect((await device.post('/en/account', { action: 'end-others' })).status).toBe(403);
    expect(await query(server.dbUrl, 'SELECT 1 FROM api_keys WHERE user_id = (SELECT id FROM users WHERE email = ?)', [email])).toHaveLength(0);

    // The confirm page: the password alone is not enough for a 2FA account.
    const old = sessionCookie(device)!;
    expect((await device.post('/en/account/confirm?next=/en/account/two-factor', { password: PASSWORD })).status).toBe(400);
    expect((await device.post('/en/account/confirm?next=/en/account/two-factor', { password: PASSWORD, code: '000000' === (await codeAt(secret, 1)) ? '111111' : '000000' })).status).toBe(400);
    const confirmed = await device.post('/en/account/confirm?next=/en/account/two-factor', { password: PASSWORD, code: await codeAt(secret, 1) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/en/account/two-factor');
    // V7.2.4 (checklist 29): re-authentication issues a new token; the old one dies.
    expect(sessionCookie(device)).not.toBe(old);
    const oldDevice = new Device(server.origin);
    oldDevice.cookies.set('session', old);
    expect((await oldDevice.get('/en/account')).status).toBe(302);
    expect((await device.post('/en/account/two-factor', { action: 'regenerate' })).status).toBe(200);
    expect((await device.post('/en/account/api-key', { action: 'create' })).status).toBe(200);
  });
});

describe('A8: turning 2FA off', () => {
  test('A8 (checklist 32, 39): the password and a current code are both required; then 2FA is off, a notice goes out and other sessions end', async () => {
    const email = 'disable@example.com';
    const { device, secret } = await enrolled(email);
    await forgetLastStep(server.dbUrl, email);
    const other = new Device(server.origin);
    expect((await signInWithCode(other, email, await codeAt(secret))).status).toBe(303);

    expect((await device.post('/en/account/two-factor', { action: 'disable', password: PASSWORD })).status).toBe(400);
    expect((await device.post('/en/account/two-factor', { action: 'disable', password: 'Wrong-Password-12', code: await codeAt(secret, 1) })).status).toBe(400);
    expect((await device.post('/en/account/two-factor', { action: 'disable', password: PASSWORD, code: '12345' })).status).toBe(400);
    expect((await userRow(email)).totp_enabled_at).not.toBeNull();

    const off = await device.post('/en/account/two-factor', { action: 'disable', password: PASSWORD, code: await codeAt(secret, 1) });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain('Two-factor authentication is off.');
    const row = await userRow(email);
    expect(row.totp_enabled_at).toBeNull();
    expect(row.totp_secret).toBeNull();
    expect(await query(server.dbUrl, 'SELECT 1 FROM recovery_codes WHERE user_id = ?', [String(row.id)])).toHaveLength(0);
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('2fa-disabled');
    expect(await eventTypes(email)).toContain('two-factor.disabled');
    expect((await other.get('/en/account')).status).toBe(302);
    expect((await device.get('/en/account')).status).toBe(200);
    expect((await signInPassword(new Device(server.origin), email, PASSWORD)).status).toBe(303);
  });

  test('A8 / A9: where 2FA is mandatory (a staff account) it cannot be turned off', async () => {
    const email = 'staff-disable@example.com';
    const { device, secret } = await enrolled(email);
    await query(server.dbUrl, "UPDATE users SET role = 'agent' WHERE email = ?", [email]);
    const page = await (await device.get('/en/account/two-factor')).text();
    expect(page).toContain('mandatory for your account, so it cannot be turned off');
    expect(page).not.toContain('value="disable"');
    const refused = await device.post('/en/account/two-factor', { action: 'disable', password: PASSWORD, code: await codeAt(secret, 1) });
    expect(refused.status).toBe(403);
    expect((await userRow(email)).totp_enabled_at).not.toBeNull();
  });
});

describe('A5 / A12: the second factor during a reset and an unlock', () => {
  const resetLink = (email: string) => waitForMailLink(server.dbUrl, email, 'password-reset', /reset\?token=([a-z2-7]+\.[a-z2-7]+)/);

  test('A5 / V6.3.4 (checklist 14): a reset of a 2FA account needs a TOTP or recovery code; without it nothing changes and no session is created', async () => {
    const email = 'reset-2fa@example.com';
    const { recoveryCodes } = await enrolled(email);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);
    const form = await (await new Device(server.origin).get(`/en/reset?token=${token}`)).text();
    expect(form).toContain('name="code"');
    const hash = (await userRow(email)).password_hash;

    const visitor = new Device(server.origin);
    const noCode = await visitor.post('/en/reset', { token, password: 'Another-River-Stone-5' });
    expect(noCode.status).toBe(400);
    const wrongCode = await visitor.post('/en/reset', { token, password: 'Another-River-Stone-5', code: 'aaaaaa-bbbbbb-cccccc-dddddd' });
    expect(wrongCode.status).toBe(400);
    expect((await userRow(email)).password_hash).toBe(hash);
    expect(visitor.cookies.has('session')).toBe(false);

    const done = await visitor.post('/en/reset', { token, password: 'Another-River-Stone-5', code: recoveryCodes[0]! });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/en/login?reset=1');
    expect(visitor.cookies.has('session')).toBe(false); // no session from a reset: sign in with password and code
    expect((await userRow(email)).password_hash).not.toBe(hash);
    const signIn = await signInPassword(new Device(server.origin), email, 'Another-River-Stone-5');
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain('name="code"');
  });

  test('V6.4.4 (checklist 24): with the device and every recovery code lost, email alone neither resets the password nor signs in', async () => {
    const email = 'email-alone@example.com';
    await enrolled(email);
    await new Device(server.origin).post('/en/recover', { email });
    const token = await resetLink(email);
    const hash = (await userRow(email)).password_hash;
    const visitor = new Device(server.origin);
    for (const code of ['', 'I lost my phone', '000000']) {
      expect((await visitor.post('/en/reset', { token, password: 'Another-River-Stone-5', code })).status).toBe(400);
    }
    const row = await userRow(email);
    expect(row.password_hash).toBe(hash);
    expect(row.totp_enabled_at).not.toBeNull();
    expect(visitor.cookies.has('session')).toBe(false);
    // The way out is the manual verification through support (A13), linked from the code step.
    expect(await (await signInPassword(new Device(server.origin), email, PASSWORD)).text()).toContain('/en/support?topic=lost-access');
  });

  test('A12 / V6.1.1 (checklist 12): the unlock link of a 2FA account also needs a code', async () => {
    const email = 'unlock-2fa@example.com';
    const { secret } = await enrolled(email);
    for (let i = 0; i < 10; i++) await signInPassword(new Device(server.origin), email, 'Wrong-Password-99');
    expect((await userRow(email)).locked_at).not.toBeNull();
    const mail = await latestMail(server.dbUrl, email, 'account-locked');
    const token = /unlock\?token=([a-z2-7]+\.[a-z2-7]+)/.exec(mail!.text)![1]!;
    const device = new Device(server.origin);
    expect(await (await device.get(`/en/unlock?token=${token}`)).text()).toContain('name="code"');
    expect((await device.post(`/en/unlock?token=${token}`, { token })).status).toBe(400);
    expect((await device.post(`/en/unlock?token=${token}`, { token, code: '000000' === (await codeAt(secret, 1)) ? '111111' : '000000' })).status).toBe(400);
    expect((await userRow(email)).locked_at).not.toBeNull();
    const unlocked = await device.post(`/en/unlock?token=${token}`, { token, code: await codeAt(secret, 1) });
    expect(unlocked.status).toBe(303);
    expect((await userRow(email)).locked_at).toBeNull();
    expect((await signInPassword(new Device(server.origin), email, PASSWORD)).status).toBe(200);
  });
});

describe('N4: the 2FA pages in every language', () => {
  test('N4: the wizard and the code step are translated (nl, fr)', async () => {
    const email = 'languages-2fa@example.com';
    await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
    const device = new Device(server.origin);
    await signInPassword(device, email, PASSWORD);
    expect(await (await device.get('/nl/account/two-factor')).text()).toContain('Tweestapsverificatie');
    expect(await (await device.get('/fr/account/two-factor')).text()).toContain('Authentification à deux facteurs');
  });
});

describe('A21: secrets stay out of logs', () => {
  test('A21 (checklist 44): no password, TOTP key or recovery code appears in the server output', async () => {
    const email = 'logs-2fa@example.com';
    const { secret, recoveryCodes } = await enrolled(email);
    const out = server.output();
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(secret);
    for (const code of recoveryCodes) expect(out).not.toContain(code);
  });
});
