// Shared browser helpers for the e2e tests: Debian's Chromium driven by playwright-core
// (never a downloaded browser), plus axe-core injection for the N3 accessibility checks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, afterEach } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Options for `expect.poll`: the UI reacts to keys and loads the search index asynchronously. */
export const POLL = { timeout: 10_000, interval: 50 };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * The usual teardown of a browser test file: the contexts a test opened are closed after it, the
 * browser and the server after the file. `resources` is read at teardown (they are set in beforeAll).
 */
export function closeAfterTests(contexts: BrowserContext[], resources: () => { browser?: Browser; server?: { stop: () => Promise<void> } }): void {
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    const { browser, server } = resources();
    await browser?.close();
    await server?.stop();
  });
}

/** A page in a new context of `browser` (kept in `contexts` for closeAfterTests), 8 s default timeout. */
export async function openPage(browser: Browser, contexts: BrowserContext[], options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return page;
}

/** A4's identifier-first sign-in in English: email → Next → password → Sign in. */
export async function signInSteps(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/en/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Resolves once the Preact islands on the page have hydrated (Astro removes `ssr` from <astro-island>). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('astro-island')].every((el) => !el.hasAttribute('ssr')));
}

let axeSource: string | undefined;
function axeScript(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

/** Runs axe-core on the current page and returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeScript());
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: (v.impact ?? null) as string | null,
      help: v.help as string,
      helpUrl: v.helpUrl as string,
      targets: (v.nodes as { target: unknown[] }[]).map((n) => n.target.map(String).join(' ')),
    }));
  }, AXE_TAGS);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatFindings(where: string, findings: AxeFinding[]): string {
  return findings
    .map((f) => `${where}: [${f.impact}] ${f.id} — ${f.help} (${f.helpUrl})\n    ${f.targets.join('\n    ')}`)
    .join('\n');
}
