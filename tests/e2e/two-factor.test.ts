// A6 / A7 / A11 in real Chromium: sign up → verify from the outbox → sign in → set up 2FA with
// codes computed from the key the page shows → sign out → sign in with a code → sign in with a
// recovery code in a second browser → the sessions page lists both; end the other, whose next
// request is signed out. N3: axe-core finds nothing serious on the wizard, the security pages,
// the code step and the confirm page.
import jsQR from 'jsqr';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { codeAt, enrol, registerAndVerify, signInPassword } from '../helpers/two-factor.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, closeAfterTests, openPage, signInSteps } from './browser.ts';
import { locales } from './content.ts';

let server: RunningServer;
let browser: Browser;
const PASSWORD = 'Harbour-Lights-2032';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
const contexts: BrowserContext[] = [];
closeAfterTests(contexts, () => ({ browser, server }));

const newPage = (colorScheme: 'light' | 'dark' = 'light') => openPage(browser, contexts, { baseURL: server.origin, colorScheme });

/** Email, Next, password: a 2FA account then lands on the code step. */
const passwordStep = (page: Page, email: string) => signInSteps(page, email, PASSWORD);

const codeFor = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

describe('A6 / A7 / A11: two-factor authentication in the browser', () => {
  test('sign up, set up 2FA from the shown key, sign in with a code, then with a recovery code in a second browser, end the other session', async () => {
    const email = 'chromium-2fa@example.com';
    const findings: string[] = [];
    const check = async (page: Page, where: string) => {
      const found = await seriousViolations(page);
      if (found.length) findings.push(formatFindings(where, found));
    };
    const page = await newPage();
    await page.goto('/en/signup');
    await page.getByLabel('Name').fill('Chromium Two Factor');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/en/verify');
    const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/en\/login\?verified=1$/);
    await passwordStep(page, email);
    await page.waitForURL('**/en/account');

    // The wizard: password first (no QR before it), then the QR code and key, then a code.
    await check(page, '/en/account (2FA off)');
    await page.getByRole('link', { name: 'Set up two-factor authentication' }).click();
    await page.waitForURL('**/en/account/two-factor');
    expect(await page.locator('[data-totp-qr]').count()).toBe(0);
    await check(page, 'wizard step 1');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-totp-qr] svg').waitFor();
    const secret = (await page.locator('[data-totp-key]').getAttribute('data-totp-key'))!;
    expect((await page.locator('[data-totp-key]').textContent())!.replaceAll(' ', '')).toBe(secret);
    await check(page, 'wizard step 2 (QR code)');
    // A6: a QR reader decodes the code as the browser renders it into the otpauth URI with this key.
    const size = 330;
    const pixels = await page.evaluate(async (side) => {
      const svg = document.querySelector('[data-totp-qr] svg')!;
      const image = new Image();
      image.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(svg))}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = side;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0, side, side);
      return Array.from(context.getImageData(0, 0, side, side).data);
    }, size);
    const decoded = jsQR(Uint8ClampedArray.from(pixels), size, size);
    const uri = new URL(decoded!.data);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Loket:${email}`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Loket');
    await page.getByLabel('6-digit code from your app').fill(await codeFor(secret));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();

    // Ten recovery codes, once, to copy or download.
    await page.locator('[data-recovery-codes]').waitFor();
    const recoveryCodes = await page.locator('[data-recovery-codes] code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    const download = page.getByRole('link', { name: 'Download (.txt)' });
    expect(await download.getAttribute('download')).toBe('loket-recovery-codes.txt');
    expect(decodeURIComponent((await download.getAttribute('href'))!)).toContain(recoveryCodes[9]!);
    await expect.poll(() => page.getByRole('button', { name: 'Copy' }).isVisible(), POLL).toBe(true);
    await check(page, 'wizard step 4 (recovery codes)');
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await expect.poll(() => page.locator('[data-codes-left]').getAttribute('data-codes-left'), POLL).toBe('10');
    await check(page, '2FA management page');
    expect((await latestMail(server.dbUrl, email))!.kind).toBe('2fa-enabled');

    // Sign out, then sign in with a code of the next step (this step's code was used to confirm).
    await page.goto('/en/account');
    await check(page, '/en/account (2FA on)');
    await page.locator('#sessions').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/en/');
    await passwordStep(page, email);
    await page.getByLabel('Code from your app or a recovery code').waitFor();
    await check(page, 'login code step');
    expect(await page.getByRole('link', { name: 'Lost your device and your recovery codes?' }).getAttribute('href')).toBe('/en/support?topic=lost-access');
    await page.getByLabel('Code from your app or a recovery code').fill(await codeFor(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/en/account');

    // A second browser signs in with a recovery code and is told how many are left.
    const second = await newPage('dark');
    await passwordStep(second, email);
    await second.getByLabel('Code from your app or a recovery code').fill(recoveryCodes[0]!);
    await second.getByRole('button', { name: 'Verify' }).click();
    await second.getByText('You have 9 recovery codes left.').waitFor();
    await second.getByRole('link', { name: 'Continue' }).click();
    await second.waitForURL('**/en/account');

    // Sudo mode: the confirm page asks for the password and a code.
    await second.goto('/en/account/confirm');
    await check(second, 'confirm page (dark)');

    await page.reload();
    await expect.poll(() => page.locator('[data-session]').count(), POLL).toBe(2);
    await page.locator('[data-session="other"]').getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => page.locator('[data-session]').count(), POLL).toBe(1);
    await second.goto('/en/account');
    await second.waitForURL('**/en/login**');

    await page.context().close();
    await second.context().close();
    expect(findings, findings.join('\n')).toEqual([]);
  }, 90_000);
});

describe('N3: the 2FA pages are accessible', () => {
  test('axe: wizard steps (with errors), management, confirm and account pages in nl, en and fr, dark mode', async () => {
    const email = 'axe-2fa@example.com';
    await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
    const page = await newPage('dark');
    const findings: string[] = [];
    const check = async (where: string) => {
      const found = await seriousViolations(page);
      if (found.length) findings.push(formatFindings(where, found));
    };
    await passwordStep(page, email);
    await page.waitForURL('**/en/account');
    for (const lang of locales) {
      await page.goto(`/${lang}/account/two-factor`);
      await page.locator('input[name="password"]').fill('Not-The-Password-1');
      await page.locator('form input[name="action"][value="password"] ~ button').click();
      await page.waitForSelector('[aria-invalid="true"]');
      await check(`/${lang} wizard step 1 with an error`);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.locator('form input[name="action"][value="password"] ~ button').click();
      await page.locator('[data-totp-qr]').waitFor();
      await page.locator('input[name="code"]').fill('000000');
      await page.locator('form input[name="action"][value="confirm"] ~ button, form button[type="submit"]').last().click();
      await page.waitForSelector('[aria-invalid="true"]');
      await check(`/${lang} wizard step 2 with an error`);
    }
    // With 2FA on (set up over HTTP), the management and confirm pages.
    const device = new Device(server.origin);
    await signInPassword(device, email, PASSWORD);
    const { secret } = await enrol(device, PASSWORD);
    await passwordStep(page, email);
    await page.locator('input[name="code"]').fill(await codeAt(secret, 1));
    await page.locator('input[name="code"]').press('Enter');
    await page.waitForURL('**/en/account');
    for (const lang of locales) {
      for (const path of ['account/two-factor', 'account/confirm', 'account']) {
        await page.goto(`/${lang}/${path}`);
        await check(`/${lang}/${path}`);
      }
    }
    await page.context().close();
    expect(findings, findings.join('\n')).toEqual([]);
  }, 90_000);
});
