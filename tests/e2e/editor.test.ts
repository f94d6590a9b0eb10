// E1 / E3 / N3 in real Chromium: an editor changes an answer, watches the live preview follow the
// typing and publishes; a visitor in another browser finds the new word at once, in the
// as-you-type search and on the results page. axe-core finds nothing serious on the entry editor
// (also with refused input and after a conflict), its history and the new-entry page, light and dark.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { t } from '../../src/i18n/index.ts';
import { createActors, type Actor, type ActorName } from '../helpers/actors.ts';
import { starterEntries, type StarterEntry } from '../helpers/editor.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { REVALIDATE_MS } from '../../src/lib/search-client.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, waitForHydration, closeAfterTests } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let actors: Record<ActorName, Actor>;
let entries: StarterEntry[];
const contexts: BrowserContext[] = [];
const en = t('en');

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  actors = await createActors(server.origin, server.dbUrl);
  entries = await starterEntries(server.dbUrl);
}, 120_000);
closeAfterTests(contexts, () => ({ browser, server }));

async function newPage(options: Parameters<Browser['newContext']>[0] = {}, who?: Actor): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, ...options });
  contexts.push(context);
  if (who) await context.addCookies([...who.device.cookies].map(([name, value]) => ({ name, value, url: server.origin })));
  return context.newPage();
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBe(status);
  await waitForHydration(page);
}

describe('E1 / E3: edit, preview, publish — and a visitor finds it at once', () => {
  test('E1 / E3: the editor changes the en answer, sees the live preview follow, publishes; a visitor finds the new word in the as-you-type search and on /en/search', { timeout: 60_000 }, async () => {
    const e = entries[5]!;
    const word = 'flibbertigram';
    const page = await newPage({}, actors.editor);
    await visit(page, `/editor/entries/${e.slug}`);
    const answer = page.locator('#a-en');
    const preview = page.locator('[data-preview="a-en"] .preview-body');
    expect(await preview.getAttribute('aria-live')).toBe('off'); // a labelled region, not a live one
    await answer.fill(`The **${word}** answer: everything you need.\n\n- first\n- second`);
    await expect.poll(() => preview.locator('strong').textContent(), POLL).toBe(word);
    expect(await preview.locator('li').count()).toBe(2);
    expect(page.url()).toBe(`${server.origin}/editor/entries/${e.slug}`); // nothing was submitted

    await page.getByRole('button', { name: en('editor.entry.publish', { language: 'English' }) }).click();
    await page.waitForURL(`**/editor/entries/${e.slug}?done=published&lang=en`);
    await expect.poll(() => page.getByRole('status').textContent(), POLL).toContain(en('editor.entry.done.published', { language: 'English' }));

    const visitor = await newPage();
    await visit(visitor, '/en/');
    const box = visitor.getByRole('combobox', { name: en('search.label') });
    await box.click();
    await box.pressSequentially(word, { delay: 15 });
    const option = visitor.locator(`.header-search [role="option"][data-href="/en/${e.area}/${e.slug}"]`);
    await expect.poll(() => option.count(), POLL).toBe(1);
    expect((await option.locator('mark').allTextContents()).map((m) => m.toLowerCase())).toContain(word);

    await visit(visitor, `/en/search?q=${word}`);
    expect(await visitor.locator(`main a[href="/en/${e.area}/${e.slug}"]`).count()).toBeGreaterThan(0);
    await visit(visitor, `/en/${e.area}/${e.slug}`);
    expect(await visitor.locator('.answer-main strong').textContent()).toBe(word);
  });
});

describe('E3: a page left open keeps up with publishing', () => {
  test('E3: a visitor whose help page was open before the publish finds the new word on their next search, without reloading (the index is revalidated by ETag)', { timeout: 60_000 }, async () => {
    const e = entries[7]!;
    const word = 'quibblethorn';
    const visitor = await newPage();
    await visit(visitor, '/en/');
    const box = visitor.getByRole('combobox', { name: en('search.label') });
    await box.click();
    await box.pressSequentially('password', { delay: 10 });
    await expect.poll(() => visitor.locator('.header-search [role="option"]').count(), POLL).toBeGreaterThan(0);
    const indexRequests: number[] = [];
    visitor.on('response', (r) => r.url().includes('/search-index.json') && indexRequests.push(r.status()));
    // Unchanged knowledge base: a later search asks again and is told "not modified".
    await visitor.waitForTimeout(REVALIDATE_MS + 200);
    await box.fill('');
    await box.pressSequentially('pass', { delay: 10 });
    await expect.poll(() => indexRequests, POLL).toEqual([304]);

    // The editor publishes while the visitor's page stays open.
    const editor = await newPage({}, actors.editor);
    await visit(editor, `/editor/entries/${e.slug}`);
    await editor.locator('#a-en').fill(`Now with the ${word} setting.`);
    await editor.getByRole('button', { name: en('editor.entry.publish', { language: 'English' }) }).click();
    await editor.waitForURL(`**/editor/entries/${e.slug}?done=published&lang=en`);

    await visitor.waitForTimeout(REVALIDATE_MS + 200);
    await box.fill('');
    await box.pressSequentially(word, { delay: 15 });
    const option = visitor.locator(`.header-search [role="option"][data-href="/en/${e.area}/${e.slug}"]`);
    await expect.poll(() => option.count(), POLL).toBe(1);
    expect(indexRequests).toEqual([304, 200]);
    expect(visitor.url()).toBe(`${server.origin}/en/`); // never reloaded
  });
});

