// A18 / A12 / A2 in real Chromium: signing in to a suspended, locked or unverified account (with
// the right password) lands on that state's own page; N3: those pages and /terms are axe-clean
// (no serious or critical WCAG 2.2 AA violation) in nl, en and fr, light and dark.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, seriousViolations } from './browser.ts';
import { locales, t } from './content.ts';

let server: RunningServer;
let browser: Browser;
const PASSWORD = 'Tulip-Garden-2031';
const accounts = {
  suspended: { email: 'e2e-suspended@example.com', set: { suspendedAt: 1, suspensionReason: 'Spam sent through the ticket form, three times this week.' } },
  locked: { email: 'e2e-locked@example.com', set: { lockedAt: 1, lockReason: 'wrong-codes' } },
  unverified: { email: 'e2e-unverified@example.com', set: { emailVerifiedAt: null } },
} as const;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = await openDatabase({ url: server.dbUrl });
  const passwordHash = await hashPassword(PASSWORD);
  for (const { email, set } of Object.values(accounts)) {
    const id = randomId();
    await db.insert(users).values({ id, email, name: 'Browser User', username: `e2e-${id.slice(0, 6)}`, passwordHash, emailVerifiedAt: 1, ...set });
  }
  db.$client.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return page;
}

async function signIn(page: Page, lang: string, email: string) {
  await page.goto(`/${lang}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="step"][value="email"] ~ button').click();
  await page.locator('input[type="password"]').fill(PASSWORD);
  await page.locator('input[name="step"][value="password"] ~ .actions button').click();
  await page.waitForSelector('[data-state]');
}

describe('A18 / A12 / A2: the state pages in the browser', () => {
  test('N3: the suspended, locked and unverified pages and /terms pass axe in nl, en and fr, light and dark', async () => {
    const page = await newPage('light');
    const findings: string[] = [];
    // One sign-in per page, checked in both color schemes.
    const check = async (where: string) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expect(page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).resolves.toBe(colorScheme === 'dark');
        const found = await seriousViolations(page);
        if (found.length) findings.push(formatFindings(`${colorScheme} ${where}`, found));
      }
    };
    for (const lang of locales) {
      for (const [kind, { email }] of Object.entries(accounts)) {
        await signIn(page, lang, email);
        await expect(page.locator('h1').textContent()).resolves.toBe(t(lang)(`accountState.${kind}Title`));
        await check(`/${lang}/login → ${kind}`);
      }
      await page.goto(`/${lang}/terms`);
      await check(`/${lang}/terms`);
    }
    await page.context().close();
    expect(findings, findings.join('\n')).toEqual([]);
  }, 90_000);

  test('A18: from the suspension page, the terms link opens the terms of use', async () => {
    const page = await newPage('light');
    await signIn(page, 'en', accounts.suspended.email);
    await expect(page.locator('.state-reason dd').textContent()).resolves.toBe(accounts.suspended.set.suspensionReason);
    await page.getByRole('link', { name: 'Read the terms of use (/terms)' }).click();
    await page.waitForURL('**/en/terms');
    await expect(page.locator('h1').textContent()).resolves.toBe('Terms of use');
    await page.context().close();
  });
});
