// E1: a renamed entry or area keeps a redirect from its old URL (kb_slug_redirects), against the
// built server and its database file. The test renames like the editor does: a redirect row for the
// old slug, the new slug on the row, and a knowledge-base version bump (E3), all in one batch.
import { describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { kbAreas, kbEntries, kbEntryDrafts, kbEntryTranslations, kbSlugRedirects } from '../../db/schema/index.ts';
import { bumpKbVersion } from '../../src/server/kb/import.ts';
import { serverWithDatabase } from '../helpers/server.ts';

// Version reads are not reused across requests, so each change made here is served on the next one.
const live = serverWithDatabase({ KB_VERSION_TTL_MS: '0' });
const locales = ['nl', 'en', 'fr'] as const;
const notFoundTitle = { nl: 'Pagina niet gevonden', en: 'Page not found', fr: 'Page introuvable' };
const get = (path: string) => fetch(live.server.origin + path, { redirect: 'manual' });

async function idOf(kind: 'entry' | 'area', slug: string): Promise<number> {
  const table = kind === 'entry' ? kbEntries : kbAreas;
  const [row] = await live.db.select({ id: table.id }).from(table).where(sql`${table.slug} = ${slug}`);
  if (!row) throw new Error(`no ${kind} ${slug}`);
  return row.id;
}

/** What the editor's rename writes: the old slug kept as a redirect to the row's id, the new slug, a version bump. */
async function rename(kind: 'entry' | 'area', from: string, to: string): Promise<number> {
  const id = await idOf(kind, from);
  const table = kind === 'entry' ? kbEntries : kbAreas;
  await live.db.batch([
    live.db.insert(kbSlugRedirects).values({ kind, oldSlug: from, targetId: id }),
    live.db.update(table).set({ slug: to }).where(sql`${table.id} = ${id}`),
    bumpKbVersion(live.db),
  ]);
  return id;
}

async function expectRedirect(path: string, location: string) {
  const res = await get(path);
  expect(res.status, path).toBe(301);
  expect(res.headers.get('location'), path).toBe(location);
  // Revalidated, so a browser never replays a stale permanent redirect after a later rename.
  expect(res.headers.get('cache-control'), path).toBe('no-cache');
  return res;
}

async function expectLocalized404(path: string, lang: (typeof locales)[number]) {
  const res = await get(path);
  const body = await res.text();
  expect(res.status, path).toBe(404);
  expect(body, path).toContain(`<html lang="${lang}"`);
  expect(body, path).toContain(notFoundTitle[lang]);
  return body;
}

describe('E1: a renamed entry keeps a redirect from its old URL', () => {
  test('E1: the old entry URL answers 301 with the current URL, in nl, en and fr', async () => {
    // Warm the HTML cache on the old URL first: the rename must not be hidden by a cached page.
    for (const lang of locales) expect((await get(`/${lang}/account-security/password-requirements`)).status).toBe(200);
    await rename('entry', 'password-requirements', 'password-rules');
    for (const lang of locales) {
      await expectRedirect(`/${lang}/account-security/password-requirements`, `/${lang}/account-security/password-rules`);
      const page = await get(`/${lang}/account-security/password-rules`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<link rel="canonical" href="${live.server.origin}/${lang}/account-security/password-rules">`);
    }
  });

  test('E1: a chain of renames (a → b → c) ends at the current slug in one hop', async () => {
    expect((await get('/en/account-security/password-rules')).status).toBe(200); // cached under the previous version
    await rename('entry', 'password-rules', 'password-policy');
    for (const lang of locales) {
      await expectRedirect(`/${lang}/account-security/password-requirements`, `/${lang}/account-security/password-policy`);
      await expectRedirect(`/${lang}/account-security/password-rules`, `/${lang}/account-security/password-policy`);
    }
    expect((await get('/en/account-security/password-policy')).status).toBe(200);
  });

  test('E1: an old slug under the wrong area, and the query string, are carried to the current URL', async () => {
    await expectRedirect('/nl/getting-started/password-requirements?feedback=yes', '/nl/account-security/password-policy?feedback=yes');
  });

  test('E1: a current slug wins over an old slug that points elsewhere', async () => {
    // A redirect row whose old slug is (again) the slug of a published entry never hides that entry.
    await live.db.batch([
      live.db.insert(kbSlugRedirects).values({ kind: 'entry', oldSlug: 'what-is-loket', targetId: await idOf('entry', 'password-policy') }),
      bumpKbVersion(live.db),
    ]);
    const res = await get('/en/getting-started/what-is-loket');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<link rel="canonical" href="' + live.server.origin + '/en/getting-started/what-is-loket">');
  });
});

describe('E1: a renamed area keeps a redirect from its old URL', () => {
  test('E1: the old area URL answers 301 with the current URL, the ?tag= filter kept', async () => {
    expect((await get('/fr/support-tickets/?tag=tickets')).status).toBe(200);
    await rename('area', 'support-tickets', 'live-support');
    for (const lang of locales) {
      await expectRedirect(`/${lang}/support-tickets/?tag=tickets`, `/${lang}/live-support/?tag=tickets`);
      await expectRedirect(`/${lang}/support-tickets/`, `/${lang}/live-support/`);
      expect((await get(`/${lang}/live-support/?tag=tickets`)).status).toBe(200);
    }
  });

  test('E1: an entry URL under the old area slug answers 301 with the current URL, also when the entry was renamed too', async () => {
    await expectRedirect('/en/support-tickets/start-a-ticket', '/en/live-support/start-a-ticket');
    await rename('entry', 'start-a-ticket', 'open-a-ticket');
    await expectRedirect('/fr/support-tickets/start-a-ticket', '/fr/live-support/open-a-ticket');
  });
});

describe('E1: redirects never reveal what is not published', () => {
  test('E1: a redirect to an entry without any published text is a localized 404, and its draft stays hidden', async () => {
    const id = await rename('entry', 'rate-support', 'rate-the-help');
    await live.db.insert(kbEntryDrafts).values({ entryId: id, lang: 'en', question: 'Secret draft question?', answerMd: 'Draft only.', tags: ['tickets'] });
    await live.db.batch([live.db.delete(kbEntryTranslations).where(sql`${kbEntryTranslations.entryId} = ${id}`), bumpKbVersion(live.db)]);
    for (const lang of locales) {
      const body = await expectLocalized404(`/${lang}/live-support/rate-support`, lang);
      expect(body).not.toContain('Secret draft question?');
      expect(body).not.toContain('rate-the-help');
      await expectLocalized404(`/${lang}/live-support/rate-the-help`, lang);
    }
  });

  test('E1: a redirect whose target no longer exists is a 404; an unknown slug still is', async () => {
    await live.db.batch([
      live.db.insert(kbSlugRedirects).values([
        { kind: 'entry', oldSlug: 'gone-entry', targetId: 999_999 },
        { kind: 'area', oldSlug: 'gone-area', targetId: 999_999 },
      ]),
      bumpKbVersion(live.db),
    ]);
    for (const lang of locales) {
      await expectLocalized404(`/${lang}/account-security/gone-entry`, lang);
      await expectLocalized404(`/${lang}/gone-area/`, lang);
      await expectLocalized404(`/${lang}/account-security/no-such-entry`, lang);
      await expectLocalized404(`/${lang}/no-such-area/`, lang);
    }
  });
});

describe('E1 / K1: the sitemap lists only current URLs', () => {
  test('E1: renamed entries and areas appear under their current slug only', async () => {
    const sitemap = await (await get('/sitemap.xml')).text();
    for (const lang of locales) {
      expect(sitemap).toContain(`${live.server.origin}/${lang}/account-security/password-policy<`);
      expect(sitemap).toContain(`${live.server.origin}/${lang}/live-support/</loc>`);
      expect(sitemap).toContain(`${live.server.origin}/${lang}/live-support/open-a-ticket<`);
    }
    for (const old of ['password-requirements', 'password-rules', 'support-tickets', 'start-a-ticket', 'rate-support', 'rate-the-help', 'gone-entry', 'gone-area'])
      expect(sitemap, old).not.toMatch(new RegExp(`/${old}[/<"]`));
  });
});
