// A1–A4, A11 in real Chromium: sign up → read the verification mail → verify → sign in from two
// browsers → the sessions page lists both → end the other → its next request is signed out.
// N3: axe-core clean on every account page, light and dark.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { latestMail } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, closeAfterTests, openPage, signInSteps } from './browser.ts';
import { locales } from './content.ts';

let server: RunningServer;
let browser: Browser;
const PASSWORD = 'Tulip-Garden-2031';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
const contexts: BrowserContext[] = [];
closeAfterTests(contexts, () => ({ browser, server }));

const newPage = (colorScheme: 'light' | 'dark' = 'light') => openPage(browser, contexts, { baseURL: server.origin, colorScheme });

async function signIn(page: Page, email: string) {
  await signInSteps(page, email, PASSWORD);
  await page.waitForURL('**/en/account');
}

describe('A2 / A4 / A11 in the browser', () => {
  test('sign up, verify by the emailed code, sign in on two browsers, end the other session', async () => {
    const email = 'chromium@example.com';
    const page = await newPage();
    await page.goto('/en/signup');
    await page.getByLabel('Name').fill('Chromium User');
    await page.getByLabel('Email address').fill(email);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('short');
    // A3: the rule's checklist ticks live
    await expect.poll(() => page.locator('[data-rule="length"]').getAttribute('data-ok'), POLL).toBe('false');
    await password.fill(PASSWORD);
    await expect.poll(() => page.locator('[data-rule="length"]').getAttribute('data-ok'), POLL).toBe('true');
    expect(await password.getAttribute('autocomplete')).toBe('new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/en/verify');

    const mail = await latestMail(server.dbUrl, email, 'verify-email');
    const code = /\b(\d{6})\b/.exec(mail!.text)![1]!;
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/en\/login\?verified=1$/);

    await signIn(page, email);
    const second = await newPage();
    await signIn(second, email);
    await page.reload();
    await expect.poll(() => page.locator('[data-session]').count(), POLL).toBe(2);
    await expect(page.locator('[data-session="current"]').textContent()).resolves.toContain('This device');
    await page.locator('[data-session="other"]').getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => page.locator('[data-session]').count(), POLL).toBe(1);

    await second.reload();
    await second.waitForURL('**/en/login**');
    await page.context().close();
    await second.context().close();
  }, 60_000);
});

describe('N3: account pages are accessible', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`axe: sign, login (both steps), signup with errors, verify, unlock, account in all languages (${scheme})`, async () => {
      const page = await newPage(scheme);
      const findings: string[] = [];
      const check = async (where: string) => {
        const found = await seriousViolations(page);
        if (found.length) findings.push(formatFindings(where, found));
      };
      for (const lang of locales) {
        for (const path of ['sign', 'login', 'signup', 'verify', 'unlock']) {
          await page.goto(`/${lang}/${path}`);
          await check(`/${lang}/${path}`);
        }
        await page.goto(`/${lang}/login`);
        await page.locator('input[name="email"]').fill('someone@example.com');
        await page.locator('form[action^="/"] input[name="step"] ~ button, form input[name="step"] ~ button').first().click();
        await page.waitForSelector('input[type="password"]');
        await check(`/${lang}/login password step`);
        await page.goto(`/${lang}/signup`);
        await page.locator(`form[action="/${lang}/signup"] button[type="submit"]`).click();
        await page.waitForSelector('[aria-invalid="true"]');
        await check(`/${lang}/signup with errors`);
      }
      await page.context().close();
      expect(findings, findings.join('\n')).toEqual([]);
    }, 90_000);
  }
});
