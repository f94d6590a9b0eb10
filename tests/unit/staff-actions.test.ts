// S4 account actions on a real database file: unlock (A12), reset 2FA (A13), suspend and lift
// (A18), end all sessions, delete (A19); S5 role changes. Unhappy paths first: the wrong role,
// a missing reason, the wrong target — each refused with a typed result and nothing changed.
import { readFileSync, existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { apiKeys, knownDevices, mailOutbox, oneTimeTokens, rateLimits, recoveryCodes, securityEvents, sessions, ticketEvents, ticketMessages, tickets, users, type Role } from '../../db/schema/index.ts';
import { setRole } from '../../src/server/auth/admin.ts';
import { hashSecret, randomId } from '../../src/server/auth/crypto.ts';
import { anonymisedEventDetail, erasedEmail } from '../../src/server/auth/erasure.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { createSession, validateSessionToken } from '../../src/server/auth/session.ts';
import { signInWithPassword } from '../../src/server/auth/sign-in.ts';
import {
  deleteAccount,
  endAllSessions,
  liftSuspension,
  REASON_MAX_LENGTH,
  resetTwoFactor,
  suspendAccount,
  unlockAccount,
  type StaffActor,
} from '../../src/server/auth/staff-actions.ts';
import { closeMailer, latestMail, sendMail } from '../../src/server/mail/mailer.ts';
import { addMessage, createTicket } from '../../src/server/tickets/tickets.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const ORIGIN = 'https://help.example.com';
const PASSWORD = 'Correct-Horse-42';
const NAME = 'Zebulon Quackenbush';
const EMAIL = 'zebulon.quackenbush@example.com';

let passwordHash: string | undefined;

async function setup(options: { locale?: 'nl' | 'en' | 'fr'; target?: Partial<typeof users.$inferInsert> } = {}) {
  const h = await tempDb();
  cleanups.push(h.close);
  passwordHash ??= await hashPassword(PASSWORD);
  const { db } = h;
  const make = async (role: Role, extra: Partial<typeof users.$inferInsert> = {}) => {
    const id = randomId();
    await db.insert(users).values({ id, email: `${role}-${id}@example.com`, name: `The ${role}`, username: `${role}-${id.slice(0, 6)}`, passwordHash: passwordHash!, role, emailVerifiedAt: 1, ...extra });
    return id;
  };
  const staff = { customer: await make('customer'), editor: await make('editor'), agent: await make('agent'), admin: await make('admin') };
  const target = await make('customer', { email: EMAIL, name: NAME, username: 'zebulon-4242', locale: options.locale ?? 'nl', timeZone: 'America/New_York', ...options.target });
  const actor = (id: string): StaffActor => ({ id, ip: '203.0.113.9', userAgent: 'staff-browser', origin: ORIGIN });
  const row = async (id = target) => (await db.select().from(users).where(eq(users.id, id)))[0]!;
  const events = async (id = target) => db.select().from(securityEvents).where(eq(securityEvents.userId, id));
  const session = async (id = target) => (await createSession(db, { id, role: 'customer' }, { ip: '198.51.100.7', userAgent: 'customer-browser', twoFactorVerified: true })).token;
  return { ...h, staff, target, actor, row, events, session };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** Every action, run by `actorId` on the target with `reason`; the target is put in the state the action applies to first. */
const actions: Record<string, { prepare: (s: Setup) => Promise<void>; run: (s: Setup, actorId: string, reason: unknown) => Promise<{ ok: boolean }> }> = {
  unlockAccount: {
    prepare: async (s) => void (await s.db.update(users).set({ lockedAt: 1, lockReason: 'wrong-passwords' }).where(eq(users.id, s.target))),
    run: (s, a, r) => unlockAccount(s.db, s.actor(a), s.target, r),
  },
  resetTwoFactor: {
    prepare: async (s) => void (await s.db.update(users).set({ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totpEnabledAt: 1, totpLastStep: 5 }).where(eq(users.id, s.target))),
    run: (s, a, r) => resetTwoFactor(s.db, s.actor(a), s.target, r),
  },
  suspendAccount: { prepare: async () => {}, run: (s, a, r) => suspendAccount(s.db, s.actor(a), s.target, r) },
  liftSuspension: {
    prepare: async (s) => void (await s.db.update(users).set({ suspendedAt: 1, suspensionReason: 'Spam' }).where(eq(users.id, s.target))),
    run: (s, a, r) => liftSuspension(s.db, s.actor(a), s.target, r),
  },
  endAllSessions: { prepare: async () => {}, run: (s, a, r) => endAllSessions(s.db, s.actor(a), s.target, r) },
  deleteAccount: { prepare: async () => {}, run: (s, a, r) => deleteAccount(s.db, s.actor(a), s.target, r) },
  setRole: { prepare: async () => {}, run: (s, a, r) => setRole(s.db, s.actor(a), s.target, 'agent', r) },
};
const names = Object.keys(actions);

async function snapshot(s: Setup) {
  return {
    user: await s.row(),
    sessions: await s.db.select().from(sessions).where(eq(sessions.userId, s.target)),
    events: await s.db.select().from(securityEvents),
    mail: await s.db.select().from(mailOutbox),
  };
}

describe('S4: who may act, and a reason every time (refused actions change nothing)', () => {
  test.each(names.flatMap((name) => (['customer', 'editor'] as const).map((role) => [name, role] as const)))(
    'S4: %s by the %s role is refused as forbidden and changes nothing',
    async (name, role) => {
      const s = await setup();
      await actions[name]!.prepare(s);
      await s.session();
      const before = await snapshot(s);
      expect(await actions[name]!.run(s, s.staff[role], 'Verified by phone')).toEqual({ ok: false, reason: 'forbidden' });
      expect(await snapshot(s)).toEqual(before);
    },
  );

  test.each(names.flatMap((name) => ([['', 'reason-required'], ['   \n\t ', 'reason-required'], [undefined, 'reason-required'], ['x'.repeat(REASON_MAX_LENGTH + 1), 'reason-too-long']] as const).map(([reason, why]) => [name, JSON.stringify(reason)?.slice(0, 12) ?? 'undefined', reason, why] as const)))(
    'S4 / N2: %s with the reason %s is refused and changes nothing',
    async (name, _shown, reason, why) => {
      const s = await setup();
      await actions[name]!.prepare(s);
      await s.session();
      const before = await snapshot(s);
      expect(await actions[name]!.run(s, s.staff.admin, reason)).toMatchObject({ ok: false, reason: why });
      expect(await snapshot(s)).toEqual(before);
    },
  );

  test('S4: an agent may not act on a staff account, nor anyone on their own; an unknown or deleted account is not found', async () => {
    const s = await setup();
    expect(await suspendAccount(s.db, s.actor(s.staff.agent), s.staff.editor, 'Test')).toEqual({ ok: false, reason: 'forbidden' });
    expect(await suspendAccount(s.db, s.actor(s.staff.agent), s.staff.admin, 'Test')).toEqual({ ok: false, reason: 'forbidden' });
    expect(await endAllSessions(s.db, s.actor(s.staff.agent), s.staff.agent, 'Test')).toEqual({ ok: false, reason: 'self' });
    expect(await suspendAccount(s.db, s.actor(s.staff.agent), 'nosuchuseraaaaaaaaaaaaa', 'Test')).toEqual({ ok: false, reason: 'not-found' });
    expect(await suspendAccount(s.db, s.actor(s.staff.agent), s.staff.customer, 'Test')).toMatchObject({ ok: true });
    await s.db.update(users).set({ deletedAt: 1 }).where(eq(users.id, s.target));
    expect(await endAllSessions(s.db, s.actor(s.staff.agent), s.target, 'Test')).toEqual({ ok: false, reason: 'not-found' });
    // An admin may act on staff accounts.
    expect(await resetTwoFactor(s.db, s.actor(s.staff.admin), s.staff.agent, 'Lost phone, verified in person')).toEqual({ ok: false, reason: 'two-factor-off' });
    expect(await endAllSessions(s.db, s.actor(s.staff.admin), s.staff.agent, 'Laptop stolen')).toMatchObject({ ok: true });
  });

  test('S4: a staff member who is suspended, locked or demoted can no longer act', async () => {
    const s = await setup();
    for (const change of [{ suspendedAt: 1 }, { lockedAt: 1 }, { role: 'editor' as const }]) {
      await s.db.update(users).set({ suspendedAt: null, lockedAt: null, role: 'agent', ...change }).where(eq(users.id, s.staff.agent));
      expect(await endAllSessions(s.db, s.actor(s.staff.agent), s.target, 'Test'), JSON.stringify(change)).toEqual({ ok: false, reason: 'forbidden' });
    }
  });

  test('S4: an action that does not apply is refused with its own reason and writes nothing', async () => {
    const s = await setup();
    const before = await snapshot(s);
    const agent = s.actor(s.staff.agent);
    expect(await unlockAccount(s.db, agent, s.target, 'Verified')).toEqual({ ok: false, reason: 'not-locked' });
    expect(await resetTwoFactor(s.db, agent, s.target, 'Verified')).toEqual({ ok: false, reason: 'two-factor-off' });
    expect(await liftSuspension(s.db, agent, s.target, 'Appeal granted')).toEqual({ ok: false, reason: 'not-suspended' });
    expect(await snapshot(s)).toEqual(before);
    expect(await suspendAccount(s.db, agent, s.target, 'Spam')).toMatchObject({ ok: true });
    expect(await suspendAccount(s.db, agent, s.target, 'Spam again')).toEqual({ ok: false, reason: 'already-suspended' });
  });
});

describe('S4: each action does what it says, audited with the staff member as actor', () => {
  test("A12 / S4: unlockAccount clears the lock, voids the emailed unlock link and the failure counters, audits, and mails in the user's language", async () => {
    const s = await setup({ locale: 'nl' });
    await actions.unlockAccount!.prepare(s);
    await s.db.insert(oneTimeTokens).values({ id: randomId(), purpose: 'unlock', userId: s.target, secretHash: hashSecret('x'), expiresAt: Date.now() + 60_000 });
    await s.db.insert(rateLimits).values({ key: `wrong-password:${s.target}`, windowStart: Date.now(), count: 10 });
    expect(await unlockAccount(s.db, s.actor(s.staff.agent), s.target, '  Verified by   video call ')).toEqual({ ok: true });
    expect(await s.row()).toMatchObject({ lockedAt: null, lockReason: null });
    expect(await s.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, s.target))).toHaveLength(0);
    expect(await s.db.select().from(rateLimits).where(eq(rateLimits.key, `wrong-password:${s.target}`))).toHaveLength(0);
    const [event] = await s.events();
    expect(event).toMatchObject({ type: 'staff.account-unlocked', actor: s.staff.agent, ip: '203.0.113.9', detail: { action: 'unlock', reason: 'Verified by video call' } });
    const mail = await latestMail(s.db, EMAIL);
    expect(mail).toMatchObject({ kind: 'account-unlocked-by-support', locale: 'nl', subject: 'Support heeft je account gedeblokkeerd' });
    expect(mail!.text).not.toContain(PASSWORD);
    // The unlocked owner signs in again with the same password.
    expect(await signInWithPassword(s.db, { email: EMAIL, password: PASSWORD }, { ip: '198.51.100.1', userAgent: 'x', origin: ORIGIN })).toMatchObject({ ok: true });
  });

  test('A13 / V7.4.3 / checklist 38: resetTwoFactor removes the secret and every recovery code, ends every session, and mails in French', async () => {
    const s = await setup({ locale: 'fr' });
    await actions.resetTwoFactor!.prepare(s);
    await s.db.insert(recoveryCodes).values([{ userId: s.target, codeHash: 'h1' }, { userId: s.target, codeHash: 'h2' }]);
    const tokens = [await s.session(), await s.session()];
    expect(await resetTwoFactor(s.db, s.actor(s.staff.agent), s.target, 'Lost phone and codes; ID checked')).toEqual({ ok: true, endedSessions: 2 });
    expect(await s.row()).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(await s.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, s.target))).toHaveLength(0);
    for (const token of tokens) expect(await validateSessionToken(s.db, token)).toBeNull();
    expect((await s.events())[0]).toMatchObject({ type: 'staff.two-factor-reset', actor: s.staff.agent, detail: { action: 'reset-2fa', reason: 'Lost phone and codes; ID checked' } });
    expect(await latestMail(s.db, EMAIL)).toMatchObject({ kind: '2fa-reset-by-support', locale: 'fr', subject: "Le support a désactivé l'authentification à deux facteurs" });
  });

  test('A18 / V7.4.2 / checklist 38: suspendAccount ends every session at once, keeps the reason, and mails it with /terms and /support', async () => {
    const s = await setup({ locale: 'en' });
    const token = await s.session();
    await s.db.insert(apiKeys).values({ userId: s.target, keyId: 'abcdef123456', secretHash: hashSecret('k') });
    expect(await suspendAccount(s.db, s.actor(s.staff.agent), s.target, 'Abusive messages to agents')).toEqual({ ok: true, endedSessions: 1 });
    expect(await validateSessionToken(s.db, token)).toBeNull();
    expect(await s.row()).toMatchObject({ suspensionReason: 'Abusive messages to agents' });
    expect((await s.row()).suspendedAt).toBeGreaterThan(0);
    const result = await signInWithPassword(s.db, { email: EMAIL, password: PASSWORD }, { ip: '198.51.100.1', userAgent: 'x', origin: ORIGIN });
    expect(result).toEqual({ ok: false, reason: 'suspended', suspensionReason: 'Abusive messages to agents' });
    expect((await s.events()).find((e) => e.type === 'staff.account-suspended')).toMatchObject({ actor: s.staff.agent, detail: { action: 'suspend', reason: 'Abusive messages to agents' } });
    const mail = await latestMail(s.db, EMAIL, 'account-suspended');
    expect(mail).toMatchObject({ locale: 'en', subject: 'Your account is suspended' });
    expect(mail!.text).toContain('Abusive messages to agents');
    expect(mail!.text).toContain(`${ORIGIN}/en/terms`);
    expect(mail!.text).toContain(`${ORIGIN}/en/support`);
  });

  test('A18: liftSuspension lets the user sign in again, audits, and tells them in Dutch', async () => {
    const s = await setup({ locale: 'nl' });
    await suspendAccount(s.db, s.actor(s.staff.agent), s.target, 'Spam');
    expect(await liftSuspension(s.db, s.actor(s.staff.admin), s.target, 'Appeal granted')).toEqual({ ok: true });
    expect(await s.row()).toMatchObject({ suspendedAt: null, suspensionReason: null });
    expect(await signInWithPassword(s.db, { email: EMAIL, password: PASSWORD }, { ip: '198.51.100.1', userAgent: 'x', origin: ORIGIN })).toMatchObject({ ok: true });
    expect((await s.events()).find((e) => e.type === 'staff.suspension-lifted')).toMatchObject({ actor: s.staff.admin, detail: { action: 'lift-suspension', reason: 'Appeal granted' } });
    expect(await latestMail(s.db, EMAIL)).toMatchObject({ kind: 'suspension-lifted', locale: 'nl', subject: 'Je account is niet langer opgeschort' });
  });

  test('S4 / V7.4.2: endAllSessions ends every session of that account only, and audits', async () => {
    const s = await setup();
    const mine = [await s.session(), await s.session()];
    const other = await s.session(s.staff.customer);
    expect(await endAllSessions(s.db, s.actor(s.staff.agent), s.target, 'Customer reports a stolen laptop')).toEqual({ ok: true, endedSessions: 2 });
    for (const token of mine) expect(await validateSessionToken(s.db, token)).toBeNull();
    expect(await validateSessionToken(s.db, other)).not.toBeNull();
    expect((await s.events())[0]).toMatchObject({ type: 'staff.sessions-ended', actor: s.staff.agent, detail: { action: 'end-all-sessions', reason: 'Customer reports a stolen laptop' } });
  });

  test('S5: setRole is for admins only; it changes the role, ends the sessions and audits the old and new role', async () => {
    const s = await setup();
    const token = await s.session();
    expect(await setRole(s.db, s.actor(s.staff.agent), s.target, 'agent', 'New hire')).toEqual({ ok: false, reason: 'forbidden' });
    expect(await setRole(s.db, s.actor(s.staff.admin), s.target, 'superuser', 'New hire')).toEqual({ ok: false, reason: 'invalid-role' });
    expect(await setRole(s.db, s.actor(s.staff.admin), s.target, 'customer', 'New hire')).toEqual({ ok: false, reason: 'unchanged' });
    expect(await setRole(s.db, s.actor(s.staff.admin), s.staff.admin, 'customer', 'Leaving')).toEqual({ ok: false, reason: 'self' });
    expect(await setRole(s.db, s.actor(s.staff.admin), s.target, 'agent', 'New hire in support')).toEqual({ ok: true, previousRole: 'customer', role: 'agent', endedSessions: 1 });
    expect((await s.row()).role).toBe('agent');
    expect(await validateSessionToken(s.db, token)).toBeNull();
    expect((await s.events())[0]).toMatchObject({ type: 'staff.role-changed', actor: s.staff.admin, detail: { action: 'set-role', reason: 'New hire in support', previousRole: 'customer', role: 'agent' } });
  });
});

