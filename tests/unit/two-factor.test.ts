// A6 / A7 / A9 / A12: the 2FA modules against a real database file — TOTP window and replay
// guard, recovery codes, the second-factor check and its lock, and the mandatory-2FA policy.
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterEach, describe, expect, test } from 'vitest';
import { mailOutbox, recoveryCodes, securityEvents, sessions, siteSettings, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { normalizeRecoveryCode, recoveryCodesLeft, replaceRecoveryCodes, useRecoveryCode } from '../../src/server/auth/recovery-codes.ts';
import { newTotpSecret, normalizeTotpCode, totpStepOf, totpUri, useTotpCode } from '../../src/server/auth/totp.ts';
import { createSession } from '../../src/server/auth/session.ts';
import { completeTwoFactorSignIn, SECOND_STEP_TTL_MS, verifySecondFactor } from '../../src/server/auth/two-factor.ts';
import { getMandatoryTwoFactorPolicy, isTwoFactorRequired, setMandatoryTwoFactorPolicy } from '../../src/server/auth/two-factor-policy.ts';
import { tempDb } from '../helpers/kb.ts';

const meta = { ip: '192.0.2.7', userAgent: 'vitest', origin: 'http://loket.test' };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** 2026-01-01T00:00:10Z: ten seconds into a time step. */
const NOW = Date.UTC(2026, 0, 1, 0, 0, 10);
const codeAt = (secret: string, offset: number, now = NOW) => generate({ secret, epoch: Math.floor(now / 1000) + offset * 30 });

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const id = randomId();
  const totpSecret = newTotpSecret();
  await h.db.insert(users).values({ id, email: 'ada@example.com', name: 'Ada', username: `u-${id.slice(0, 8)}`, passwordHash: 'x', locale: 'en', emailVerifiedAt: 1, totpSecret, totpEnabledAt: 1 });
  const user = async () => (await h.db.select().from(users).where(eq(users.id, id)))[0]!;
  return { db: h.db, id, totpSecret, user };
}

describe('A6 / A7: TOTP', () => {
  test('V6.5.3 (checklist 17): a secret is 20 random bytes in base32; two secrets differ', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(a).not.toBe(b);
  });

  test('A6: the otpauth URI names issuer Loket and the account, SHA-1, 6 digits, 30 s', () => {
    const uri = new URL(totpUri('ada@example.com', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Loket:ada@example.com');
    expect(uri.searchParams.get('issuer')).toBe('Loket');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });

  test('A7 / V6.5.5 (checklist 20): codes of steps t−1, t and t+1 are accepted; t−2 and t+2 refused', async () => {
    const secret = newTotpSecret();
    const t = Math.floor(NOW / 30_000);
    expect(await totpStepOf(secret, await codeAt(secret, -2), NOW)).toBeNull();
    expect(await totpStepOf(secret, await codeAt(secret, 2), NOW)).toBeNull();
    expect(await totpStepOf(secret, await codeAt(secret, -1), NOW)).toBe(t - 1);
    expect(await totpStepOf(secret, await codeAt(secret, 0), NOW)).toBe(t);
    expect(await totpStepOf(secret, await codeAt(secret, 1), NOW)).toBe(t + 1);
  });

  test('A7: malformed codes are refused without an error (otplib throws on them)', async () => {
    const secret = newTotpSecret();
    for (const bad of ['', '12345', '1234567', '12a456', ' ', '１２３４５６']) expect(await totpStepOf(secret, bad, NOW)).toBeNull();
    expect(normalizeTotpCode('123 456')).toBe('123456');
    expect(normalizeTotpCode(123456)).toBeNull();
  });

  test('A7 / V6.5.1 (checklist 18): a code is accepted once; an older step after a newer one is refused', async () => {
    const { db, id, totpSecret } = await setup();
    const code = await codeAt(totpSecret, 0);
    expect(await useTotpCode(db, { id, totpSecret }, code, NOW)).toBe('ok');
    expect(await useTotpCode(db, { id, totpSecret }, code, NOW)).toBe('replayed');
    expect(await useTotpCode(db, { id, totpSecret }, await codeAt(totpSecret, -1), NOW)).toBe('replayed');
    expect(await useTotpCode(db, { id, totpSecret }, await codeAt(totpSecret, 1), NOW)).toBe('ok');
    expect(await useTotpCode(db, { id, totpSecret }, '000000' === (await codeAt(totpSecret, 2)) ? '111111' : '000000', NOW)).toBe('wrong');
  });

  test('V6.5.1 (checklist 19): twenty parallel uses of one code — exactly one succeeds', async () => {
    const { db, id, totpSecret } = await setup();
    const code = await codeAt(totpSecret, 0);
    const results = await Promise.all(Array.from({ length: 20 }, () => useTotpCode(db, { id, totpSecret }, code, NOW)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'replayed')).toHaveLength(19);
  });
});

describe('A6 / A7: recovery codes', () => {
  test('V6.5.2 (checklist 22): ten codes of 120 bits each, stored only as SHA-256 hashes', async () => {
    const { db, id } = await setup();
    const codes = await replaceRecoveryCodes(db, id, NOW);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{6}(-[a-z2-7]{6}){3}$/);
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, id));
    expect(stored).toHaveLength(10);
    for (const row of stored) {
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.some((c) => row.codeHash.includes(normalizeRecoveryCode(c)!))).toBe(false);
    }
  });

  test('A7 / V6.5.4 (checklist 23): each code works once (also in parallel); the count goes down; a new set voids the old one', async () => {
    const { db, id } = await setup();
    const codes = await replaceRecoveryCodes(db, id, NOW);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => useRecoveryCode(db, id, codes[0], NOW)));
    expect(parallel.filter(Boolean)).toHaveLength(1);
    expect(await useRecoveryCode(db, id, codes[1]!.toUpperCase().replaceAll('-', ' '), NOW)).toBe(true); // case and separators forgiven
    expect(await recoveryCodesLeft(db, id)).toBe(8);
    const fresh = await replaceRecoveryCodes(db, id, NOW);
    expect(await useRecoveryCode(db, id, codes[2], NOW)).toBe(false);
    expect(await recoveryCodesLeft(db, id)).toBe(10);
    expect(await useRecoveryCode(db, id, fresh[0], NOW)).toBe(true);
    expect(await useRecoveryCode(db, id, 'not-a-code', NOW)).toBe(false);
  });
});

