// A14 / checklist 30, 32: change email — the password first (a wrong one counts toward the A12
// lock), a single-use 24 h link to the new address, a notice to the old one, and no trace of
// whether the new address belongs to someone else.
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { mailOutbox, oneTimeTokens, securityEvents, sessions, users } from '../../db/schema/index.ts';
import { hashSecret, randomId } from '../../src/server/auth/crypto.ts';
import { confirmEmailChange, EMAIL_CHANGE_LINK_TTL_MS, requestEmailChange } from '../../src/server/auth/email-change.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { tempDb } from '../helpers/kb.ts';

const PASSWORD = 'Quiet-Harbour-63';
const meta = { ip: '192.0.2.1', userAgent: 'vitest', origin: 'http://loket.test' };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

let passwordHash: string | undefined;
async function setup(options: { totp?: boolean } = {}) {
  const h = await tempDb();
  cleanups.push(h.close);
  passwordHash ??= await hashPassword(PASSWORD);
  const addUser = async (email: string) => {
    const id = randomId();
    await h.db.insert(users).values({ id, email, name: 'Ada', username: `u-${id.slice(0, 8)}`, passwordHash: passwordHash!, locale: 'nl', emailVerifiedAt: 1, totpEnabledAt: options.totp ? 1 : null });
    return id;
  };
  const id = await addUser('old@example.com');
  const sessionId = randomId();
  const created = Date.now() - 60 * 60_000;
  await h.db.insert(sessions).values({ id: sessionId, secretHash: hashSecret('x'), userId: id, createdAt: created, lastActiveAt: created, expiresAt: created + 86_400_000, reauthenticatedAt: null });
  const db = h.db;
  return {
    db,
    id,
    addUser,
    session: { id: sessionId, reauthenticatedAt: null as number | null },
    email: async () => (await db.select().from(users).where(eq(users.id, id)))[0]!.email,
    mails: async (to?: string) => (await db.select().from(mailOutbox)).filter((m) => !to || m.to === to),
    tokens: () => db.select().from(oneTimeTokens).where(and(eq(oneTimeTokens.userId, id), eq(oneTimeTokens.purpose, 'email-change'))),
    events: async () => (await db.select().from(securityEvents).where(eq(securityEvents.userId, id))).map((e) => e.type),
    linkOf: async (to: string) => /confirm-email\?token=([a-z2-7]+\.[a-z2-7]+)/.exec((await db.select().from(mailOutbox)).filter((m) => m.to === to && m.kind === 'email-change-confirm').at(-1)!.text)![1]!,
  };
}

