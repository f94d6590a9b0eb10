// K1 (language switcher + alternates), K3 (tag chips) and K6 (was this helpful?) in a real browser.
import { createClient, type Client } from '@libsql/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { feedbackCounts } from '../../src/server/kb/feedback.ts';
import type { Db } from '../../src/server/db/client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { launchBrowser, POLL, closeAfterTests } from './browser.ts';
import { AREA, ENTRY, entryQuestion, localeNames, locales, t, type Locale } from './content.ts';

let server: RunningServer;
let browser: Browser;
let db: Client | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
closeAfterTests(contexts, () => ({ browser, server }));
afterAll(() => {
  db?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin });
  contexts.push(context);
  return context.newPage();
}

const h1 = (page: Page) => page.locator('h1').textContent().then((s) => s?.trim());
const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

describe('K1: language switcher and alternates', () => {
  test('K1: the language switcher keeps the visitor on the same entry (en → nl → fr)', async () => {
    const page = await newPage();
    await page.goto(`/en/${AREA}/${ENTRY}`);
    expect(await h1(page)).toBe(entryQuestion('en', AREA, ENTRY));

    const switcher = (lang: Locale) => page.getByRole('navigation', { name: t(lang)('nav.languageSwitcher') });
    // The switcher names every language in its own language, and marks the current one.
    for (const l of locales) await expect(switcher('en').getByRole('link', { name: localeNames[l], exact: true }).count()).resolves.toBe(1);
    await expect(switcher('en').getByRole('link', { name: localeNames.en, exact: true }).getAttribute('aria-current')).resolves.toBe('page');

    await Promise.all([
      page.waitForURL((url) => url.pathname === `/nl/${AREA}/${ENTRY}`),
      switcher('en').getByRole('link', { name: localeNames.nl, exact: true }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe(`/nl/${AREA}/${ENTRY}`);
    expect(await htmlLang(page)).toBe('nl');
    expect(await h1(page)).toBe(entryQuestion('nl', AREA, ENTRY));

    await Promise.all([
      page.waitForURL((url) => url.pathname === `/fr/${AREA}/${ENTRY}`),
      switcher('nl').getByRole('link', { name: localeNames.fr, exact: true }).click(),
    ]);
    expect(await htmlLang(page)).toBe('fr');
    expect(await h1(page)).toBe(entryQuestion('fr', AREA, ENTRY));
  });

  test('K1: an entry page carries hreflang alternates for nl, en, fr and x-default, and a canonical URL', async () => {
    const page = await newPage();
    for (const lang of locales) {
      await page.goto(`/${lang}/${AREA}/${ENTRY}`);
      const alternates = await page
        .locator('head link[rel="alternate"][hreflang]')
        .evaluateAll((links) => Object.fromEntries(links.map((l) => [l.getAttribute('hreflang'), (l as HTMLLinkElement).href])));
      const abs = (l: Locale) => new URL(`/${l}/${AREA}/${ENTRY}`, server.origin).href;
      expect(alternates).toEqual({ nl: abs('nl'), en: abs('en'), fr: abs('fr'), 'x-default': abs('en') });
      const canonical = await page.locator('head link[rel="canonical"]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
      expect(canonical).toEqual([abs(lang)]);
    }
  });
});

describe('K3: tag chips on an area page', () => {
  test('K3: the "2FA" chip filters the entries to ?tag=2fa; "All" restores the full list', async () => {
    const tr = t('en');
    const page = await newPage();
    await page.goto(`/en/${AREA}/`);
    const chips = page.getByRole('navigation', { name: tr('area.filterLabel') });
    const cards = page.locator('li.entry-card');
    const total = await cards.count();
    expect(total).toBeGreaterThan(1);
    await expect(chips.getByRole('link', { name: tr('area.allTags'), exact: true }).getAttribute('aria-current')).resolves.toBe('true');

    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('tag') === '2fa'),
      chips.getByRole('link', { name: tr('tags.2fa'), exact: true }).click(),
    ]);
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/en/${AREA}/`);
    expect(url.searchParams.get('tag')).toBe('2fa');
    await expect(chips.getByRole('link', { name: tr('tags.2fa'), exact: true }).getAttribute('aria-current')).resolves.toBe('true');

    const filtered = await cards.count();
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(total);
    // Every card shown carries the 2FA tag in its own tag list.
    const tagsPerCard = await cards.evaluateAll((lis) =>
      lis.map((li) => ({
        question: li.querySelector('h2')?.textContent?.trim(),
        tags: [...li.querySelectorAll('.tag-list a')].map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('tag')),
      })),
    );
    for (const card of tagsPerCard) expect(card.tags, `card "${card.question}"`).toContain('2fa');
    await expect(page.getByRole('status').filter({ hasText: tr('area.showingTagged', { count: filtered, tag: tr('tags.2fa') }) }).count()).resolves.toBe(1);

    await Promise.all([
      page.waitForURL((u) => u.pathname === `/en/${AREA}/` && !u.searchParams.has('tag')),
      chips.getByRole('link', { name: tr('area.allTags'), exact: true }).click(),
    ]);
    expect(await cards.count()).toBe(total);
    await expect(chips.getByRole('link', { name: tr('area.allTags'), exact: true }).getAttribute('aria-current')).resolves.toBe('true');
  });
});

describe('K6: was this helpful?', () => {
  const slug = 'password-requirements';
  const countsFor = async () => {
    db ??= createClient({ url: server.dbUrl });
    return feedbackCounts({ $client: db } as unknown as Db, slug);
  };

  async function vote(page: Page, lang: Locale, helpful: 'yes' | 'no') {
    const tr = t(lang);
    await page.goto(`/${lang}/${AREA}/${slug}`);
    const group = page.getByRole('group', { name: tr('feedback.question') });
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('feedback')),
      group.getByRole('button', { name: tr(`feedback.${helpful}`), exact: true }).click(),
    ]);
  }

  test('K6: "No" thanks the visitor and offers to contact support about the entry; a second vote is refused', async () => {
    const tr = t('en');
    const page = await newPage();
    await vote(page, 'en', 'no');
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/en/${AREA}/${slug}`);
    expect(url.searchParams.get('feedback')).toBe('no');
    const section = page.locator('section.feedback');
    await expect(section.getByText(tr('feedback.thanksNo'), { exact: true }).isVisible()).resolves.toBe(true);
    const contact = section.getByRole('link', { name: tr('feedback.contactSupport'), exact: true });
    const href = new URL((await contact.getAttribute('href'))!, server.origin);
    expect(href.pathname).toBe('/en/contact');
    expect(href.searchParams.get('entry')).toBe(slug);
    await expect(section.getByRole('button').count()).resolves.toBe(0); // the yes/no form is gone
    expect((await countsFor()).en).toEqual({ yes: 0, no: 1 });

    // Same browser, same entry: the second vote (either answer) is not counted.
    await vote(page, 'en', 'yes');
    expect(new URL(page.url()).searchParams.get('feedback')).toBe('duplicate');
    await expect(section.getByText(tr('feedback.alreadyVoted'), { exact: true }).isVisible()).resolves.toBe(true);
    await expect(section.getByRole('link', { name: tr('feedback.contactSupport') }).count()).resolves.toBe(0);
    expect((await countsFor()).en).toEqual({ yes: 0, no: 1 });

    // Another browser (another visitor) still counts.
    const other = await newPage();
    await vote(other, 'en', 'yes');
    expect(new URL(other.url()).searchParams.get('feedback')).toBe('yes');
    await expect(other.getByText(tr('feedback.thanksYes'), { exact: true }).isVisible()).resolves.toBe(true);
    expect((await countsFor()).en).toEqual({ yes: 1, no: 1 });
  });

  test('K6 / T6: "Contact support about this" opens the contact form with the question as context, and the ticket carries the entry', async () => {
    const tr = t('fr');
    const page = await newPage();
    await vote(page, 'fr', 'no');
    await Promise.all([page.waitForURL('**/fr/contact?entry=*'), page.getByRole('link', { name: tr('feedback.contactSupport'), exact: true }).click()]);
    const context = page.locator('.support-context');
    await expect(context.textContent()).resolves.toContain(entryQuestion('fr', AREA, slug));
    await page.getByLabel(tr('contact.email')).fill('k6-visitor@example.com');
    await page.getByLabel(tr('contact.name')).fill('Visiteur');
    await page.getByLabel(tr('contact.topic')).selectOption('other');
    await page.getByLabel(tr('contact.subject')).fill('Toujours pas clair');
    await page.getByLabel(tr('contact.message')).fill('Pourquoi huit caractères ?');
    await page.getByRole('button', { name: tr('contact.submit') }).click();
    await expect.poll(() => page.locator('.form-ok[role="status"]').textContent(), POLL).toMatch(/^\s*Merci\. Votre demande porte le numéro de ticket \d+\./);
    db ??= createClient({ url: server.dbUrl });
    const rows = (await db.execute({ sql: 'SELECT context_entry_slug, locale, unverified_sender FROM tickets WHERE sender_email = ?', args: ['k6-visitor@example.com'] })).rows;
    expect(rows.map((r) => ({ ...r }))).toEqual([{ context_entry_slug: slug, locale: 'fr', unverified_sender: 1 }]);
  });
});
