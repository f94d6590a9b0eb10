// A15 / A16 through the real server: the profile (name, time zone, region, language; the username
// fixed) and the password change (current password, A3, other sessions end, notice email, A12).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Correct-Horse-42';
const NEW_PASSWORD = 'Battery-Staple-77';
const PASSWORDS_USED = [PASSWORD, NEW_PASSWORD, 'Wrong-Password-1'];

// Every Device is its own client address (X-Forwarded-For behind a trusted proxy), as in real use.
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function registerAndVerify(email: string, name = 'Ada Lovelace'): Promise<Device> {
  const device = new Device(server.origin);
  const res = await device.post('/en/signup', { name, email, password: PASSWORD });
  expect(res.status).toBe(303);
  const mail = await latestMail(server.dbUrl, email, 'verify-email');
  const code = /\b(\d{6})\b/.exec(mail!.text)![1]!;
  const verified = await device.post('/en/verify', { action: 'code', code });
  expect(verified.status).toBe(303);
  return device;
}
async function signIn(device: Device, email: string, password = PASSWORD) {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password });
}
/** A verified account, signed in on a fresh device. */
async function signedIn(email: string, name?: string): Promise<Device> {
  await registerAndVerify(email, name);
  const device = new Device(server.origin);
  expect((await signIn(device, email)).status).toBe(303);
  return device;
}
async function userRow(email: string) {
  return (await query(server.dbUrl, 'SELECT id, name, username, time_zone, region, locale, password_hash FROM users WHERE email = ?', [email]))[0]!;
}
const PROFILE = { action: 'profile', name: 'Ada King', timeZone: 'Asia/Tokyo', region: 'en-US', locale: 'fr' };
const sessionId = (device: Device) => device.cookies.get('session')!.split('.')[0]!;