describe('A19: deleteAccount removes or anonymises the personal data', () => {
  test("A19 / checklist 38: personal data, sessions, devices, codes, key and tokens are gone; events stay without personal data; the confirmation goes out in the user's language", async () => {
    const s = await setup({ locale: 'fr' });
    const meta = { ip: '198.51.100.77', userAgent: 'Quackenbrowser/1.0', origin: ORIGIN };
    // Real traces of use: a failed and a good sign-in (events, rate-limit keys with the email), a session, a device, codes, a key, an email change in flight.
    await signInWithPassword(s.db, { email: EMAIL, password: 'Wrong-Password-1' }, meta);
    const signedIn = await signInWithPassword(s.db, { email: EMAIL, password: PASSWORD }, meta);
    expect(signedIn.ok).toBe(true);
    const token = signedIn.ok ? signedIn.token : '';
    await s.db.insert(knownDevices).values({ userId: s.target, kind: 'device', valueHash: 'device-hash' });
    await s.db.insert(recoveryCodes).values({ userId: s.target, codeHash: 'code-hash' });
    await s.db.insert(apiKeys).values({ userId: s.target, keyId: 'abcdef123456', secretHash: hashSecret('k') });
    await s.db.insert(oneTimeTokens).values({ id: randomId(), purpose: 'email-change', userId: s.target, secretHash: hashSecret('x'), email: 'zeb.new@example.org', expiresAt: Date.now() + 60_000 });
    await sendMail(s.db, { to: 'zeb.new@example.org', kind: 'email-change-confirm', locale: 'fr', vars: { name: NAME, link: `${ORIGIN}/fr/account/confirm-email?token=abc` } });
    await suspendAccount(s.db, s.actor(s.staff.agent), s.target, `${NAME} spammed; see ${EMAIL}`);
    // Support tickets: one opened signed in, one sent from the address without signing in (with an agent's reply).
    const signedInTicket = await createTicket(s.db, { customerId: s.target, senderEmail: EMAIL, senderName: NAME, unverifiedSender: false, subject: `Account of ${NAME}`, body: `I am ${NAME}`, topic: 'question', locale: 'fr' });
    const publicTicket = await createTicket(s.db, { customerId: null, senderEmail: EMAIL, senderName: NAME, unverifiedSender: true, subject: 'Delete my account', body: `Please delete it. ${NAME}`, topic: 'deletion-request', locale: 'fr' });
    await addMessage(s.db, { ticketId: publicTicket.ticket.id, authorId: s.staff.agent, authorKind: 'agent', body: `Bonjour ${NAME}, we will.` });
    const other = await createTicket(s.db, { customerId: s.staff.customer, senderEmail: 'someone@example.com', senderName: 'Someone', unverifiedSender: false, subject: 'Unrelated', body: 'Other customer', topic: 'question', locale: 'en' });

    const result = await deleteAccount(s.db, s.actor(s.staff.agent), s.target, `Request from ${NAME} by ticket, address verified`);
    expect(result).toEqual({ ok: true, confirmationSent: true });

    // Right after the deletion, nothing in the whole database file (and its WAL) holds the email, the new address, the name, the username or the browser
    // (per-address rate-limit counters such as `sign-in:ip:…` belong to no account and expire within the hour).
    const path = s.url.slice('file:'.length);
    const bytes = Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
    for (const secret of [EMAIL, 'zeb.new@example.org', NAME, 'Quackenbush', 'zebulon-4242', 'Quackenbrowser']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }

    const user = await s.row();
    expect(user).toMatchObject({ email: erasedEmail(s.target), name: '', username: `deleted-${s.target}`, role: 'customer', suspensionReason: null, totpSecret: null, emailVerifiedAt: null, timeZone: 'Europe/Amsterdam' });
    expect(user.deletedAt).toBeGreaterThan(0);
    expect(user.passwordHash.startsWith('$argon2')).toBe(false);
    expect(await validateSessionToken(s.db, token)).toBeNull();
    for (const table of [sessions, knownDevices, recoveryCodes, apiKeys, oneTimeTokens]) expect(await s.db.select().from(table).where(eq(table.userId, s.target)), table === sessions ? 'sessions' : undefined).toHaveLength(0);
    expect(await signInWithPassword(s.db, { email: EMAIL, password: PASSWORD }, meta)).toEqual({ ok: false, reason: 'invalid' });
    // Their tickets are gone with their messages and live events; another customer's ticket stays.
    const ticketIds = (await s.db.select({ id: tickets.id }).from(tickets)).map((t) => t.id);
    expect(ticketIds).toEqual([other.ticket.id]);
    for (const id of [signedInTicket.ticket.id, publicTicket.ticket.id]) {
      expect(await s.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, id))).toHaveLength(0);
      expect(await s.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id))).toHaveLength(0);
    }

    // The log keeps every event (type, time, actor) — without IP, browser or personal detail.
    const events = await s.events();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['sign-in.failed', 'sign-in.succeeded', 'staff.account-suspended', 'staff.account-deleted']));
    for (const e of events.filter((e) => e.type !== 'staff.account-deleted' && e.type !== 'staff.account-suspended')) expect(e).toMatchObject({ ip: '', userAgent: '' });
    const deletion = events.find((e) => e.type === 'staff.account-deleted')!;
    expect(deletion).toMatchObject({ actor: s.staff.agent, ip: '203.0.113.9', detail: { action: 'delete', reason: 'Request from [removed] by ticket, address verified' } });
    expect(events.find((e) => e.type === 'staff.account-suspended')!.detail).toEqual({ action: 'suspend', reason: '[removed] spammed; see [removed]' });

    // The confirmation, in French, addressed before the wipe; its record keeps no address and no name.
    const [confirmation] = await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'account-deleted'));
    expect(confirmation).toMatchObject({ to: erasedEmail(s.target), locale: 'fr', subject: 'Votre compte a été supprimé' });
    expect(await s.db.select().from(mailOutbox).where(eq(mailOutbox.to, EMAIL))).toHaveLength(0);

  });
});

