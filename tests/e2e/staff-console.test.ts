// S1 / S2 / N3 in real Chromium: an agent watches the queue while a customer opens a ticket (it
// appears without a reload), claims it, replies and adds an internal note; a second agent on the
// same ticket sees the collision warning (viewing, typing) and the new messages live; axe-core
// finds nothing serious on the queue, ticket, canned-replies and admin pages in nl, en and fr.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { Device, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { openTicket, person, write, type Person } from '../helpers/staff.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, waitForHydration, closeAfterTests } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let customer: Person;
let agnes: Person;
let bert: Person;
let ada: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  [customer, agnes, bert, ada] = await Promise.all([
    person(server.origin, server.dbUrl, 'cleo@example.com', 'customer', 'Cleo Customer'),
    person(server.origin, server.dbUrl, 'agnes@example.com', 'agent', 'Agnes Agent'),
    person(server.origin, server.dbUrl, 'bert@example.com', 'agent', 'Bert Agent'),
    person(server.origin, server.dbUrl, 'ada@example.com', 'admin', 'Ada Admin'),
  ]);
}, 120_000);
closeAfterTests(contexts, () => ({ browser, server }));

/** A browser signed in as this person (the session cookie of their HTTP sign-in). */
async function pageOf(who: Person, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin, ...options });
  contexts.push(context);
  await context.addCookies([...who.device.cookies].map(([name, value]) => ({ name, value, url: server.origin })));
  return context.newPage();
}

async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBe(200);
  await waitForHydration(page);
}

describe('S1 / S2: the console live in Chromium', () => {
  test('S1 / S2: a new ticket appears in the queue without a reload; the agent claims it, replies and adds an internal note; a second agent sees the collision warning and the messages live', { timeout: 60_000 }, async () => {
    const a = await pageOf(agnes);
    await visit(a, '/staff');
    const before = Number(await a.locator('[data-count="unassigned"]').textContent());

    // The customer asks through the support form (a real request to the server).
    const ticket = await openTicket(server.dbUrl, customer.device, 'Live queue check', 'My sign-in code is refused.');
    const row = a.locator(`[data-ticket="${ticket.number}"]`);
    await expect.poll(() => row.count(), POLL).toBe(1);
    await expect.poll(async () => Number(await a.locator('[data-count="unassigned"]').textContent()), POLL).toBe(before + 1);

    await row.getByRole('link', { name: 'Live queue check' }).click();
    await a.waitForURL(`**/staff/tickets/${ticket.number}`);
    await waitForHydration(a);

    // A second agent opens the same ticket: each sees the other.
    const b = await pageOf(bert);
    await visit(b, `/staff/tickets/${ticket.number}`);
    await expect.poll(() => b.locator('[data-viewing]').textContent(), POLL).toContain('Agnes Agent');
    await expect.poll(() => a.locator('[data-viewing]').textContent(), POLL).toContain('Bert Agent');

    await a.getByRole('button', { name: 'Claim' }).click();
    await a.waitForURL(`**/staff/tickets/${ticket.number}?done=claimed`);
    await waitForHydration(a);
    await expect.poll(() => a.getByText('You claimed this ticket.').count(), POLL).toBe(1);
    await expect.poll(() => b.locator('[data-status]').textContent(), POLL).toBe('Open');
    await expect.poll(() => b.locator('[data-live-assignee]').textContent(), POLL).toBe('Agnes Agent');

    // Typing shows on the other agent's screen.
    const box = a.getByLabel('Message', { exact: true });
    await box.click();
    await box.pressSequentially('Please try the code from your', { delay: 5 });
    await expect.poll(() => b.locator('[data-typing]').first().textContent(), POLL).toContain('Agnes Agent is typing');
    await box.pressSequentially(' authenticator app again.');
    await a.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(`**/staff/tickets/${ticket.number}?done=replied`);
    await waitForHydration(a);
    await expect.poll(() => b.locator('[data-conversation]').textContent(), POLL).toContain('authenticator app again.');

    // The form is ready only when both the mode and the text hold (a page still hydrating may reset them).
    const noteText = 'Checked the log: clock drift on their phone.';
    await expect
      .poll(async () => {
        await a.getByLabel('Internal note (staff only)').check();
        if ((await a.getByLabel('Message', { exact: true }).inputValue()) !== noteText) await a.getByLabel('Message', { exact: true }).fill(noteText);
        return (await a.getByLabel('Internal note (staff only)').isChecked()) && (await a.getByLabel('Message', { exact: true }).inputValue()) === noteText;
      }, POLL)
      .toBe(true);
    await a.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(`**/staff/tickets/${ticket.number}?done=noted`);
    const note = a.locator('[data-internal="true"]');
    await expect.poll(() => note.textContent(), POLL).toContain('clock drift');
    expect(await note.textContent()).toContain('Internal note');
    await expect.poll(() => b.locator('[data-internal="true"]').textContent(), POLL).toContain('clock drift');

    const [stored] = await query(server.dbUrl, 'SELECT status, assignee_id FROM tickets WHERE id = ?', [ticket.id]);
    expect(stored).toMatchObject({ status: 'open', assignee_id: agnes.id });
  });
});

