// T1–T3 / K7 / N3 in real Chromium: a signed-in customer opens a ticket from a help page, sees
// matching entries suggested while typing (opening one is recorded for the draft), lands on the
// ticket page; an agent's typing and reply (server functions run inside the server's process)
// appear live without a reload; axe-core finds nothing serious on the box, the list and the ticket
// page in nl, en and fr.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomId } from '../../src/server/auth/crypto.ts';
import { Device, latestMail, query } from '../helpers/http.ts';
import { AGENT_SERVER, startServer, type RunningServer } from '../helpers/server.ts';
import { formatFindings, launchBrowser, POLL, seriousViolations, waitForHydration } from './browser.ts';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const PASSWORD = 'Quiet-Harbour-63';
const ENTRY_PATH = 'account-security/password-requirements';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({}, { script: AGENT_SERVER }), launchBrowser()]);
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.stop();
});

/** A verified customer signed in over HTTP; the browser context gets the session cookie. */
async function customerPage(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; userId: string }> {
  const email = `e2e-${randomId().slice(0, 8)}@example.com`;
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: 'Cleo Customer', email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  await device.post('/en/verify', { action: 'code', code });
  await device.post('/en/login', { step: 'email', email });
  expect((await device.post('/en/login', { step: 'password', email, password: PASSWORD })).status).toBe(303);
  const context = await browser.newContext({ baseURL: server.origin, colorScheme });
  contexts.push(context);
  await context.addCookies([...device.cookies].map(([name, value]) => ({ name, value, url: server.origin })));
  const [row] = await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]);
  return { page: await context.newPage(), userId: String(row!.id) };
}

async function makeAgent(): Promise<string> {
  const id = randomId();
  await query(server.dbUrl, `INSERT INTO users (id, email, name, username, password_hash, role, email_verified_at) VALUES (?, ?, 'Ada Agent', ?, 'x', 'agent', 1)`, [id, `agent-${id}@example.com`, `agent-${id.slice(0, 6)}`]);
  return id;
}

describe('T1 / T2 / T3: a customer opens a ticket from a help page and follows it live', () => {
  test('T2 / T3: suggestions while typing, the ticket page after sending, the agent typing, replying and resolving live without a reload, then the rating', { timeout: 60_000 }, async () => {
    const { page } = await customerPage();
    await page.goto(`/en/${ENTRY_PATH}`);
    await waitForHydration(page);
    const box = page.locator('.support-box');
    await expect(box.textContent()).resolves.toContain('Welcome back. Start a ticket or leave your question.');
    await box.getByLabel('Subject').pressSequentially('reset my password', { delay: 10 });
    const suggestions = box.locator('.ticket-suggestions a');
    await expect.poll(() => suggestions.count(), POLL).toBeGreaterThan(0);
    await expect(box.locator('.ticket-suggestions h3').textContent()).resolves.toBe('Does one of these answer your question?');
    // Opening a suggestion (in a new tab) records it for this draft.
    const [popup] = await Promise.all([page.context().waitForEvent('page'), suggestions.first().click()]);
    await popup.close();
    await expect.poll(async () => (await query(server.dbUrl, 'SELECT count(*) AS n FROM ticket_deflections'))[0]!.n, POLL).toBe(1);

    await box.getByLabel('Area').selectOption('account-security');
    await box.getByRole('textbox', { name: 'Your question' }).fill('The reset link says it expired.');
    await box.getByRole('button', { name: 'Start ticket' }).click();
    await page.waitForURL(/\/en\/support\/tickets\/\d+\?created=1$/);
    const number = Number(/tickets\/(\d+)/.exec(page.url())![1]);
    const [ticket] = await query(server.dbUrl, 'SELECT id, area_slug FROM tickets WHERE number = ?', [number]);
    const ticketId = String(ticket!.id);
    expect(ticket!.area_slug).toBe('account-security');
    const [deflection] = await query(server.dbUrl, 'SELECT ticket_id FROM ticket_deflections');
    expect(deflection!.ticket_id).toBe(ticketId); // the draft was sent: no deflection
    await waitForHydration(page);
    await expect(page.locator('.conversation').textContent()).resolves.toContain('The reset link says it expired.');

    // The island's stream is open once the customer counts as watching.
    await expect.poll(async () => (await query(server.dbUrl, 'SELECT count(*) AS n FROM live_presence WHERE channel = ?', [`ticket:${ticketId}:customer`]))[0]!.n, POLL).toBe(1);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const agentId = await makeAgent();
    await server.command({ typing: { ticketId, name: 'Ada Agent' } });
    await expect.poll(() => page.locator('.typing-indicator').textContent(), POLL).toBe('Support is typing…');
    await server.command({ reply: { agentId, ticketId, body: 'Internal: check the mail logs', internal: true, origin: server.origin } });
    const reply = (await server.command({ reply: { agentId, ticketId, body: 'I sent you a new link: https://example.com/reset', origin: server.origin } })) as { emailed: boolean };
    expect(reply.emailed).toBe(false); // T5: the customer is watching, so no email
    await expect.poll(() => page.locator('.conversation li').count(), POLL).toBe(2);
    const conversation = await page.locator('.conversation').textContent();
    expect(conversation).toContain('Ada Agent');
    expect(conversation).toContain('I sent you a new link');
    expect(conversation).not.toContain('Internal: check the mail logs');
    await expect(page.locator('.conversation a[href="https://example.com/reset"]').count()).resolves.toBe(1);
    await expect(page.locator('.typing-indicator').textContent()).resolves.toBe('');
    await expect(page.locator('.status-badge').textContent()).resolves.toBe('Open');
    // T4: resolved by the agent — the status changes live and the customer is offered the rating.
    await server.command({ status: { agentId, ticketId, status: 'resolved' } });
    await expect.poll(() => page.locator('.status-badge').textContent(), POLL).toBe('Resolved');
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await page.getByRole('link', { name: 'This ticket is resolved. Rate our help' }).click();
    await page.getByRole('radio', { name: 'Good' }).check();
    await page.getByLabel('Comment (optional)').fill('Quick and clear.');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(() => page.locator('#rating').textContent(), POLL).toContain('Thank you for your rating.');
    const [rated] = await query(server.dbUrl, 'SELECT rating, rating_comment FROM tickets WHERE id = ?', [ticketId]);
    expect(rated).toMatchObject({ rating: 'good', rating_comment: 'Quick and clear.' });
  });
});

