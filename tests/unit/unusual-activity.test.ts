// A12 "another pattern of unusual activity": wrong passwords for one account from five different
// networks within 15 minutes lock it (reason unusual-activity) before the tenth try; the owner's
// typos from one network do not; a right password or an unlock forgets the networks.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { mailOutbox, securityEvents, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { unlockWithLink } from '../../src/server/auth/lock.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { signInWithPassword } from '../../src/server/auth/sign-in.ts';
import { UNUSUAL_ACTIVITY } from '../../src/server/auth/unusual-activity.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const PASSWORD = 'Silver-Kettle-58';
let passwordHash: string | undefined;

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  passwordHash ??= await hashPassword(PASSWORD);
  const id = randomId();
  const email = `owner-${id}@example.com`;
  await h.db.insert(users).values({ id, email, name: 'Owner', username: `owner-${id.slice(0, 6)}`, passwordHash, emailVerifiedAt: 1, locale: 'en' });
  const attempt = (ip: string, password = 'Wrong-Guess-1') => signInWithPassword(h.db, { email, password }, { ip, userAgent: 'test', origin: 'https://help.example.com' });
  const row = async () => (await h.db.select().from(users).where(eq(users.id, id)))[0]!;
  return { ...h, id, email, attempt, row };
}

describe('A12: another pattern of unusual activity', () => {
  test('A12: wrong passwords from 4 networks do not lock; from a 5th network within 15 minutes they do, with reason unusual-activity and an email saying so', async () => {
    const s = await setup();
    expect(UNUSUAL_ACTIVITY.networks).toBe(5);
    for (const net of [1, 2, 3, 4]) expect(await s.attempt(`203.0.${net}.7`)).toEqual({ ok: false, reason: 'invalid' });
    expect((await s.row()).lockedAt).toBeNull();
    expect(await s.attempt('2001:db8:5::1')).toEqual({ ok: false, reason: 'invalid' });
    const locked = await s.row();
    expect(locked.lockedAt).not.toBeNull();
    expect(locked.lockReason).toBe('unusual-activity');
    // Even the right password is now refused with the lock, and the email names the reason.
    expect(await s.attempt('203.0.1.7', PASSWORD)).toMatchObject({ ok: false, reason: 'locked', lockReason: 'unusual-activity' });
    const [mail] = await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'account-locked'));
    expect(mail!.text).toMatch(/unusual/i);
    const [event] = await s.db.select().from(securityEvents).where(eq(securityEvents.type, 'account.locked'));
    expect(event!.detail).toEqual({ reason: 'unusual-activity' });
  });

  test('A12: nine wrong passwords from addresses of one network (the owner typing) do not lock', async () => {
    const s = await setup();
    for (let i = 1; i <= 9; i++) await s.attempt(`198.51.100.${i}`);
    expect((await s.row()).lockedAt).toBeNull();
  });

  test('A12: networks older than 15 minutes no longer count', async () => {
    const s = await setup();
    const { isDistributedGuessing } = await import('../../src/server/auth/unusual-activity.ts');
    const t0 = Date.now();
    for (const net of [1, 2, 3, 4]) expect(await isDistributedGuessing(s.db, s.id, `203.0.${net}.1`, t0)).toBe(false);
    expect(await isDistributedGuessing(s.db, s.id, '203.0.9.1', t0 + UNUSUAL_ACTIVITY.windowMs + 1)).toBe(false);
  });

  test('A12: a right password forgets the networks; after an unlock they count from zero again', async () => {
    const s = await setup();
    for (const net of [1, 2, 3, 4]) await s.attempt(`203.0.${net}.7`);
    expect((await s.attempt('203.0.1.7', PASSWORD)).ok).toBe(true);
    for (const net of [5, 6, 7, 8]) await s.attempt(`203.0.${net}.7`);
    expect((await s.row()).lockedAt).toBeNull();
    await s.attempt('203.0.9.7');
    expect((await s.row()).lockReason).toBe('unusual-activity');
    const link = /unlock\?token=([a-z2-7]+\.[a-z2-7]+)/.exec((await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'account-locked')))[0]!.text)![1]!;
    expect(await unlockWithLink(s.db, link, { ip: '203.0.1.7', userAgent: 'test', origin: 'https://help.example.com' })).toBe('unlocked');
    await s.attempt('203.0.10.7');
    expect((await s.row()).lockedAt).toBeNull();
  });
});
