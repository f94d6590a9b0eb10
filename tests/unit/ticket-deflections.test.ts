// T2 on a real database file: an opened suggestion is recorded once per draft and entry (validated,
// rate-limited); sending the draft stamps its ticket on the author's rows; the report counts only
// suggestions whose draft was never sent, and only once the grace period has passed.
import { afterEach, describe, expect, test } from 'vitest';
import { ticketDeflections, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { startTicket } from '../../src/server/tickets/customer-tickets.ts';
import { DEFLECTION_AFTER_MS, DEFLECTION_LIMIT, deflectionReport, recordDeflection } from '../../src/server/tickets/deflections.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const known = new Set(['reset-password', 'set-up-2fa', 'change-email']);
const exists = (slug: string) => known.has(slug);

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const customer = async () => {
    const id = randomId();
    await h.db.insert(users).values({ id, email: `c-${id}@example.com`, name: 'Cleo', username: `c-${id.slice(0, 8)}`, passwordHash: 'x', role: 'customer', emailVerifiedAt: 1 });
    return { id, email: `c-${id}@example.com`, name: 'Cleo', emailVerifiedAt: 1 };
  };
  return { db: h.db, customer };
}
const draft = () => randomId().slice(0, 20);

describe('T2: recording opened suggestions', () => {
  test('T2: a malformed draft id, slug or language, or an unknown entry, records nothing', async () => {
    const s = await setup();
    const c = await s.customer();
    const d = draft();
    for (const bad of [
      { draftId: 'short', slug: 'reset-password', locale: 'en' },
      { draftId: 'x'.repeat(65), slug: 'reset-password', locale: 'en' },
      { draftId: `${d}<`, slug: 'reset-password', locale: 'en' },
      { draftId: d, slug: '../etc', locale: 'en' },
      { draftId: d, slug: 'reset-password', locale: 'de' },
      { draftId: d, slug: 42, locale: 'en' },
    ]) {
      expect(await recordDeflection(s.db, { ...bad, userId: c.id }, exists), JSON.stringify(bad)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await recordDeflection(s.db, { draftId: d, slug: 'no-such-entry', locale: 'en', userId: c.id }, exists)).toEqual({ ok: false, reason: 'unknown-entry' });
    expect(await s.db.select().from(ticketDeflections)).toEqual([]);
  });

  test('T2 / A21: the same entry opened twice in one draft is one row; opening is rate-limited per account', async () => {
    const s = await setup();
    const c = await s.customer();
    const d = draft();
    expect(await recordDeflection(s.db, { draftId: d, slug: 'reset-password', locale: 'nl', userId: c.id }, exists, 1_000)).toEqual({ ok: true, recorded: true });
    expect(await recordDeflection(s.db, { draftId: d, slug: 'reset-password', locale: 'nl', userId: c.id }, exists, 1_001)).toEqual({ ok: true, recorded: false });
    expect(await s.db.select().from(ticketDeflections)).toHaveLength(1);
    for (let i = 2; i < DEFLECTION_LIMIT.limit; i++) await recordDeflection(s.db, { draftId: d, slug: 'set-up-2fa', locale: 'nl', userId: c.id }, exists, 1_002);
    const refused = await recordDeflection(s.db, { draftId: draft(), slug: 'change-email', locale: 'nl', userId: c.id }, exists, 1_003);
    expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(await s.db.select().from(ticketDeflections)).toHaveLength(2);
  });
});

describe('T2: the deflection report', () => {
  test('T2: a sent draft is no deflection; an unsent one counts per entry and language once 30 minutes have passed', async () => {
    const s = await setup();
    const a = await s.customer();
    const b = await s.customer();
    const t0 = 10_000_000;
    const sent = draft();
    const abandoned = draft();
    const other = draft();
    await recordDeflection(s.db, { draftId: sent, slug: 'reset-password', locale: 'en', userId: a.id }, exists, t0);
    await recordDeflection(s.db, { draftId: abandoned, slug: 'reset-password', locale: 'en', userId: a.id }, exists, t0);
    await recordDeflection(s.db, { draftId: abandoned, slug: 'set-up-2fa', locale: 'en', userId: a.id }, exists, t0);
    await recordDeflection(s.db, { draftId: other, slug: 'reset-password', locale: 'fr', userId: b.id }, exists, t0);
    const started = await startTicket(
      s.db,
      { subject: 'Reset fails', area: 'account-security', message: 'The link expired.', draft: sent },
      { user: a, locale: 'en', areaExists: (x) => x === 'account-security', entryExists: exists },
      t0 + 60_000,
    );
    expect(started.ok).toBe(true);
    const ticketId = started.ok ? started.ticket.id : '';
    const rows = await s.db.select().from(ticketDeflections);
    expect(rows.filter((r) => r.ticketId === ticketId).map((r) => r.draftId)).toEqual([sent]);
    // Another customer cannot stamp someone else's draft by sending its id.
    await startTicket(s.db, { subject: 'Mine', area: 'account-security', message: 'Hi', draft: other }, { user: a, locale: 'en', areaExists: () => true, entryExists: exists }, t0 + 60_000);
    expect((await s.db.select().from(ticketDeflections)).find((r) => r.draftId === other)!.ticketId).toBeNull();

    expect(await deflectionReport(s.db, { now: t0 + DEFLECTION_AFTER_MS - 1 })).toEqual([]);
    expect(await deflectionReport(s.db, { now: t0 + DEFLECTION_AFTER_MS + 1 })).toEqual([
      { entrySlug: 'reset-password', locale: 'en', deflections: 1 },
      { entrySlug: 'reset-password', locale: 'fr', deflections: 1 },
      { entrySlug: 'set-up-2fa', locale: 'en', deflections: 1 },
    ]);
    expect(await deflectionReport(s.db, { since: t0 + 1, now: t0 + DEFLECTION_AFTER_MS + 1 })).toEqual([]);
  });

  test('T1 / T7: startTicket refuses an unverified account and bad input without writing', async () => {
    const s = await setup();
    const c = await s.customer();
    const ctx = { locale: 'en' as const, areaExists: () => true, entryExists: exists };
    expect(await startTicket(s.db, { subject: 'x', area: 'account-security', message: 'y' }, { ...ctx, user: { ...c, emailVerifiedAt: null } })).toEqual({ ok: false, reason: 'unverified' });
    expect(await startTicket(s.db, { subject: ' ', area: 5, message: 'y'.repeat(10_001) }, { ...ctx, user: c })).toEqual({ ok: false, reason: 'invalid', errors: { subject: 'required', area: 'invalid', message: 'too-long' } });
    expect(await s.db.select().from(ticketDeflections)).toEqual([]);
  });
});
