// A12 in real Chromium: ten wrong passwords lock the account; the right password then shows the
// lock page (why, and what to do); the unlock link from the email, opened in the browser and
// confirmed with its button, restores access; the link works once. axe-core clean on the way.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { latestMail } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations } from './browser.ts';

let server: RunningServer;
let browser: Browser;
const PASSWORD = 'Harbour-Beacon-36';
const EMAIL = 'locked-browser@example.com';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return page;
}

async function passwordStep(page: Page, password: string) {
  await page.goto('/en/login');
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
}

describe('A12 in the browser', () => {
  test('A12 / V6.1.1: locked after 10 wrong passwords, the emailed unlock link (opened and confirmed in the browser) restores access, once', async () => {
    const page = await newPage();
    await page.goto('/en/signup');
    await page.getByLabel('Name').fill('Locked Person');
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/en/verify');
    const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, EMAIL, 'verify-email'))!.text)![1]!;
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/en\/login/);

    for (let i = 0; i < 10; i++) await passwordStep(page, `Wrong-Guess-${i}a`);
    // the right password now shows the lock page — why, and what to do
    await passwordStep(page, PASSWORD);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), POLL).toMatch(/locked/i);
    expect(await page.locator('main').textContent()).toMatch(/wrong password/i);
    const lockPage = await seriousViolations(page);
    expect(lockPage, formatFindings('lock page', lockPage)).toEqual([]);

    const mail = await latestMail(server.dbUrl, EMAIL, 'account-locked');
    const link = /(\/en\/unlock\?token=[a-z2-7]+\.[a-z2-7]+)/.exec(mail!.text)![1]!;
    await page.goto(link);
    const unlockPage = await seriousViolations(page);
    expect(unlockPage, formatFindings('unlock page', unlockPage)).toEqual([]);
    await page.getByRole('button', { name: 'Unlock my account' }).click();
    await page.waitForLoadState('domcontentloaded');

    await passwordStep(page, PASSWORD);
    await page.waitForURL('**/en/account');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();

    // the link was single-use
    const second = await newPage();
    await second.goto(link);
    await second.getByRole('button', { name: 'Unlock my account' }).click();
    await expect.poll(() => second.locator('main').textContent(), POLL).toMatch(/not valid or was already used/);
  });
});
