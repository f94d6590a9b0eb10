// A18 / A19 / A12 / A2 / S4 on the real built server: the state pages shown after the right
// password (suspended, locked, unverified), the terms page, staff actions taking effect at once
// (V7.4.2: old cookies refused), deletion leaving no personal data in the database file, and no
// state ever revealed before the right password (checklist 13).
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { deleteAccount, suspendAccount, unlockAccount, type StaffActor } from '../../src/server/auth/staff-actions.ts';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let db: Db;
let agent: StaffActor;
const PASSWORD = 'Correct-Horse-42';
const WRONG = 'Wrong-Password-1';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
  db = await openDatabase({ url: server.dbUrl });
  const id = randomId();
  await db.insert(users).values({ id, email: `agent-${id}@example.com`, name: 'Agent Smith', username: `agent-${id.slice(0, 6)}`, passwordHash: await hashPassword(PASSWORD), role: 'agent', emailVerifiedAt: Date.now() });
  agent = { id, ip: '203.0.113.50', userAgent: 'staff console', origin: server.origin };
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

async function register(email: string, name: string, lang = 'en'): Promise<{ device: Device; code: string }> {
  const device = new Device(server.origin);
  expect((await device.post(`/${lang}/signup`, { name, email, password: PASSWORD })).status).toBe(303);
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  return { device, code };
}
async function registerAndVerify(email: string, name = 'Ada Lovelace', lang = 'en'): Promise<Device> {
  const { device, code } = await register(email, name, lang);
  expect((await device.post(`/${lang}/verify`, { action: 'code', code })).status).toBe(303);
  return device;
}
async function signIn(device: Device, email: string, password = PASSWORD, lang = 'en') {
  await device.post(`/${lang}/login`, { step: 'email', email });
  return device.post(`/${lang}/login`, { step: 'password', email, password });
}
const userId = async (email: string) => String((await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]))[0]!.id);
/** The body with the address taken out: what an observer compares between two answers. */
const shape = async (res: Response, email: string) => ({ status: res.status, body: (await res.text()).replaceAll(email, 'EMAIL'), cookies: res.headers.getSetCookie().map((c) => c.split('=')[0]) });

describe('V6.3.8 / checklist 13: no account state before the right password', () => {
  test('V6.3.8 / checklist 13: a wrong password for a suspended, locked or unverified account answers exactly like an unknown email', async () => {
    const suspended = 'enum-suspended@example.com';
    const locked = 'enum-locked@example.com';
    const unverified = 'enum-unverified@example.com';
    await registerAndVerify(suspended);
    await registerAndVerify(locked);
    await register(unverified, 'Una Verified');
    expect(await suspendAccount(db, agent, await userId(suspended), 'Spam in tickets')).toMatchObject({ ok: true });
    await query(server.dbUrl, "UPDATE users SET locked_at = 1, lock_reason = 'wrong-passwords' WHERE email = ?", [locked]);
    const unknown = await shape(await signIn(new Device(server.origin), 'enum-nobody@example.com', WRONG), 'enum-nobody@example.com');
    expect(unknown.status).toBe(400);
    for (const email of [suspended, locked, unverified]) {
      const answer = await shape(await signIn(new Device(server.origin), email, WRONG), email);
      expect(answer, email).toEqual(unknown);
    }
  });
});

