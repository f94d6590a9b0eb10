// SECURITY-CHECKLIST 7 (ASVS V6.2.7) in real Chromium: pasting into every password field works —
// a long password with spaces and accents, pasted from the clipboard, registers and signs in —
// and each password field carries the autocomplete value password managers rely on.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { latestMail } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { launchBrowser, POLL } from './browser.ts';

let server: RunningServer;
let browser: Browser;
// 120 characters with spaces, accents and symbols: what a password manager might generate.
const PASSWORD = `Zeer lang wachtwoord, één keer geplakt — ${'Qx7 ñ'.repeat(20)}`.slice(0, 119) + '!';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.origin });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return { context, page };
}

/** Puts the text on the clipboard and pastes it into the field with the keyboard shortcut. */
async function paste(page: Page, label: string, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  const field = page.getByLabel(label, { exact: true });
  await field.click();
  await page.keyboard.press('Control+V');
  expect(await field.inputValue()).toBe(text);
}

describe('V6.2.7 (checklist 7): paste and autocomplete on password fields', () => {
  test('V6.2.7: a 120-character password with spaces and accents pasted at sign-up and at sign-in works', async () => {
    expect(PASSWORD.length).toBe(120);
    const email = 'paste@example.com';
    const { context, page } = await newPage();
    await page.goto('/en/signup');
    // A3: the form recommends going beyond the minimum
    await expect.poll(() => page.getByText('We recommend 12 characters or more, and a password you use nowhere else.').isVisible(), POLL).toBe(true);
    await page.getByLabel('Name').fill('Paste Tester');
    await page.getByLabel('Email address').fill(email);
    await paste(page, 'Password', PASSWORD);
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe('new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/en/verify');
    const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/en\/login/);

    await page.goto('/en/login');
    await page.getByLabel('Email address').fill(email);
    expect(await page.getByLabel('Email address').getAttribute('autocomplete')).toBe('username');
    await page.getByRole('button', { name: 'Next' }).click();
    await paste(page, 'Password', PASSWORD);
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe('current-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/en/account');

    // Account → change password: current-password and new-password, both accept a paste.
    const current = page.locator('input[type="password"][name="currentPassword"]');
    const next = page.locator('input[type="password"][name="newPassword"]');
    expect(await current.getAttribute('autocomplete')).toBe('current-password');
    expect(await next.getAttribute('autocomplete')).toBe('new-password');
    await page.evaluate((t) => navigator.clipboard.writeText(t), PASSWORD);
    await current.click();
    await page.keyboard.press('Control+V');
    expect(await current.inputValue()).toBe(PASSWORD);
    // No password field anywhere blocks paste or turns autocomplete off.
    for (const path of ['/en/account', '/en/account/api-key']) {
      await page.goto(path);
      const blocked = await page.evaluate(() =>
        [...document.querySelectorAll('input[type="password"]')].filter((el) => el.getAttribute('onpaste') !== null || el.getAttribute('autocomplete') === 'off').length,
      );
      expect(blocked, path).toBe(0);
    }
    await context.close();
  });

  test('V6.2.7: the reset form asks for a new-password and accepts a paste', async () => {
    const { context, page } = await newPage();
    await page.goto('/en/recover');
    await page.getByLabel('Email address').fill('paste@example.com');
    await page.getByRole('button', { name: /send|link/i }).click();
    await expect.poll(() => latestMail(server.dbUrl, 'paste@example.com', 'password-reset'), POLL).toBeDefined();
    const mail = await latestMail(server.dbUrl, 'paste@example.com', 'password-reset');
    const link = /(\/en\/reset\?token=[a-z2-7]+\.[a-z2-7]+)/.exec(mail!.text)![1]!;
    await page.goto(link);
    const field = page.locator('input[type="password"]').first();
    expect(await field.getAttribute('autocomplete')).toBe('new-password');
    await page.evaluate((t) => navigator.clipboard.writeText(t), PASSWORD);
    await field.click();
    await page.keyboard.press('Control+V');
    expect(await field.inputValue()).toBe(PASSWORD);
    await context.close();
  });
});