describe('A14: requesting the change', () => {
  test('A14 / checklist 30: the new address is not active until its link is used; the old address is told', async () => {
    const s = await setup();
    const result = await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: '  New@Example.com ' }, meta);
    expect(result).toEqual({ ok: true, newEmail: 'new@example.com' });
    expect(await s.email()).toBe('old@example.com');
    const [confirm] = await s.mails('new@example.com');
    expect(confirm?.kind).toBe('email-change-confirm');
    expect(confirm?.locale).toBe('nl');
    expect(confirm?.text).toMatch(/http:\/\/loket\.test\/nl\/account\/confirm-email\?token=/);
    const [notice] = await s.mails('old@example.com');
    expect(notice?.kind).toBe('email-change-notice');
    expect(notice?.text).toContain('n***@example.com');
    expect(notice?.text).not.toContain('new@example.com');
    const [token] = await s.tokens();
    expect(token?.email).toBe('new@example.com');
    expect(token!.expiresAt - token!.createdAt).toBe(24 * 60 * 60_000);
    // Only the hash of the secret is stored.
    const link = await s.linkOf('new@example.com');
    expect(JSON.stringify(token)).not.toContain(link.split('.')[1]);
    expect(await s.events()).toContain('email.change-requested');

    expect(await confirmEmailChange(s.db, link, meta)).toEqual({ ok: true, userId: s.id, newEmail: 'new@example.com' });
    expect(await s.email()).toBe('new@example.com');
    const changed = (await s.mails('old@example.com')).find((m) => m.kind === 'email-changed');
    expect(changed?.text).toContain('n***@example.com');
    expect((await s.db.select().from(users).where(eq(users.id, s.id)))[0]!.emailVerifiedAt).toBe(1);
    expect(await s.events()).toContain('email.changed');
  });

  test('A21: a successful request counts as a re-authentication of this session', async () => {
    const s = await setup();
    const before = Date.now();
    await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'sudo@example.com' }, meta);
    const row = (await s.db.select().from(sessions).where(eq(sessions.id, s.session.id)))[0]!;
    expect(row.reauthenticatedAt).toBeGreaterThanOrEqual(before);
  });

  test('A12 / V6.2.3: a wrong password sends nothing, changes nothing and counts toward the lock', async () => {
    const s = await setup();
    const result = await requestEmailChange(s.db, { id: s.id }, s.session, { password: 'Wrong-Password-1', newEmail: 'new@example.com' }, meta);
    expect(result).toEqual({ ok: false, reason: 'invalid', errors: { password: 'wrong' } });
    expect(await s.mails()).toEqual([]);
    expect(await s.tokens()).toEqual([]);
    expect(await s.email()).toBe('old@example.com');
    const counter = await s.db.$client.execute({ sql: 'SELECT count FROM rate_limits WHERE key = ?', args: [`wrong-password:${s.id}`] });
    expect(Number(counter.rows[0]!.count)).toBe(1);
    expect(await s.events()).toContain('email.change-failed');
  });

  test('A12: the tenth wrong password within 15 minutes locks the account', async () => {
    const s = await setup();
    for (let i = 0; i < 9; i++) await requestEmailChange(s.db, { id: s.id }, s.session, { password: `Wrong-${i}`, newEmail: 'new@example.com' }, meta);
    const result = await requestEmailChange(s.db, { id: s.id }, s.session, { password: 'Wrong-last', newEmail: 'new@example.com' }, meta);
    expect(result).toEqual({ ok: false, reason: 'locked' });
    expect((await s.db.select().from(users).where(eq(users.id, s.id)))[0]!.lockedAt).not.toBeNull();
  });

  test.each([
    ['an empty address', '', 'required'],
    ['an invalid address', 'not-an-address', 'invalid'],
    ['the current address', 'OLD@example.com', 'same'],
  ])('N2: %s is refused with its own error and nothing is sent', async (_what, newEmail, error) => {
    const s = await setup();
    const result = await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail }, meta);
    expect(result).toEqual({ ok: false, reason: 'invalid', errors: { newEmail: error } });
    expect(await s.mails()).toEqual([]);
    expect(await s.tokens()).toEqual([]);
  });

  test('A14 / V6.3.8: an address of another account answers like success, gets no link and nothing changes', async () => {
    const s = await setup();
    const other = await s.addUser('taken@example.com');
    const result = await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'taken@example.com' }, meta);
    expect(result).toEqual({ ok: true, newEmail: 'taken@example.com' });
    expect(await s.mails('taken@example.com')).toEqual([]);
    expect(await s.tokens()).toEqual([]);
    expect(await s.email()).toBe('old@example.com');
    expect((await s.db.select().from(users).where(eq(users.id, other)))[0]!.email).toBe('taken@example.com');
    expect(await s.events()).toContain('email.change-address-taken');
  });

  test('A21: requests are rate-limited per account (3 in 15 minutes)', async () => {
    const s = await setup();
    for (let i = 0; i < 3; i++) expect((await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: `n${i}@example.com` }, meta)).ok).toBe(true);
    const fourth = await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'n4@example.com' }, meta);
    expect(fourth).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(await s.mails('n4@example.com')).toEqual([]);
  });

  test('A21: with 2FA on, the password alone is not enough without a recent re-authentication', async () => {
    const s = await setup({ totp: true });
    expect(await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'new@example.com' }, meta)).toEqual({ ok: false, reason: 'reauth-required' });
    expect(await s.mails()).toEqual([]);
    const recent = { ...s.session, reauthenticatedAt: Date.now() - 60_000 };
    expect((await requestEmailChange(s.db, { id: s.id }, recent, { password: PASSWORD, newEmail: 'new@example.com' }, meta)).ok).toBe(true);
  });
});

describe('A14: confirming the change', () => {
  async function requested() {
    const s = await setup();
    await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'new@example.com' }, meta);
    return { ...s, link: await s.linkOf('new@example.com') };
  }

  test('A14: the link works once', async () => {
    const s = await requested();
    expect((await confirmEmailChange(s.db, s.link, meta)).ok).toBe(true);
    expect(await confirmEmailChange(s.db, s.link, meta)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('A14: two parallel confirmations — exactly one applies', async () => {
    const s = await requested();
    const results = await Promise.all([confirmEmailChange(s.db, s.link, meta), confirmEmailChange(s.db, s.link, meta)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await s.mails('old@example.com')).filter((m) => m.kind === 'email-changed')).toHaveLength(1);
  });

  test('A14: the link expires after 24 hours', async () => {
    const s = await requested();
    expect(await confirmEmailChange(s.db, s.link, meta, Date.now() + EMAIL_CHANGE_LINK_TTL_MS + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(await s.email()).toBe('old@example.com');
  });

  test('A14 / V7.2.1: a tampered secret or a malformed link is refused', async () => {
    const s = await requested();
    const [id, secret] = s.link.split('.');
    const tampered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('a') ? 'b' : 'a'}`;
    for (const link of [tampered, '', 'nonsense', `${id}`]) expect(await confirmEmailChange(s.db, link, meta)).toEqual({ ok: false, reason: 'invalid' });
    expect(await s.email()).toBe('old@example.com');
  });

  test('A14: only the newest request’s link works', async () => {
    const s = await requested();
    await requestEmailChange(s.db, { id: s.id }, s.session, { password: PASSWORD, newEmail: 'newer@example.com' }, meta);
    expect(await confirmEmailChange(s.db, s.link, meta)).toEqual({ ok: false, reason: 'invalid' });
    expect((await confirmEmailChange(s.db, await s.linkOf('newer@example.com'), meta)).ok).toBe(true);
    expect(await s.email()).toBe('newer@example.com');
  });

  test('A14: an address taken by another account in the meantime fails cleanly and changes nothing', async () => {
    const s = await requested();
    await s.addUser('new@example.com');
    expect(await confirmEmailChange(s.db, s.link, meta)).toEqual({ ok: false, reason: 'taken' });
    expect(await s.email()).toBe('old@example.com');
    expect((await s.mails('old@example.com')).filter((m) => m.kind === 'email-changed')).toEqual([]);
  });
});