describe('A16: profile', () => {
  test('A16: the page shows the profile form with the username fixed (no field for it) and a date preview', async () => {
    const device = await signedIn('profile-page@example.com');
    const body = await (await device.get('/nl/account')).text();
    const { username } = await userRow('profile-page@example.com');
    expect(body).toContain(String(username));
    expect(body).not.toMatch(/name="username"/);
    expect(body).toContain('Support kan hem voor je aanpassen.');
    expect(body).toMatch(/<select[^>]*name="timeZone"/);
    expect(body).toMatch(/<select[^>]*name="region"/);
    expect(body).toMatch(/<select[^>]*name="locale"/);
    expect(body).toContain('<option value="Europe/Amsterdam" selected>');
    expect(body).toContain('Datums zien er zo uit:');
    expect(body).toContain('id="password"');
  });

  test('A16: a profile change persists and every date on the page renders in the new zone and region', async () => {
    const email = 'profile-save@example.com';
    const device = await signedIn(email);
    const res = await device.post('/en/account', PROFILE);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('Your profile has been saved.');
    expect(await userRow(email)).toMatchObject({ name: 'Ada King', time_zone: 'Asia/Tokyo', region: 'en-US', locale: 'fr' });

    // The sessions list: the session's creation time, as en-US in Tokyo time.
    const [session] = await query(server.dbUrl, 'SELECT created_at FROM sessions WHERE id = ?', [sessionId(device)]);
    const created = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(Number(session!.created_at));
    const page = await (await device.get('/en/account')).text();
    expect(page).toContain(created);
    expect(page).toContain('<option value="Asia/Tokyo" selected>');
    expect(page).toContain('value="Ada King"');
    // The preview: the current time in the chosen zone and region (minute precision; allow a tick).
    const preview = /<output id="date-preview"[^>]*>([^<]+)<\/output>/.exec(page)![1]!;
    const now = Date.now();
    const fmt = (ms: number) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(ms);
    expect([fmt(now), fmt(now - 60_000)]).toContain(preview.trim());
  });

  test('A16: emails come in the preferred language after it changes', async () => {
    const email = 'profile-language@example.com';
    const device = await signedIn(email);
    expect((await device.post('/en/account', { ...PROFILE, locale: 'nl' })).status).toBe(200);
    const res = await device.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    const mail = await latestMail(server.dbUrl, email, 'password-changed');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('/nl/recover');
    expect(mail!.text).toContain('/nl/support');
    const [row] = await query(server.dbUrl, "SELECT locale FROM mail_outbox WHERE \"to\" = ? AND kind = 'password-changed'", [email]);
    expect(row!.locale).toBe('nl');
  });

  test('A16: the username cannot be changed, even with a crafted `username` field', async () => {
    const email = 'profile-username@example.com';
    const device = await signedIn(email);
    const before = await userRow(email);
    const res = await device.post('/en/account', { ...PROFILE, username: 'hijacked-name' });
    expect(res.status).toBe(200);
    const after = await userRow(email);
    expect(after.username).toBe(before.username);
    expect(after.name).toBe('Ada King');
    expect(await query(server.dbUrl, 'SELECT id FROM users WHERE username = ?', ['hijacked-name'])).toHaveLength(0);
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'Choose a time zone from the list.'],
    ['an unknown region', { region: 'xx-YY' }, 'Choose a region format from the list.'],
    ['a language that is not offered', { locale: 'de' }, 'Choose Dutch, English or French.'],
    ['an empty name', { name: '   ' }, 'Please fill in this field.'],
    ['a name over 100 characters', { name: 'A'.repeat(101) }, 'Use at most 100 characters.'],
  ];
  test.each(bad)('A16 / N2: %s gets a clear, linked error and changes nothing', async (_what, change, message) => {
    const email = `profile-bad-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const device = await signedIn(email);
    const before = await userRow(email);
    const res = await device.post('/en/account', { ...PROFILE, ...change });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Your profile was not saved.');
    expect(body).toContain(message);
    expect(body).toMatch(/aria-invalid="true" aria-describedby="profile-[a-z-]+-error/);
    expect(await userRow(email)).toEqual(before);
  });

  test('N2 / N4: profile errors are localized (fr)', async () => {
    const device = await signedIn('profile-fr@example.com');
    const body = await (await device.post('/fr/account', { ...PROFILE, timeZone: 'Nowhere/Else' })).text();
    expect(body).toContain('Choisissez un fuseau horaire dans la liste.');
    expect(body).toContain('pas été enregistré.');
  });
});

describe('A15: change password', () => {
  test('A15 / V7.4.3 (checklist 39): a change signs the other session out at once, keeps this one, sends a notice; only the new password signs in', async () => {
    const email = 'change-password@example.com';
    const laptop = await signedIn(email);
    const phone = new Device(server.origin, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1');
    expect((await signIn(phone, email)).status).toBe(303);
    expect((await phone.get('/en/account')).status).toBe(200);
    const before = await userRow(email);
    const { id: userId } = before;

    const res = await laptop.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('Your password has been changed.');
    expect(body.match(/data-session=/g)).toHaveLength(1);

    // V7.4.3: the other device is out at once; this one stays and is in sudo mode (A21).
    const after = await phone.get('/en/account');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toContain('/en/login');
    expect((await laptop.get('/en/account')).status).toBe(200);
    const sessions = await query(server.dbUrl, 'SELECT id, reauthenticated_at FROM sessions WHERE user_id = ?', [String(userId)]);
    expect(sessions.map((s) => s.id)).toEqual([sessionId(laptop)]);
    expect(Date.now() - Number(sessions[0]!.reauthenticated_at)).toBeLessThan(60_000);

    // Checklist 32 / V6.3.5: the notice email; a security event; the hash changed.
    const mail = await latestMail(server.dbUrl, email, 'password-changed');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain(`${server.origin}/en/recover`);
    expect(mail!.text).not.toContain(NEW_PASSWORD);
    const events = await query(server.dbUrl, "SELECT type, ip FROM security_events WHERE user_id = ? AND type = 'password.changed'", [String(userId)]);
    expect(events).toHaveLength(1);
    expect(events[0]!.ip).toBe(laptop.ip);
    expect((await userRow(email)).password_hash).not.toBe(before.password_hash);

    expect((await signIn(new Device(server.origin), email, PASSWORD)).status).toBe(400);
    expect((await signIn(new Device(server.origin), email, NEW_PASSWORD)).status).toBe(303);
  });

  test('A15 / V6.2.3 (checklist 6): a wrong current password is refused (400) and the hash is unchanged', async () => {
    const email = 'change-wrong@example.com';
    const device = await signedIn(email);
    const other = new Device(server.origin);
    await signIn(other, email);
    const before = await userRow(email);
    const res = await device.post('/en/account', { action: 'password', currentPassword: 'Wrong-Password-1', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('That is not your current password.');
    expect(body).toMatch(/id="current-password"[^>]*aria-invalid="true" aria-describedby="current-password-error"/);
    expect((await userRow(email)).password_hash).toBe(before.password_hash);
    expect((await other.get('/en/account')).status).toBe(200); // nothing ended
    expect(await latestMail(server.dbUrl, email, 'password-changed')).toBeUndefined();
    const failed = await query(server.dbUrl, "SELECT type FROM security_events WHERE user_id = ? AND type = 'password.change-failed'", [String(before.id)]);
    expect(failed).toHaveLength(1);
    expect((await signIn(new Device(server.origin), email, PASSWORD)).status).toBe(303);
  });

  test('A15 / A3: a weak new password is refused with the localized A3 reasons; nothing changes', async () => {
    const email = 'change-weak@example.com';
    const device = await signedIn(email, 'Jan de Vries');
    const before = await userRow(email);
    const nl = await device.post('/nl/account', { action: 'password', currentPassword: PASSWORD, newPassword: 'password' });
    expect(nl.status).toBe(400);
    const body = await nl.text();
    expect(body).toContain('Voeg een hoofdletter toe.');
    expect(body).toContain('Voeg een cijfer toe.');
    expect(body).toContain('Je wachtwoord is niet gewijzigd.');
    expect(body).toMatch(/id="new-password"[^>]*aria-invalid="true" aria-describedby="new-password-error new-password-rules"/);
    // V6.2.4: a list entry; V6.1.2: the product name; the user's own name (A3 context).
    const common = await (await device.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: 'Password1' })).text();
    expect(common).toContain('most common passwords');
    const product = await (await device.post('/fr/account', { action: 'password', currentPassword: PASSWORD, newPassword: 'Loket2026!' })).text();
    expect(product).toContain('Ne construisez pas votre mot de passe à partir du nom de ce centre');
    const personal = await (await device.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: 'Vries-Harbor-9' })).text();
    expect(personal).toContain('Do not use your name or email address in your password.');
    expect((await userRow(email)).password_hash).toBe(before.password_hash);
    expect(await latestMail(server.dbUrl, email, 'password-changed')).toBeUndefined();
  });

  test('A15 / N2: empty fields each get an error; a right current password with an empty new one changes nothing', async () => {
    const email = 'change-empty@example.com';
    const device = await signedIn(email);
    const before = await userRow(email);
    const res = await device.post('/en/account', { action: 'password', currentPassword: '', newPassword: '' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body.match(/Please fill in this field\./g)).toHaveLength(2);
    expect((await device.post('/en/account', { action: 'password', currentPassword: PASSWORD })).status).toBe(400);
    expect((await userRow(email)).password_hash).toBe(before.password_hash);
  });

  test('A15: the form uses the live A3 checklist and the right autocomplete attributes; /account#password lands on it', async () => {
    const device = await signedIn('change-form@example.com');
    const body = await (await device.get('/en/account')).text();
    expect(body).toMatch(/<section id="password"/);
    expect(body).toMatch(/id="current-password" name="currentPassword" type="password"[^>]*autocomplete="current-password"/);
    expect(body).toMatch(/id="new-password" name="newPassword" type="password"[^>]*autocomplete="new-password"/);
    expect(body).toContain('id="new-password-rules"');
    expect(body).toContain('data-password-rules');
    expect(body).toContain('action="/en/account#password"');
  });

  test('A15 / A12: wrong current passwords count toward the lock; the 10th locks the account and ends every session', async () => {
    const email = 'change-lock@example.com';
    const device = await signedIn(email);
    const before = await userRow(email);
    for (let i = 0; i < 9; i++) {
      expect((await device.post('/en/account', { action: 'password', currentPassword: 'Wrong-Password-1', newPassword: NEW_PASSWORD })).status).toBe(400);
    }
    const tenth = await device.post('/en/account', { action: 'password', currentPassword: 'Wrong-Password-1', newPassword: NEW_PASSWORD });
    expect(tenth.status).toBe(403);
    expect(await tenth.text()).toContain('temporarily locked');
    expect((await userRow(email)).password_hash).toBe(before.password_hash);
    expect((await device.get('/en/account')).status).toBe(302);
    expect(await latestMail(server.dbUrl, email, 'account-locked')).toBeDefined();
    expect((await signIn(new Device(server.origin), email)).status).toBe(403);
  });

  test('V3.5.1: a cross-site password change is refused with 403 and changes nothing', async () => {
    const email = 'change-csrf@example.com';
    const device = await signedIn(email);
    const before = await userRow(email);
    const res = await device.post('/en/account', { action: 'password', currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await userRow(email)).password_hash).toBe(before.password_hash);
  });
});

describe('A21: secrets stay out of logs', () => {
  test('A21: no password appears in the server output', () => {
    for (const p of PASSWORDS_USED) expect(server.output()).not.toContain(p);
  });
});
