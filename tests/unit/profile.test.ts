// A16 / N2: profile validation — display name (1–100 characters, trimmed), time zone from
// Intl.supportedValuesOf('timeZone'), region from the offered list (Intl-supported), language
// nl/en/fr. Any bad field refuses the whole change and writes nothing; the username is never written.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { securityEvents, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { isValidRegion, isValidTimeZone, REGION_LOCALES, timeZones, updateProfile, validateProfile } from '../../src/server/auth/profile.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const meta = { ip: '192.0.2.1', userAgent: 'vitest' };
const GOOD = { name: 'Ada Lovelace', timeZone: 'America/New_York', region: 'en-US', locale: 'fr' };

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const id = randomId();
  await h.db.insert(users).values({ id, email: `${id}@example.com`, name: 'Original Name', username: 'original-1234', passwordHash: 'x', locale: 'nl', timeZone: 'Europe/Amsterdam', region: 'nl-NL' });
  const row = async () => (await h.db.select().from(users).where(eq(users.id, id)))[0]!;
  const events = async () => h.db.select().from(securityEvents).where(eq(securityEvents.userId, id));
  return { db: h.db, id, row, before: await row(), events };
}

describe('A16: the offered choices', () => {
  test('A16: the time zones are exactly Intl.supportedValuesOf("timeZone")', () => {
    expect(timeZones()).toEqual(Intl.supportedValuesOf('timeZone'));
    expect(timeZones()).toContain('Europe/Amsterdam');
  });
  test('A16: every offered region is a BCP 47 locale Intl can format with, including the sensible ones', () => {
    for (const tag of ['nl-NL', 'nl-BE', 'en-GB', 'en-US', 'en-IE', 'fr-FR', 'fr-BE', 'fr-CH', 'de-DE']) expect(REGION_LOCALES).toContain(tag);
    for (const tag of REGION_LOCALES) expect(Intl.DateTimeFormat.supportedLocalesOf([tag])).toEqual([tag]);
  });
});

describe('A16 / N2: profile validation', () => {
  const bad: Array<[string, Partial<typeof GOOD>, string]> = [
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a time zone offset instead of a zone', { timeZone: '+02:00' }, 'timeZone'],
    ['an unknown region', { region: 'xx-YY' }, 'region'],
    ['a malformed region', { region: 'not a locale!' }, 'region'],
    ['a region that is not offered', { region: 'en' }, 'region'],
    ['a language that is not nl/en/fr', { locale: 'de' }, 'locale'],
    ['an empty name', { name: '' }, 'name'],
    ['a name of only spaces', { name: '   \t ' }, 'name'],
    ['a name over 100 characters', { name: 'A'.repeat(101) }, 'name'],
    ['a name with control characters', { name: 'Ada\u0000Lovelace' }, 'name'],
  ];
  test.each(bad)('A16 / N2: %s is refused and nothing is written', async (_what, change, field) => {
    const { db, id, row, before, events } = await setup();
    const result = await updateProfile(db, id, { ...GOOD, ...change }, meta);
    expect(result.ok).toBe(false);
    if (!result.ok && result.reason === 'invalid') expect(Object.keys(result.errors)).toEqual([field]);
    expect(await row()).toEqual(before);
    expect(await events()).toHaveLength(0);
  });

  test('A16 / N2: a missing field (crafted post) is refused, each error reported', () => {
    const { errors } = validateProfile({ name: undefined, timeZone: undefined, region: 42, locale: null });
    expect(errors).toEqual({ name: 'required', timeZone: 'invalid', region: 'invalid', locale: 'invalid' });
  });

  test('A16: good values are written; the name is trimmed and its spaces collapsed; the event names the fields only', async () => {
    const { db, id, row, events } = await setup();
    const result = await updateProfile(db, id, { ...GOOD, name: '  Ada   King  ' }, meta);
    expect(result).toEqual({ ok: true, profile: { ...GOOD, name: 'Ada King' }, changed: ['name', 'timeZone', 'region', 'locale'] });
    expect(await row()).toMatchObject({ name: 'Ada King', timeZone: 'America/New_York', region: 'en-US', locale: 'fr' });
    const [event] = await events();
    expect(event).toMatchObject({ type: 'profile.updated', detail: { changed: ['name', 'timeZone', 'region', 'locale'] } });
    expect(JSON.stringify(event!.detail)).not.toContain('Ada');
  });

  test('A16: a name of exactly 100 characters (code points, not UTF-16 units) is accepted', async () => {
    const { db, id, row } = await setup();
    const name = '😀'.repeat(100);
    expect((await updateProfile(db, id, { ...GOOD, name }, meta)).ok).toBe(true);
    expect((await row()).name).toBe(name);
  });

  test('A16: the username is never written, even when the input carries one', async () => {
    const { db, id, row } = await setup();
    const crafted = { ...GOOD, username: 'attacker', email: 'attacker@example.com', passwordHash: 'y' };
    expect((await updateProfile(db, id, crafted, meta)).ok).toBe(true);
    expect(await row()).toMatchObject({ username: 'original-1234', email: `${id}@example.com`, passwordHash: 'x', name: GOOD.name });
  });

  test('A16: a stored value outside the lists (an alias set earlier) may be kept, but not newly chosen', async () => {
    const { db, id, row } = await setup();
    await db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, id));
    expect(isValidTimeZone('UTC')).toBe(Intl.supportedValuesOf('timeZone').includes('UTC'));
    expect(isValidTimeZone('UTC', 'UTC')).toBe(true);
    expect(isValidRegion('en-US', 'nl-NL')).toBe(true);
    expect((await updateProfile(db, id, { ...GOOD, timeZone: 'UTC', name: 'Kept Zone' }, meta)).ok).toBe(true);
    expect((await row()).timeZone).toBe('UTC');
    const { id: other, db: db2 } = await setup();
    const refused = await updateProfile(db2, other, { ...GOOD, timeZone: 'UTC' }, meta);
    expect(refused.ok).toBe(Intl.supportedValuesOf('timeZone').includes('UTC'));
  });

  test('A16: nothing changed, nothing written (no event)', async () => {
    const { db, id, events } = await setup();
    const same = { name: 'Original Name', timeZone: 'Europe/Amsterdam', region: 'nl-NL', locale: 'nl' };
    expect(await updateProfile(db, id, same, meta)).toEqual({ ok: true, profile: same, changed: [] });
    expect(await events()).toHaveLength(0);
  });
});
