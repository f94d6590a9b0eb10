// E1 / E2 / N3 in real Chromium: the editor workspace's home, areas, an area's edit page (also
// with refused input) and the translation report (a filter applied, an outdated row) pass axe-core
// (no serious or critical WCAG 2.2 AA violation) in light and dark, on a desktop and a phone
// screen; a keyboard user reaches and operates the Up/Down buttons and the report's filters.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadEditorEntry, publishDraft, saveDrafts } from '../../src/server/editor/entries.ts';
import type { Actor, ActorName } from '../helpers/actors.ts';
import { arrangeTicket, startEditorServer, withDb } from '../helpers/editor.ts';
import { query } from '../helpers/http.ts';
import type { RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, closeAfterTests } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let actors: Record<ActorName, Actor>;
const contexts: BrowserContext[] = [];
const OUTDATED = 'password-requirements';

beforeAll(async () => {
  [{ server, actors }, browser] = await Promise.all([startEditorServer(), launchBrowser()]);
  // An outdated translation (E2): the nl source changes, en and fr stay behind.
  await withDb(server.dbUrl, async (db) => {
    const entry = (await loadEditorEntry(db, OUTDATED))!;
    const nl = entry.langs.nl.published!;
    const saved = await saveDrafts(db, { id: actors.editor.id! }, entry.id, entry.editRevision, { nl: { question: nl.question, answer: `${nl.answerMd}\n\nOok een wachtwoordzin is goed.`, tags: nl.tags } });
    if (!saved.ok) throw new Error('save failed');
    if (!(await publishDraft(db, { id: actors.editor.id! }, entry.id, 'nl', saved.editRevision)).ok) throw new Error('publish failed');
  });
  // A draft from a ticket (E5), listed under Drafts.
  const ticket = await arrangeTicket(server.dbUrl, {
    customer: { id: actors.customerA.id!, email: actors.customerA.email! },
    agent: { id: actors.agent.id! },
    subject: 'Can I use a passphrase instead of a password?',
    reply: 'Yes, as long as it follows the password rule.',
    status: 'resolved',
  });
  expect((await actors.editor.device.post('/editor', { action: 'from-ticket', ticket: String(ticket.number) })).status).toBe(303);
}, 120_000);
closeAfterTests(contexts, () => ({ browser, server }));

/** A browser signed in as the editor (the session cookie of createActors). */
async function editorPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, ...options });
  contexts.push(context);
  await context.addCookies([...actors.editor.device.cookies].map(([name, value]) => ({ name, value, url: server.origin })));
  return context.newPage();
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBe(status);
}

/** Presses Tab until `selector` has the focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} not reached with ${max} Tab presses`);
}

const PAGES = ['/editor', '/editor?q=password', '/editor/areas', '/editor/areas/account-security', `/editor/report?state=outdated&lang=en`, '/editor/report?state=all&area=getting-started'];

describe('N3: the editor workspace passes axe-core', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 740 }]) {
      test(`N3: home, areas, area edit and report pages pass axe in ${colorScheme} mode at ${viewport.width}px`, { timeout: 90_000 }, async () => {
        const page = await editorPage({ colorScheme, viewport });
        const problems: string[] = [];
        for (const path of PAGES) {
          await visit(page, path);
          const found = await seriousViolations(page);
          if (found.length) problems.push(formatFindings(`${colorScheme} ${viewport.width}px ${path}`, found));
          // Mobile-first: no page scrolls sideways (the report's table scrolls inside its own region).
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 1) problems.push(`${colorScheme} ${viewport.width}px ${path}: the page scrolls sideways by ${overflow}px`);
        }
        // The report shows the outdated row with its versions.
        await visit(page, '/editor/report?state=outdated&lang=en');
        expect(await page.locator(`tr[data-row="${OUTDATED}"] td[data-lang="en"]`).textContent()).toMatch(/outdated.*source v\d+, this text made against v\d+/s);
        // The area form with refused input: errors linked to their fields.
        await visit(page, '/editor/areas/account-security');
        await page.fill('#edit-area-title_fr', '');
        await page.fill('#edit-area-slug', 'Not A Slug');
        const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('form[data-area-form] button[type="submit"]')]);
        expect(refused.status()).toBe(400);
        await page.waitForLoadState();
        expect(await page.locator('#edit-area-title_fr').getAttribute('aria-invalid')).toBe('true');
        const found = await seriousViolations(page);
        if (found.length) problems.push(formatFindings(`${colorScheme} ${viewport.width}px area form with errors`, found));
        expect(problems.join('\n\n')).toBe('');
      });
    }
  }
});

describe('N3: the workspace by keyboard', () => {
  test('N3 / E1: the Down and Up buttons are reached with Tab and operated with Enter; the order changes and the focus lands back at the moved entry', { timeout: 60_000 }, async () => {
    const page = await editorPage();
    await visit(page, '/editor');
    const order = () => page.locator('section[data-area="getting-started"] li[data-entry]').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry')));
    const before = await order();
    const first = before[0]!;
    const [row] = await query(server.dbUrl, 'SELECT id FROM kb_entries WHERE slug = ?', [first]);
    const down = `section[data-area="getting-started"] li[data-entry="${first}"] button[value="down"]`;
    // Up is disabled on the first entry (not in the Tab order); Down is reached.
    expect(await page.locator(`section[data-area="getting-started"] li[data-entry="${first}"] button[value="up"]`).isDisabled()).toBe(true);
    await page.focus(`section[data-area="getting-started"] a.ed-new`);
    await tabTo(page, down, 10);
    await Promise.all([page.waitForURL(`**/editor?done=moved#entry-${row!.id}`), page.keyboard.press('Enter')]);
    await expect.poll(order, POLL).toEqual([before[1], first, ...before.slice(2)]);
    expect(await page.getByRole('status').first().textContent()).toContain('The order has been changed');
    // The next Tab continues inside the moved entry, where its Up button now is.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('li[data-entry]')?.getAttribute('data-entry'))).toBe(first);
    await tabTo(page, `li[data-entry="${first}"] button[value="up"]`, 4);
    await Promise.all([page.waitForURL(`**/editor?done=moved#entry-${row!.id}`), page.keyboard.press('Enter')]);
    await expect.poll(order, POLL).toEqual(before);
  });

  test('N3 / E2: the report filters are reached with Tab and set with the keyboard; the GET form applies them without JavaScript', { timeout: 60_000 }, async () => {
    const page = await editorPage({ javaScriptEnabled: false });
    await visit(page, '/editor/report');
    await page.focus('#report-area');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-lang');
    await page.keyboard.type('French');
    expect(await page.locator('#report-lang').inputValue()).toBe('fr');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-state');
    await page.keyboard.type('Outdated');
    expect(await page.locator('#report-state').inputValue()).toBe('outdated');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Apply filters');
    await Promise.all([page.waitForURL('**/editor/report?area=&lang=fr&state=outdated'), page.keyboard.press('Enter')]);
    expect(await page.locator(`tr[data-row="${OUTDATED}"] td`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-lang')).filter(Boolean))).toEqual(['fr']);
    // The cell's link leads to that language in the entry editor.
    expect(await page.locator(`tr[data-row="${OUTDATED}"] td[data-lang="fr"] a`).getAttribute('href')).toBe(`/editor/entries/${OUTDATED}#lang-fr`);
  });
});
