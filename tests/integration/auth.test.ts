// A1–A4, A11, A12, A21 through the real server: sign page, registration, verification,
// identifier-first sign-in, sessions, sign-out, lock, cookies, enumeration, origin check.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Correct-Horse-42';
const PASSWORDS_USED = [PASSWORD, 'Wrong-Password-1'];

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

describe('A1: the sign page', () => {
  test('/en/sign shows sign-in and registration, with Recover account on the left (first)', async () => {
    const body = await (await fetch(`${server.origin}/en/sign`)).text();
    const recover = body.indexOf('id="recover-title"');
    const signIn = body.indexOf('id="sign-in-title"');
    const signUp = body.indexOf('id="sign-up-title"');
    expect(recover).toBeGreaterThan(0);
    expect(signIn).toBeGreaterThan(recover);
    expect(signUp).toBeGreaterThan(signIn);
    expect(body).toContain('Recover account');
  });
  test('/signup opens registration, /login opens sign-in; bare paths redirect to the locale', async () => {
    const signup = await (await fetch(`${server.origin}/fr/signup`)).text();
    expect(signup).toContain('id="sign-up-title"');
    expect(signup).not.toContain('id="sign-in-title"');
    const login = await (await fetch(`${server.origin}/nl/login`)).text();
    expect(login).toContain('id="sign-in-title"');
    expect(login).not.toContain('id="sign-up-title"');
    for (const path of ['sign', 'signup', 'login', 'account']) {
      const res = await fetch(`${server.origin}/${path}`, { redirect: 'manual', headers: { 'Accept-Language': 'nl-BE' } });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/nl/${path}`);
    }
  });
});

describe('A2 / A3: registration and email verification', () => {
  test('A3: a weak password is refused on the server with localized reasons, and nothing is created', async () => {
    const device = new Device(server.origin);
    const res = await device.post('/nl/signup', { name: 'Kees', email: 'kees@example.com', password: 'password' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Voeg een hoofdletter toe.');
    expect(body).toContain('Voeg een cijfer toe.');
    expect(await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', ['kees@example.com'])).toHaveLength(0);
    const common = await device.post('/en/signup', { name: 'Kees', email: 'kees@example.com', password: 'Password1' });
    expect(common.status).toBe(400);
    expect(await common.text()).toContain('most common passwords');
  });

  test('N2: missing and malformed fields get a clear error each', async () => {
    const res = await new Device(server.origin).post('/en/signup', { name: '', email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Please fill in this field.');
    expect(body).toContain('Enter a valid email address');
    expect(body).toContain('aria-invalid="true"');
  });

  test('A2: the account is inactive until verified; a wrong code is refused; the right code verifies', async () => {
    const email = 'grace@example.com';
    const device = new Device(server.origin);
    const res = await device.post('/en/signup', { name: 'Grace Hopper', email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/verify');
    const mail = await latestMail(server.dbUrl, email, 'verify-email');
    expect(mail).toBeDefined();
    const code = /\b(\d{6})\b/.exec(mail!.text)![1]!;

    // unverified: even the right password does not sign in
    const early = await signIn(new Device(server.origin), email);
    expect(early.status).toBe(403);
    expect(await early.text()).toContain('Verify your email address first');

    const wrong = await device.post('/en/verify', { action: 'code', code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    const ok = await device.post('/en/verify', { action: 'code', code });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/en/login?verified=1');
    // single use
    expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(400);
    const signedIn = await signIn(new Device(server.origin), email);
    expect(signedIn.status).toBe(303);
  });

  test('A2: the emailed link verifies too, through a POST (a GET only shows the button) with no Referer leak', async () => {
    const email = 'linus@example.com';
    const device = new Device(server.origin);
    await device.post('/en/signup', { name: 'Linus', email, password: PASSWORD });
    const mail = await latestMail(server.dbUrl, email, 'verify-email');
    const token = /verify\?token=([a-z2-7]+\.[a-z2-7]+)/.exec(mail!.text)![1]!;
    const page = await new Device(server.origin).get(`/en/verify?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await query(server.dbUrl, 'SELECT email_verified_at FROM users WHERE email = ?', [email])).toEqual([expect.objectContaining({ email_verified_at: null })]);
    const confirm = await new Device(server.origin).post('/en/verify', { action: 'link', token });
    expect(confirm.status).toBe(303);
    expect((await new Device(server.origin).post('/en/verify', { action: 'link', token })).status).toBe(400);
  });

  test('V6.6.3: five wrong codes end the code, even the right one is then refused', async () => {
    const email = 'wrongcodes@example.com';
    const device = new Device(server.origin);
    await device.post('/en/signup', { name: 'W', email, password: PASSWORD });
    const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) await device.post('/en/verify', { action: 'code', code: wrong });
    const res = await device.post('/en/verify', { action: 'code', code });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Too many wrong codes');
  });

  test('A2 / V6.3.8: registering an existing email looks the same and reveals nothing; the owner is told by email', async () => {
    const email = 'twice@example.com';
    const first = await new Device(server.origin).post('/en/signup', { name: 'First', email, password: PASSWORD });
    const second = await new Device(server.origin).post('/en/signup', { name: 'Second', email, password: 'Another-Pass-77' });
    expect(second.status).toBe(first.status);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const cookieShape = (r: Response) => r.headers.getSetCookie().map((c) => c.replace(/=[^;]+/, '=X'));
    expect(cookieShape(second)).toEqual(cookieShape(first));
    expect(await query(server.dbUrl, 'SELECT count(*) AS n FROM users WHERE email = ?', [email])).toEqual([expect.objectContaining({ n: 1 })]);
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('account-exists');
  });
});

