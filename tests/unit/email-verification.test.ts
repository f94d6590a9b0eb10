// A2: the verification code is valid 10 minutes, the link 24 hours; each works once; a code of
// one request cannot complete another (V6.6.2); 5 wrong codes end it (V6.6.3).
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { createEmailVerification, verifyEmailWithCode, verifyEmailWithLink } from '../../src/server/auth/email-verification.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const MIN = 60_000;

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const make = async () => {
    const id = randomId();
    await h.db.insert(users).values({ id, email: `${id}@example.com`, name: 'T', username: id, passwordHash: 'x' });
    return id;
  };
  return { db: h.db, a: await make(), b: await make() };
}
const verified = async (db: Awaited<ReturnType<typeof setup>>['db'], id: string) =>
  (await db.select({ v: users.emailVerifiedAt }).from(users).where(eq(users.id, id)))[0]!.v !== null;

describe('A2 / V6.4.1 / V6.5.5: email verification', () => {
  test('the code works within 10 minutes and fails after; the account stays inactive', async () => {
    const { db, a } = await setup();
    const t0 = Date.now();
    const v = await createEmailVerification(db, a, t0);
    expect((await verifyEmailWithCode(db, v.id, v.code, t0 + 10 * MIN)).outcome).toBe('expired');
    expect(await verified(db, a)).toBe(false);
    const fresh = await createEmailVerification(db, a, t0);
    expect((await verifyEmailWithCode(db, fresh.id, fresh.code, t0 + 9 * MIN)).outcome).toBe('verified');
    expect(await verified(db, a)).toBe(true);
  });

  test('the link works for 24 hours and fails after; each works once', async () => {
    const { db, a, b } = await setup();
    const t0 = Date.now();
    const va = await createEmailVerification(db, a, t0);
    expect((await verifyEmailWithLink(db, va.token, t0 + 24 * 60 * MIN)).outcome).toBe('expired');
    const vb = await createEmailVerification(db, b, t0);
    expect((await verifyEmailWithLink(db, vb.token, t0 + 23 * 60 * MIN)).outcome).toBe('verified');
    expect((await verifyEmailWithLink(db, vb.token, t0 + 23 * 60 * MIN)).outcome).toBe('invalid');
    expect((await verifyEmailWithCode(db, vb.id, vb.code, t0)).outcome).toBe('invalid');
  });

  test('V6.6.2: a code for one request cannot complete another', async () => {
    const { db, a, b } = await setup();
    const va = await createEmailVerification(db, a);
    const vb = await createEmailVerification(db, b);
    if (va.code !== vb.code) expect((await verifyEmailWithCode(db, vb.id, va.code)).outcome).toBe('invalid');
    expect((await verifyEmailWithLink(db, `${vb.id}.${va.token.split('.')[1]}`)).outcome).toBe('invalid');
    expect(await verified(db, b)).toBe(false);
  });

  test('V6.6.3: five wrong codes end it; a new email replaces the old code', async () => {
    const { db, a } = await setup();
    const v = await createEmailVerification(db, a);
    const wrong = v.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect((await verifyEmailWithCode(db, v.id, wrong)).outcome).toBe('invalid');
    expect((await verifyEmailWithCode(db, v.id, wrong)).outcome).toBe('too-many-attempts');
    expect((await verifyEmailWithCode(db, v.id, v.code)).outcome).toBe('too-many-attempts');
    const again = await createEmailVerification(db, a);
    expect((await verifyEmailWithCode(db, v.id, v.code)).outcome).toBe('invalid');
    expect((await verifyEmailWithCode(db, again.id, again.code)).outcome).toBe('verified');
  });
});