describe('N3: the entry editor passes axe', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`N3: entry editor (also with errors and after a conflict), history with a diff, restore and delete confirmations and new-entry page pass axe (${colorScheme} mode)`, { timeout: 60_000 }, async () => {
      const e = entries[colorScheme === 'light' ? 10 : 11]!;
      const page = await newPage({ colorScheme }, actors.editor);
      const problems: string[] = [];
      const check = async (where: string) => {
        const found = await seriousViolations(page);
        if (found.length) problems.push(formatFindings(`${colorScheme} ${where}`, found));
      };
      await visit(page, `/editor/entries/${e.slug}`);
      await check('entry editor');

      // Refused input: an empty question and no tags in en.
      await page.locator('#q-en').fill('');
      for (const box of await page.locator('#tags-en input[type="checkbox"]:checked').all()) await box.uncheck();
      await page.locator('.entry-toolbar').first().getByRole('button', { name: en('editor.entry.save') }).click();
      await page.waitForLoadState();
      await waitForHydration(page);
      expect(await page.locator('#q-en-error').textContent()).toBe(en('editor.problems.question.required'));
      await check('entry editor, refused input');

      // A conflict: someone else publishes while this page is open.
      await visit(page, `/editor/entries/${e.slug}`);
      const other = await newPage({}, actors.admin);
      await visit(other, `/editor/entries/${e.slug}`);
      await other.locator('#a-en').fill('The other editor published this first.');
      await other.getByRole('button', { name: en('editor.entry.publish', { language: 'English' }) }).click();
      await other.waitForURL('**?done=published&lang=en');
      await page.locator('#a-en').fill('My own text.');
      await page.locator('.entry-toolbar').first().getByRole('button', { name: en('editor.entry.save') }).click();
      await expect.poll(() => page.locator('[data-theirs]').count(), POLL).toBe(1);
      await waitForHydration(page);
      expect(await page.locator('#a-en').inputValue()).toBe('My own text.');
      await check('entry editor, conflict');

      await visit(page, `/editor/entries/${e.slug}?unpublish=fr`);
      await check('unpublish confirmation');
      await visit(page, `/editor/entries/${e.slug}/history?lang=en`);
      expect(await page.locator('[data-diff] ins').count()).toBeGreaterThan(0);
      await check('history');
      await visit(page, `/editor/entries/${e.slug}/history?lang=en&restore=1`);
      await check('restore confirmation');
      await visit(page, '/editor/new');
      await check('new entry');
      await page.getByRole('button', { name: en('editor.new.create') }).click();
      await page.waitForLoadState();
      await waitForHydration(page);
      expect(await page.locator('[data-error="invalid"]').count()).toBe(1);
      await check('new entry, refused input');
      // A valid new entry (a draft, not public): its page offers deletion, with a confirmation.
      await page.locator('#new-area').selectOption({ index: 1 });
      await page.locator('#q').fill(`A draft to delete in ${colorScheme} mode?`);
      await page.locator('#a').fill('Nothing to see yet.');
      await page.locator('input[name="tag-tickets"]').check();
      await page.getByRole('button', { name: en('editor.new.create') }).click();
      await page.waitForURL('**/editor/entries/a-draft-to-delete-**');
      await page.getByRole('link', { name: en('editor.entry.delete') }).click();
      await page.waitForURL('**?delete=1#confirm-delete');
      await check('delete confirmation');
      await page.getByRole('button', { name: en('editor.entry.deleteConfirm') }).click();
      await page.waitForURL('**/editor?done=deleted**');
      await visit(page, '/editor/entries/no-such-entry', 404);
      await check('not found');
      expect(problems, `axe violations:\n${problems.join('\n')}`).toEqual([]);
    });
  }

  test('N3: the entry editor has no horizontal scrolling at 360 px (the three columns stack)', { timeout: 60_000 }, async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, actors.editor);
    for (const path of [`/editor/entries/${entries[12]!.slug}`, `/editor/entries/${entries[12]!.slug}/history?lang=en`, '/editor/new']) {
      await visit(page, path);
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, path).toBeLessThanOrEqual(widths.view);
    }
  });
});