describe('A4: identifier-first sign-in', () => {
  test('"Next" answers the same for a known and an unknown email; Forgot password is on the password step', async () => {
    await registerAndVerify('known@example.com');
    const known = await new Device(server.origin).post('/en/login', { step: 'email', email: 'known@example.com' });
    const unknown = await new Device(server.origin).post('/en/login', { step: 'email', email: 'unknown@example.com' });
    expect(known.status).toBe(unknown.status);
    const k = (await known.text()).replaceAll('known@example.com', 'X');
    const u = (await unknown.text()).replaceAll('unknown@example.com', 'X');
    expect(k).toBe(u);
    expect(k).toContain('autocomplete="current-password"');
    expect(k).toContain('Forgot password');
  });

  test('V6.3.8: a wrong password and an unknown email get the same status and message', async () => {
    await registerAndVerify('same@example.com');
    const wrong = await signIn(new Device(server.origin), 'same@example.com', 'Wrong-Password-1');
    const unknown = await signIn(new Device(server.origin), 'nobody@example.com', 'Wrong-Password-1');
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const message = (body: string) => /<p class="form-error"[^>]*>([^<]+)</.exec(body)?.[1];
    expect(message(await wrong.text())).toBe(message(await unknown.text()));
  });

  test('A21 / V3.3: the session cookie is HttpOnly, SameSite=Lax, Path=/, no Domain; a new token per sign-in', async () => {
    await registerAndVerify('cookie@example.com');
    const a = new Device(server.origin);
    const res = await signIn(a, 'cookie@example.com');
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const first = a.cookies.get('session')!;
    await signIn(a, 'cookie@example.com');
    expect(a.cookies.get('session')).not.toBe(first);
    // V7.2.4: the token this browser had before is dead
    const replay = await fetch(`${server.origin}/en/account`, { redirect: 'manual', headers: { Cookie: `session=${first}` } });
    expect(replay.status).toBe(302);
  });

  test('V3.5.1: a cross-site or origin-less sign-in post is refused with 403', async () => {
    const cases: Array<Record<string, string>> = [
      { Origin: 'https://evil.example' },
      {},
      { Origin: 'null' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    ];
    for (const headers of cases) {
      const res = await fetch(`${server.origin}/en/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: 'step=password&email=cookie%40example.com&password=x',
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
  });

  test('a same-origin form from a no-referrer page (Origin: null + Sec-Fetch-Site: same-origin) is accepted', async () => {
    const res = await fetch(`${server.origin}/en/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
      body: 'step=email&email=someone%40example.com',
    });
    expect(res.status).toBe(200);
  });
});

describe('A11 / V7.4.1: sessions and sign-out', () => {
  test('the sessions page lists both devices, marks the current one, and ends the other at once', async () => {
    const email = 'two-devices@example.com';
    await registerAndVerify(email);
    const laptop = new Device(server.origin);
    const phone = new Device(server.origin, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1');
    await signIn(laptop, email);
    await signIn(phone, email);
    const page = await (await laptop.get('/en/account')).text();
    expect(page.match(/data-session=/g)).toHaveLength(2);
    expect(page).toContain('Chrome on Linux');
    expect(page).toContain('Safari on iOS');
    expect(page).toContain('This device');
    const other = /data-session="other"[\s\S]*?name="session" value="([a-z2-7]+)"/.exec(page)![1]!;
    expect((await phone.get('/en/account')).status).toBe(200);
    const ended = await laptop.post('/en/account', { action: 'end-session', session: other });
    expect(ended.status).toBe(200);
    const after = await phone.get('/en/account');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toContain('/en/login');
  });

  test('V7.5.2: ending a session id that is not yours gives 404 and ends nothing', async () => {
    await registerAndVerify('mallory@example.com');
    await registerAndVerify('victim@example.com');
    const mallory = new Device(server.origin);
    const victim = new Device(server.origin);
    await signIn(mallory, 'mallory@example.com');
    await signIn(victim, 'victim@example.com');
    const victimSession = victim.cookies.get('session')!.split('.')[0]!;
    const res = await mallory.post('/en/account', { action: 'end-session', session: victimSession });
    expect(res.status).toBe(404);
    expect((await victim.get('/en/account')).status).toBe(200);
  });

  test('V7.4.1: after sign-out the old cookie is refused', async () => {
    await registerAndVerify('signout@example.com');
    const device = new Device(server.origin);
    await signIn(device, 'signout@example.com');
    const cookie = device.cookies.get('session')!;
    const out = await device.post('/en/logout', {});
    expect(out.status).toBe(303);
    const replay = await fetch(`${server.origin}/en/account`, { redirect: 'manual', headers: { Cookie: `session=${cookie}` } });
    expect(replay.status).toBe(302);
    expect((await fetch(`${server.origin}/en/logout`, { redirect: 'manual' })).status).not.toBe(303); // GET changes nothing
  });
});

describe('A12: temporary lock', () => {
  test('V6.3.1: after 10 wrong passwords in 15 minutes the 11th attempt is refused even with the right password', async () => {
    const email = 'locked@example.com';
    const owner = await registerAndVerify(email);
    await signIn(owner, email);
    expect((await owner.get('/en/account')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await signIn(new Device(server.origin), email, 'Wrong-Password-1')).status).toBe(400);
    const right = await signIn(new Device(server.origin), email);
    expect(right.status).toBe(403);
    expect(await right.text()).toContain('temporarily locked');
    // V7.4.2: locking ended the owner's session
    expect((await owner.get('/en/account')).status).toBe(302);
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('account-locked');
    const events = await query(server.dbUrl, "SELECT type, ip FROM security_events WHERE type = 'account.locked'");
    expect(events.length).toBeGreaterThan(0);
  });

  test('V6.1.1: the single-use unlock link from the email restores access; a second use fails', async () => {
    const email = 'locked@example.com';
    const mail = await latestMail(server.dbUrl, email, 'account-locked');
    const token = /unlock\?token=([a-z2-7]+\.[a-z2-7]+)/.exec(mail!.text)![1]!;
    expect(mail!.text).not.toContain(PASSWORD);
    const page = await new Device(server.origin).get(`/en/unlock?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const unlock = await new Device(server.origin).post(`/en/unlock?token=${token}`, { token });
    expect(unlock.status).toBe(303);
    expect((await new Device(server.origin).post('/en/unlock', { token })).status).toBe(400);
    expect((await signIn(new Device(server.origin), email)).status).toBe(303);
    expect(await latestMail(server.dbUrl, email, 'account-unlocked')).toBeDefined();
  });

  test('A12: the lock survives a restart', async () => {
    const email = 'restart-lock@example.com';
    await registerAndVerify(email);
    for (let i = 0; i < 10; i++) await signIn(new Device(server.origin), email, 'Wrong-Password-1');
    const dbUrl = server.dbUrl;
    await server.stop({ keepData: true });
    server = await startServer({ DATABASE_URL: dbUrl, TRUST_PROXY: '1' });
    expect((await signIn(new Device(server.origin), email)).status).toBe(403);
  });
});

describe('A21: rate limits', () => {
  test('sign-in attempts from one address are limited: 429 with Retry-After, in the page language', async () => {
    const device = new Device(server.origin);
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) last = await device.post('/nl/login', { step: 'password', email: `probe${i}@example.com`, password: 'Whatever-123' });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.text()).toContain('Te veel pogingen');
  });
  test('registrations from one address are limited', async () => {
    const device = new Device(server.origin);
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await device.post('/en/signup', { name: 'R', email: `reg${i}@example.com`, password: PASSWORD });
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('A21: secrets stay out of logs', () => {
  test('no password appears in the server output', () => {
    for (const p of PASSWORDS_USED) expect(server.output()).not.toContain(p);
  });
});
