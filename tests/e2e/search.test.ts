// K5 in a real browser: the header search is instant, typo-tolerant, highlighted and keyboard
// navigable; without JavaScript the same form lands on the server-rendered results page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { launchBrowser, POLL, waitForHydration } from './browser.ts';
import { AREA, fold, locales, QUERIES, t, type Locale } from './content.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openWithJs(path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  await page.goto(path);
  await waitForHydration(page);
  return page;
}

const combobox = (page: Page, lang: Locale) => page.getByRole('combobox', { name: t(lang)('search.label') });
const listbox = (page: Page) => page.locator('.header-search [role="listbox"]');
const options = (page: Page) => listbox(page).locator('[role="option"]');

describe('K5: instant search in the header', () => {
  for (const lang of locales) {
    const query = QUERIES[lang];
    test(`K5: typing "${query}" on /${lang}/ shows the matching entry highlighted; ArrowDown + Enter opens it`, async () => {
      const page = await openWithJs(`/${lang}/`);
      try {
        const box = combobox(page, lang);
        await box.click();
        await box.pressSequentially(query, { delay: 15 });
        await expect.poll(() => options(page).count(), POLL).toBeGreaterThan(1); // hits + "show all results"
        await expect.poll(() => box.getAttribute('aria-expanded'), POLL).toBe('true');

        const first = options(page).first();
        const question = (await first.locator('.q').textContent())!.trim();
        const href = (await first.getAttribute('data-href'))!;
        expect(href).toMatch(new RegExp(`^/${lang}/${AREA}/[a-z0-9-]+$`));

        // The matched word is highlighted with <mark>, in the question or the excerpt.
        const queryWords = fold(query).split(/\s+/).filter((w) => w.length > 2);
        const marked = (await first.locator('mark').allTextContents()).map(fold);
        expect(marked.length, `no <mark> in the first option "${question}"`).toBeGreaterThan(0);
        expect(marked.some((m) => queryWords.some((w) => m.includes(w))), `marks ${JSON.stringify(marked)} vs "${query}"`).toBe(true);

        // Keyboard: ArrowDown selects the first option, Enter opens it.
        await box.press('ArrowDown');
        const firstId = await first.getAttribute('id');
        await expect.poll(() => box.getAttribute('aria-activedescendant'), POLL).toBe(firstId);
        await expect.poll(() => first.getAttribute('aria-selected'), POLL).toBe('true');
        await Promise.all([page.waitForURL((url) => url.pathname === href), box.press('Enter')]);
        expect(new URL(page.url()).pathname).toBe(href);
        await expect(page.locator('h1').textContent().then((s) => s?.trim())).resolves.toBe(question);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
      } finally {
        await page.context().close();
      }
    });
  }

  test('K5: a typo query ("pasword") still finds a password entry', async () => {
    const page = await openWithJs('/en/');
    try {
      const box = combobox(page, 'en');
      await box.click();
      await box.pressSequentially('pasword', { delay: 15 });
      await expect.poll(() => options(page).count(), POLL).toBeGreaterThan(1);
      const questions = (await options(page).locator('.q').allTextContents()).map(fold);
      expect(questions.some((q) => q.includes('password')), `options: ${JSON.stringify(questions)}`).toBe(true);
      const href = await options(page).first().getAttribute('data-href');
      expect(href).toMatch(new RegExp(`^/en/${AREA}/`));
    } finally {
      await page.context().close();
    }
  });

  test('K5: Escape closes the list of suggestions', async () => {
    const page = await openWithJs('/en/');
    try {
      const box = combobox(page, 'en');
      await box.click();
      await box.pressSequentially('password', { delay: 15 });
      await expect.poll(() => listbox(page).isVisible(), POLL).toBe(true);
      await box.press('ArrowDown');
      await expect.poll(() => box.getAttribute('aria-activedescendant'), POLL).not.toBeNull();
      await box.press('Escape');
      await expect.poll(() => listbox(page).isVisible(), POLL).toBe(false);
      await expect.poll(() => box.getAttribute('aria-expanded'), POLL).toBe('false');
      await expect(box.getAttribute('aria-activedescendant')).resolves.toBeNull();
      // Focus stays in the box, and typing again reopens the list.
      await expect(box.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await box.press('s');
      await expect.poll(() => listbox(page).isVisible(), POLL).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});

describe('K5 without JavaScript', () => {
  for (const lang of locales) {
    const query = QUERIES[lang];
    test(`K5 without JS: submitting "${query}" on /${lang}/ goes to /${lang}/search?q=… and shows results`, async () => {
      const context = await browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });
      const page = await context.newPage();
      try {
        await page.goto(`/${lang}/`);
        // Scripts really are off: the island stays server-rendered.
        await expect(page.locator('astro-island[ssr]').count()).resolves.toBeGreaterThan(0);
        const box = combobox(page, lang);
        await box.fill(query);
        await Promise.all([page.waitForURL((url) => url.pathname === `/${lang}/search`), box.press('Enter')]);
        const url = new URL(page.url());
        expect(url.searchParams.get('q')).toBe(query);
        await expect(page.locator('h1').textContent().then((s) => s?.trim())).resolves.toBe(
          t(lang)('search.resultsFor', { query }),
        );
        const results = page.locator('ol.results li.result');
        expect(await results.count()).toBeGreaterThan(0);
        const hrefs = await results.locator('h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        for (const href of hrefs) expect(href).toMatch(new RegExp(`^/${lang}/[a-z0-9-]+/[a-z0-9-]+$`));
        expect(await results.first().locator('mark').count()).toBeGreaterThan(0);
        // The search box keeps the query on the results page.
        await expect(box.inputValue()).resolves.toBe(query);
      } finally {
        await context.close();
      }
    });
  }
});