describe('A19: a failed confirmation does not undo the deletion', () => {
  test('A19: when SMTP refuses the confirmation, the account is still deleted, the agent is told (confirmationSent: false), and the mail record keeps no address', async () => {
    const s = await setup({ locale: 'en' });
    // A port nothing listens on: the connection is refused at once.
    process.env.SMTP_URL = 'smtp://127.0.0.1:9';
    try {
      expect(await deleteAccount(s.db, s.actor(s.staff.agent), s.target, 'Customer request, verified')).toEqual({ ok: true, confirmationSent: false });
    } finally {
      delete process.env.SMTP_URL;
      closeMailer();
    }
    expect((await s.row()).deletedAt).toBeGreaterThan(0);
    const [record] = await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'account-deleted'));
    expect(record).toMatchObject({ to: erasedEmail(s.target), transport: 'smtp', sentAt: null, text: '' });
    expect(record!.error).toBeTruthy();
  });
});

describe('A19: what the security log keeps of a deleted account', () => {
  const identity = { id: 'u1', email: 'jan.de.vries@example.com', name: 'Jan de Vries', username: 'jandevries-1234' };
  test('A19: only code fields are kept; addresses, countries, key and session ids are dropped; free text loses the name, email and username (whole words)', () => {
    expect(anonymisedEventDetail({ to: 'j***@example.org', from: 'j***@example.com' }, identity)).toBeNull();
    expect(anonymisedEventDetail({ newDevice: true, country: 'NL', outboxId: 4 }, identity)).toEqual({ newDevice: true });
    expect(anonymisedEventDetail({ keyId: 'abc123' }, identity)).toBeNull();
    expect(anonymisedEventDetail({ reason: 'wrong-password', count: 3 }, identity)).toEqual({ reason: 'wrong-password', count: 3 });
    expect(anonymisedEventDetail({ action: 'suspend', reason: 'JAN DE VRIES (jan.de.vries@example.com, jandevries-1234) spammed in January' }, identity)).toEqual({
      action: 'suspend',
      reason: '[removed] ([removed], [removed]) spammed in January',
    });
    expect(anonymisedEventDetail(null, identity)).toBeNull();
  });
});