describe('A18: suspension', () => {
  test("A18 / V7.4.2: a suspended user's old cookie is refused at once; after the right password they see the suspension page with the reason, /terms and /support, and cannot sign in", async () => {
    const email = 'suspended@example.com';
    const device = await registerAndVerify(email);
    expect((await signIn(device, email)).status).toBe(303);
    expect((await device.get('/en/account')).status).toBe(200);
    const reason = 'Repeated abusive messages to agents <b>really</b>';
    expect(await suspendAccount(db, agent, await userId(email), reason)).toEqual({ ok: true, endedSessions: 1 });
    expect((await device.get('/en/account')).status).toBe(302);

    const res = await signIn(new Device(server.origin), email);
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
    const body = await res.text();
    expect(body).toMatch(/<h1 id="account-state-title"[^>]*>Your account is suspended<\/h1>/);
    expect(body).toContain('Repeated abusive messages to agents &lt;b&gt;really&lt;/b&gt;');
    expect(body).toMatch(/<a href="\/en\/terms"[^>]*>Read the terms of use/);
    expect(body).toMatch(/<a class="button" href="\/en\/support"[^>]*>Appeal through support/);
    expect(body).toContain('How to appeal');
    expect(body).not.toContain('id="sign-in-password"');
  });

  test("A18: the suspension page speaks the page's language (nl, fr)", async () => {
    const email = 'geschorst@example.com';
    await registerAndVerify(email, 'Jan Jansen', 'nl');
    await suspendAccount(db, agent, await userId(email), 'Spam');
    const nl = await (await signIn(new Device(server.origin), email, PASSWORD, 'nl')).text();
    expect(nl).toContain('Je account is opgeschort');
    expect(nl).toContain('href="/nl/terms"');
    expect(nl).toContain('href="/nl/support"');
    const fr = await (await signIn(new Device(server.origin), email, PASSWORD, 'fr')).text();
    expect(fr).toContain('Votre compte est suspendu');
    expect(fr).toContain('href="/fr/support"');
  });

  test("A18: /terms redirects to the visitor's language; /nl, /en and /fr/terms show the terms of use", async () => {
    const res = await fetch(`${server.origin}/terms`, { redirect: 'manual', headers: { 'Accept-Language': 'fr-BE' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/fr/terms');
    for (const [lang, title] of [['nl', 'Gebruiksvoorwaarden'], ['en', 'Terms of use'], ['fr', "Conditions d'utilisation"]] as const) {
      const page = await fetch(`${server.origin}/${lang}/terms`);
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body).toContain(`<h1>${title.replace("'", '&#39;')}</h1>`);
      expect(body).toContain(`href="/${lang}/support"`);
    }
    expect((await fetch(`${server.origin}/de/terms`)).status).toBe(404);
    const sitemap = await (await fetch(`${server.origin}/sitemap.xml`)).text();
    for (const lang of ['nl', 'en', 'fr']) expect(sitemap).toContain(`<loc>${server.origin}/${lang}/terms</loc>`);
  });
});

describe('A12: the lock page', () => {
  test('A12: after the right password a locked account gets its own page: why, and what to do; an expired unlock link is renewed', async () => {
    const email = 'lock-page@example.com';
    await registerAndVerify(email);
    for (let i = 0; i < 10; i++) await signIn(new Device(server.origin), email, WRONG);
    const first = await signIn(new Device(server.origin), email);
    expect(first.status).toBe(403);
    const body = await first.text();
    expect(body).toContain('Your account is temporarily locked');
    expect(body).toContain('too many wrong passwords');
    expect(body).toContain('href="/en/support"');
    expect(body).toContain('never shows or changes your password');
    // The emailed link is still valid: no second email.
    expect(body).not.toContain('we have just sent you a new one');
    expect((await query(server.dbUrl, "SELECT count(*) AS n FROM mail_outbox WHERE \"to\" = ? AND kind = 'account-locked'", [email]))[0]!.n).toBe(1);

    // Once that link has expired, the right password brings a new one, which works.
    await query(server.dbUrl, "UPDATE one_time_tokens SET expires_at = 1 WHERE purpose = 'unlock' AND user_id = ?", [await userId(email)]);
    const again = await signIn(new Device(server.origin), email);
    expect(await again.text()).toContain('we have just sent you a new one');
    const token = /unlock\?token=([a-z2-7]+\.[a-z2-7]+)/.exec((await latestMail(server.dbUrl, email, 'account-locked'))!.text)![1]!;
    expect((await new Device(server.origin).post('/en/unlock', { token })).status).toBe(303);
    expect((await signIn(new Device(server.origin), email)).status).toBe(303);
  });

  test('A12 / S4: an agent unlocks after manual verification; the owner signs in again and is told by email; the log names the agent', async () => {
    const email = 'agent-unlock@example.com';
    await registerAndVerify(email);
    for (let i = 0; i < 10; i++) await signIn(new Device(server.origin), email, WRONG);
    expect((await signIn(new Device(server.origin), email)).status).toBe(403);
    expect(await unlockAccount(db, agent, await userId(email), 'Verified by phone call against the order history')).toEqual({ ok: true });
    expect((await signIn(new Device(server.origin), email)).status).toBe(303);
    expect((await latestMail(server.dbUrl, email, 'account-unlocked-by-support'))!.subject).toBe('Support unlocked your account');
    const [event] = await query(server.dbUrl, "SELECT actor, detail FROM security_events WHERE type = 'staff.account-unlocked' AND user_id = ?", [await userId(email)]);
    expect(event).toMatchObject({ actor: agent.id });
    expect(JSON.parse(String(event!.detail))).toEqual({ action: 'unlock', reason: 'Verified by phone call against the order history', lockReason: 'wrong-passwords' });
  });
});

describe('A2: the unverified page', () => {
  test('A2: after the right password an unverified account gets its own page; from there this browser can have a new email sent and type its code', async () => {
    const email = 'unverified-page@example.com';
    await register(email, 'Una Verified');
    const browser = new Device(server.origin);
    const res = await signIn(browser, email);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('Verify your email address first');
    expect(body).toContain('href="/en/verify"');
    expect(body).toContain('name="action" value="resend"');
    expect((await browser.post('/en/verify', { action: 'resend' })).status).toBe(200);
    const mails = await query(server.dbUrl, "SELECT text FROM mail_outbox WHERE \"to\" = ? AND kind = 'verify-email' ORDER BY id", [email]);
    expect(mails).toHaveLength(2);
    const code = /\b(\d{6})\b/.exec(String(mails[1]!.text))![1]!;
    const verified = await browser.post('/en/verify', { action: 'code', code });
    expect(verified.status).toBe(303);
    expect((await signIn(browser, email)).status).toBe(303);
  });
});

describe('A19: deletion', () => {
  test('A19 / V7.4.2: after deleteAccount the old cookie is refused, the email cannot sign in (answered like an unknown email), and the database file holds none of the personal data', async () => {
    const email = 'erase.me.please@example.com';
    const name = 'Philomena Cunegonde';
    const device = await registerAndVerify(email, name, 'fr');
    expect((await signIn(device, email, PASSWORD, 'fr')).status).toBe(303);
    expect((await device.get('/fr/account')).status).toBe(200);

    expect(await deleteAccount(db, agent, await userId(email), 'Demande par ticket, adresse vérifiée')).toEqual({ ok: true, confirmationSent: true });

    // The whole database file (and its write-ahead log) no longer holds the address or the name.
    const path = server.dbUrl.slice('file:'.length);
    const bytes = Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
    for (const secret of [email, name, 'Philomena', 'Cunegonde']) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);

    expect((await device.get('/fr/account')).status).toBe(302);
    const gone = await shape(await signIn(new Device(server.origin), email, PASSWORD, 'fr'), email);
    const unknown = await shape(await signIn(new Device(server.origin), 'never-was@example.com', PASSWORD, 'fr'), 'never-was@example.com');
    expect(gone).toEqual(unknown);
    // The confirmation went out in French; its record keeps no address.
    const [confirmation] = await query(server.dbUrl, "SELECT \"to\", locale, subject FROM mail_outbox WHERE kind = 'account-deleted'");
    expect(confirmation).toMatchObject({ locale: 'fr', subject: 'Votre compte a été supprimé' });
    expect(String(confirmation!.to)).toMatch(/^deleted-[a-z2-7]+@deleted\.invalid$/);
  });
});