describe('N3: the console passes axe in nl, en and fr', () => {
  for (const [lang, colorScheme] of [['nl', 'light'], ['en', 'light'], ['fr', 'light'], ['nl', 'dark'], ['en', 'dark'], ['fr', 'dark']] as const) {
    test(`N3: queue, ticket, canned replies and admin pages pass axe in ${lang} (${colorScheme} mode)`, { timeout: 60_000 }, async () => {
      await write(server.dbUrl, 'UPDATE users SET locale = ? WHERE id = ?', [lang, ada.id]);
      const ticket = await openTicket(server.dbUrl, customer.device, `Axe check ${lang} ${colorScheme}`, 'Some text with a link https://example.com/x');
      await ada.device.post('/staff/canned', { action: 'create', locale: 'en', title: `Canned ${lang} ${colorScheme}`, body: 'Hello!' });
      await ada.device.post(`/staff/tickets/${ticket.number}`, { action: 'note', body: 'An internal note.' });
      const page = await pageOf(ada, { locale: lang, colorScheme });
      const problems: string[] = [];
      for (const path of ['/staff', '/staff?view=open&q=axe', `/staff/tickets/${ticket.number}`, `/staff/tickets/${ticket.number}?kbq=password`, '/staff/canned', '/staff/admin/staff', '/staff/admin/security']) {
        await visit(page, path);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const found = await seriousViolations(page);
        if (found.length) problems.push(formatFindings(`${lang} ${path}`, found));
      }
      expect(problems, `axe violations:\n${problems.join('\n')}`).toEqual([]);
    });
  }
});

describe('S2: canned replies and knowledge-base links go into the reply without a reload', () => {
  test('S2: picking a canned reply (ticket language only) and a KB entry found in the ticket language inserts their text at the cursor', { timeout: 60_000 }, async () => {
    await agnes.device.post('/staff/canned', { action: 'create', locale: 'nl', title: 'Tijd van je telefoon', body: 'Controleer of de tijd van je telefoon automatisch wordt ingesteld.' });
    await agnes.device.post('/staff/canned', { action: 'create', locale: 'fr', title: 'Heure du téléphone', body: 'Vérifiez l’heure.' });
    const ticket = await openTicket(server.dbUrl, customer.device, 'Code geweigerd', 'Mijn code werkt niet.', 'nl');
    const a = await pageOf(agnes);
    await visit(a, `/staff/tickets/${ticket.number}`);
    const select = a.getByLabel('Canned reply (Dutch)');
    expect(await select.locator('option').allTextContents()).toContain('Tijd van je telefoon');
    expect(await select.locator('option').allTextContents()).not.toContain('Heure du téléphone');
    const box = a.getByLabel('Message', { exact: true });
    await box.fill('Hallo,');
    await select.selectOption({ label: 'Tijd van je telefoon' });
    await a.getByRole('button', { name: 'Insert canned reply' }).click();
    expect(a.url()).toBe(`${server.origin}/staff/tickets/${ticket.number}`); // no navigation
    await expect.poll(() => box.inputValue(), POLL).toBe('Hallo, Controleer of de tijd van je telefoon automatisch wordt ingesteld.');

    await a.getByLabel('Link to a help article (Dutch)').fill('wachtwoord');
    await a.getByRole('button', { name: 'Search articles' }).click();
    const hits = a.locator('[data-kb-hits] li');
    await expect.poll(() => hits.count(), POLL).toBeGreaterThan(0);
    const url = (await hits.first().locator('code').textContent())!;
    expect(url).toMatch(new RegExp(`^${server.origin}/nl/`));
    await hits.first().getByRole('link', { name: 'Insert link' }).click();
    await expect.poll(() => box.inputValue(), POLL).toContain(url);
    expect(a.url()).toBe(`${server.origin}/staff/tickets/${ticket.number}`);
  });
});

describe('S2: what the agent chose stays chosen while the console updates itself', () => {
  test('S2: "Internal note" and a typed knowledge-base query survive the console\'s once-a-second redraw; the note is stored as internal and never reaches the customer', { timeout: 60_000 }, async () => {
    const ticket = await openTicket(server.dbUrl, customer.device, 'Mode keeps', 'Please help.');
    const a = await pageOf(agnes);
    await visit(a, `/staff/tickets/${ticket.number}`);
    await waitForHydration(a);
    const note = a.getByLabel('Internal note (staff only)');
    await note.check();
    await a.getByLabel('Message', { exact: true }).fill('Internal: customer is on an old app version.');
    await a.getByLabel('Link to a help article (English)').fill('passw');
    await a.waitForTimeout(2_500); // two redraws at least
    expect(await note.isChecked()).toBe(true);
    expect(await a.getByLabel('Link to a help article (English)').inputValue()).toBe('passw');
    await a.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(`**/staff/tickets/${ticket.number}?done=noted`);
    const [row] = await query(server.dbUrl, "SELECT internal FROM ticket_messages WHERE body = 'Internal: customer is on an old app version.'");
    expect(row!.internal).toBe(1);
    expect(await (await customer.device.get(`/en/support/tickets/${ticket.number}`)).text()).not.toContain('old app version');
  });
});

describe('N3: the console on a phone', () => {
  test('N3: queue, ticket and canned pages have no horizontal scrolling at 360 px (tables scroll in their own box)', { timeout: 60_000 }, async () => {
    await write(server.dbUrl, 'UPDATE users SET locale = ? WHERE id = ?', ['en', ada.id]);
    // A public sender this time (T6), so the signed-in customer stays well inside their hourly ticket limit.
    const ticket = await openTicket(server.dbUrl, new Device(server.origin), 'Phone layout check with a rather long subject line to wrap', 'https://example.com/a/very/long/link/that/must/wrap/somewhere/instead/of/widening/the/page', 'en', { email: 'walker@example.com', name: 'Walker' });
    const page = await pageOf(ada, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    for (const path of ['/staff?view=open', `/staff/tickets/${ticket.number}`, '/staff/canned', '/staff/admin/staff']) {
      await visit(page, path);
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, path).toBeLessThanOrEqual(widths.view);
    }
  });
});