describe('A4 / V7.2.4: the code step of sign-in', () => {
  test('A4: the code must follow the password within 10 minutes; later the pre-2FA session ends and even a right code is refused', async () => {
    const { db, id, totpSecret } = await setup();
    const started = Date.now() - SECOND_STEP_TTL_MS - 1000;
    const { session } = await createSession(db, { id, role: 'customer' }, { ip: meta.ip, userAgent: 'vitest', twoFactorVerified: false }, started);
    const result = await completeTwoFactorSignIn(db, session, await codeAt(totpSecret, 0, Date.now()), meta);
    expect(result).toEqual({ ok: false, reason: 'expired' });
    expect(await db.select().from(sessions).where(eq(sessions.userId, id))).toHaveLength(0);
  });

  test('V7.2.4 (checklist 29): two parallel right codes (a TOTP and a recovery code) on one pre-2FA session make one new session', async () => {
    const { db, id, totpSecret } = await setup();
    const codes = await replaceRecoveryCodes(db, id);
    const { session } = await createSession(db, { id, role: 'customer' }, { ip: meta.ip, userAgent: 'vitest', twoFactorVerified: false });
    const results = await Promise.all([
      completeTwoFactorSignIn(db, session, await codeAt(totpSecret, 0, Date.now()), meta),
      completeTwoFactorSignIn(db, session, codes[0], meta),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const left = await db.select().from(sessions).where(eq(sessions.userId, id));
    expect(left).toHaveLength(1);
    expect(left[0]!.id).not.toBe(session.id);
    expect(left[0]!.twoFactorVerified).toBe(true);
  });
});

describe('A12: wrong codes lock the account', () => {
  test('A12 (checklist 21): the fifth wrong code within 15 minutes locks the account (reason wrong-codes) and mails the unlock link; then a right code is refused', async () => {
    const { db, id, totpSecret, user } = await setup();
    const right = await codeAt(totpSecret, 0, Date.now());
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) expect(await verifySecondFactor(db, await user(), wrong, meta)).toEqual({ ok: false, reason: 'wrong' });
    expect(await verifySecondFactor(db, await user(), wrong, meta)).toEqual({ ok: false, reason: 'locked' });
    const locked = await user();
    expect(locked.lockedAt).not.toBeNull();
    expect(locked.lockReason).toBe('wrong-codes');
    expect((await db.select().from(mailOutbox)).map((m) => m.kind)).toContain('account-locked');
    const events = (await db.select().from(securityEvents).where(eq(securityEvents.userId, id))).map((e) => e.type);
    expect(events.filter((e) => e === 'two-factor.code-failed')).toHaveLength(5);
    expect(events).toContain('account.locked');
  });
});

describe('A21: rate limits on codes', () => {
  test('A21: codes are rate-limited per IP across accounts (30 in 15 minutes); an empty code neither counts nor locks', async () => {
    const { db, user } = await setup();
    const other = { ...(await user()), id: randomId() };
    await db.insert(users).values({ ...other, email: 'bob@example.com', username: `u-${other.id.slice(0, 8)}` });
    for (let i = 0; i < 10; i++) expect(await verifySecondFactor(db, await user(), '', meta)).toEqual({ ok: false, reason: 'wrong' });
    expect((await user()).lockedAt).toBeNull();
    const ipMeta = { ...meta, ip: '192.0.2.99' };
    // Alternating accounts, four wrong codes each per round, stays under the lock; the IP limit still bites.
    const results = [];
    for (let i = 0; i < 31; i++) {
      const target = i % 2 === 0 ? await user() : (await db.select().from(users).where(eq(users.id, other.id)))[0]!;
      results.push(await verifySecondFactor(db, target, i < 30 ? 'aaaaaa-bbbbbb-cccccc-dddddd' : '123456', ipMeta, { countTowardLock: false }));
    }
    expect(results.at(-1)).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(results.slice(0, 30).every((r) => !r.ok && r.reason === 'wrong')).toBe(true);
  });
});

describe('A9: the mandatory-2FA policy', () => {
  test('A9: staff roles always require 2FA; customers only once an `all` policy has started', () => {
    const past = { from: NOW - 1, scope: 'all' as const };
    for (const role of ['agent', 'editor', 'admin'] as const) expect(isTwoFactorRequired({ role }, null, NOW)).toBe(true);
    expect(isTwoFactorRequired({ role: 'customer' }, null, NOW)).toBe(false);
    expect(isTwoFactorRequired({ role: 'customer' }, past, NOW)).toBe(true);
    expect(isTwoFactorRequired({ role: 'customer' }, { from: NOW + 1, scope: 'all' }, NOW)).toBe(false);
    expect(isTwoFactorRequired({ role: 'customer' }, { from: NOW - 1, scope: 'staff' }, NOW)).toBe(false);
  });

  test('A9 / S5: setting the policy stores it and records a security event with the actor and reason; bad input changes nothing; null lifts it', async () => {
    const { db } = await setup();
    const actor = { id: 'admin-1', ...meta };
    expect(await setMandatoryTwoFactorPolicy(db, actor, { from: 'not a date', scope: 'all' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await setMandatoryTwoFactorPolicy(db, actor, { from: NOW, scope: 'everyone' as 'all' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await getMandatoryTwoFactorPolicy(db)).toBeNull();
    const set = await setMandatoryTwoFactorPolicy(db, actor, { from: '2026-03-01T00:00:00Z', scope: 'all' }, 'audit finding');
    expect(set).toEqual({ ok: true, policy: { from: Date.UTC(2026, 2, 1), scope: 'all' } });
    expect(await getMandatoryTwoFactorPolicy(db)).toEqual({ from: Date.UTC(2026, 2, 1), scope: 'all' });
    const [event] = await db.select().from(securityEvents).where(eq(securityEvents.type, 'two-factor.policy-changed'));
    expect(event!.actor).toBe('admin-1');
    expect(event!.ip).toBe(meta.ip);
    expect(event!.detail).toMatchObject({ reason: 'audit finding', policy: { scope: 'all' } });
    await setMandatoryTwoFactorPolicy(db, actor, null);
    expect(await getMandatoryTwoFactorPolicy(db)).toBeNull();
    expect(await db.select().from(siteSettings)).toHaveLength(0);
  });
});