describe('N3: the customer ticket pages are accessible', () => {
  test.each(['light', 'dark'] as const)('N3: axe finds nothing serious on the signed-in box (with suggestions), the tickets list and the ticket page in nl, en and fr (%s)', { timeout: 90_000 }, async (scheme) => {
    const { page, userId } = await customerPage(scheme);
    const findings: string[] = [];
    const check = async (where: string) => {
      const found = await seriousViolations(page);
      if (found.length) findings.push(formatFindings(`${scheme} ${where}`, found));
    };
    await page.goto(`/en/${ENTRY_PATH}`);
    await waitForHydration(page);
    await page.locator('.support-box').getByLabel('Subject').fill('');
    await page.locator('.support-box').getByLabel('Subject').pressSequentially('password', { delay: 10 });
    await expect.poll(() => page.locator('.ticket-suggestions a').count(), POLL).toBeGreaterThan(0);
    await check('/en box with suggestions');
    await page.locator('.support-box').getByLabel('Area').selectOption('account-security');
    await page.locator('.support-box').getByRole('textbox', { name: 'Your question' }).fill('Is my password stored safely?');
    await page.locator('.support-box').getByRole('button').last().click();
    await page.waitForURL(/\/support\/tickets\/\d+/);
    const number = Number(/tickets\/(\d+)/.exec(page.url())![1]);
    const [ticket] = await query(server.dbUrl, 'SELECT id FROM tickets WHERE number = ? AND customer_id = ?', [number, userId]);
    const agentId = await makeAgent();
    await server.command({ reply: { agentId, ticketId: String(ticket!.id), body: 'It is hashed with argon2id.', origin: server.origin } });
    for (const lang of ['nl', 'en', 'fr']) {
      for (const path of [`/${lang}/${ENTRY_PATH}`, `/${lang}/support/tickets`, `/${lang}/support/tickets/${number}`, `/${lang}/support/tickets/new`]) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(200);
        await waitForHydration(page);
        await check(path);
      }
    }
    expect(findings, findings.join('\n')).toEqual([]);
  });
});
