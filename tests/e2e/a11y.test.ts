// N3 in a real browser: axe-core (WCAG 2.0/2.1/2.2 A + AA) finds nothing serious or critical
// on every kind of public page in every language, in light and dark mode; keyboard users get
// the skip link first; phones get no horizontal scrolling.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, waitForHydration, closeAfterTests } from './browser.ts';
import { AREA, ENTRY, locales, pagesOf, QUERIES, t } from './content.ts';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
closeAfterTests(contexts, () => ({ browser, server }));

async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, ...options });
  contexts.push(context);
  return context.newPage();
}

async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBe(200);
  await waitForHydration(page);
}

describe('N3: axe-core finds no serious or critical WCAG 2.2 AA violation', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const lang of locales) {
      const pages = pagesOf(lang);
      test(`N3: ${pages.map((p) => p.name).join(', ')} pages in /${lang}/ pass axe in ${colorScheme} mode`, { timeout: 60_000 }, async () => {
        const page = await newPage({ colorScheme });
        await expect(page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).resolves.toBe(colorScheme === 'dark');
        const problems: string[] = [];
        for (const { name, path } of pages) {
          await visit(page, path);
          const found = await seriousViolations(page);
          if (found.length) problems.push(formatFindings(`${colorScheme} ${name} ${path}`, found));
        }
        expect(problems, `axe violations:\n${problems.join('\n')}`).toEqual([]);
      });
    }

    test(`N3: the open search suggestions (with highlights) pass axe in ${colorScheme} mode`, async () => {
      const page = await newPage({ colorScheme });
      await visit(page, '/en/');
      const box = page.getByRole('combobox', { name: t('en')('search.label') });
      await box.click();
      await box.pressSequentially(QUERIES.en, { delay: 10 });
      const options = page.locator('.header-search [role="option"]');
      await expect.poll(() => options.count(), POLL).toBeGreaterThan(1);
      await box.press('ArrowDown');
      await expect.poll(() => options.first().getAttribute('aria-selected'), POLL).toBe('true');
      const found = await seriousViolations(page);
      expect(found, formatFindings(`${colorScheme} /en/ with suggestions open`, found)).toEqual([]);
    });
  }
});

describe('N3: the support forms with errors', () => {
  test('N3 / T6: /support and /contact sent empty show errors tied to their fields, and pass axe in every language', { timeout: 60_000 }, async () => {
    const page = await newPage();
    const problems: string[] = [];
    for (const lang of locales) {
      for (const path of [`/${lang}/support`, `/${lang}/contact`]) {
        await visit(page, path);
        await Promise.all([page.waitForURL(`**${path}`), page.locator(`form[action="${path}"] button[type="submit"]`).click()]);
        await page.waitForSelector('[aria-invalid="true"]');
        // Each invalid field names its error list in aria-describedby (N3).
        const untied = await page.evaluate(() =>
          [...document.querySelectorAll('[aria-invalid="true"]')]
            .filter((el) => !(el.getAttribute('aria-describedby') ?? '').split(' ').some((id) => document.getElementById(id)?.classList.contains('field-errors')))
            .map((el) => el.id),
        );
        expect(untied, `${path}: invalid fields without their error`).toEqual([]);
        const found = await seriousViolations(page);
        if (found.length) problems.push(formatFindings(`${path} with errors`, found));
      }
    }
    expect(problems, `axe violations:\n${problems.join('\n')}`).toEqual([]);
  });
});

describe('N3: keyboard', () => {
  test('N3: the first Tab focuses the "skip to content" link, which moves focus to the main content', async () => {
    const page = await newPage();
    for (const lang of locales) {
      for (const path of [`/${lang}/`, `/${lang}/${AREA}/${ENTRY}`]) {
        await visit(page, path);
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          const box = el?.getBoundingClientRect();
          return { tag: el?.tagName, text: el?.textContent?.trim(), href: el?.getAttribute('href'), top: box?.top ?? -1, height: box?.height ?? 0 };
        });
        expect(focused, `first Tab on ${path}`).toMatchObject({ tag: 'A', text: t(lang)('nav.skipToContent'), href: '#main' });
        // Visible when focused (it sits off-screen otherwise).
        expect(focused.top, `skip link on ${path} is on screen when focused`).toBeGreaterThanOrEqual(0);
        expect(focused.height).toBeGreaterThan(0);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('main');
      }
    }
  });
});

describe('N3 mobile', () => {
  test('N3 mobile: at 375x740 the entry page (and every other public page) has no horizontal scrollbar', { timeout: 60_000 }, async () => {
    const page = await newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const overflowing: string[] = [];
    for (const lang of locales) {
      for (const { path } of pagesOf(lang)) {
        await visit(page, path);
        const { scrollWidth, clientWidth, culprits } = await page.evaluate(() => {
          const root = document.documentElement;
          const culprits = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().replace(/\s+/g, '.')}` : ''}`);
          return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits };
        });
        expect(clientWidth).toBe(375);
        if (scrollWidth > clientWidth) overflowing.push(`${path}: scrollWidth ${scrollWidth} > ${clientWidth} (${culprits.join(', ')})`);
      }
    }
    expect(overflowing, overflowing.join('\n')).toEqual([]);
  });
});
