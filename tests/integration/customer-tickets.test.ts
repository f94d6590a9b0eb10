// T1–T4 / T7 / K6 / A2 against the real built server: the signed-in start form (bad input and
// cross-site posts write nothing; anonymous and unverified are refused), the customer's own ticket
// pages and stream (another customer gets 404; internal notes never reach the customer), replies
// (a reply reopens a resolved ticket; closed tickets refuse), rating, deflection recording, and the
// SSE stream resuming after Last-Event-ID with exactly the missed events.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { createSession } from '../../src/server/auth/session.ts';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { addMessage, ticketByNumber } from '../../src/server/tickets/tickets.ts';
import { setTicketStatus } from '../../src/server/tickets/workflow.ts';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let db: Db;
const PASSWORD = 'Quiet-Harbour-63';
const ENTRY = 'password-requirements';
const AREA = 'account-security';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
  db = await openDatabase({ url: server.dbUrl });
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

let serial = 0;
async function signedInDevice(): Promise<{ device: Device; email: string; id: string }> {
  const email = `customer-${++serial}-${randomId().slice(0, 6)}@example.com`;
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: `Cleo ${serial}`, email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
  await device.post('/en/login', { step: 'email', email });
  expect((await device.post('/en/login', { step: 'password', email, password: PASSWORD })).status).toBe(303);
  const [row] = await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]);
  return { device, email, id: String(row!.id) };
}
const startForm = (over: Record<string, string> = {}) => ({ subject: 'Cannot change my password', area: AREA, message: 'The new password is refused every time.', ...over });

async function counts() {
  const [row] = await query(server.dbUrl, `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_messages) AS messages, (SELECT count(*) FROM ticket_events) AS events, (SELECT count(*) FROM ticket_deflections) AS deflections`);
  return { tickets: Number(row!.tickets), messages: Number(row!.messages), events: Number(row!.events), deflections: Number(row!.deflections) };
}

/** Starts a ticket through the form; returns its number and id. */
async function startTicket(device: Device, lang = 'en', over: Record<string, string> = {}) {
  const res = await device.post(`/${lang}/support/tickets/new`, startForm(over));
  expect(res.status).toBe(303);
  const number = Number(/\/support\/tickets\/(\d+)\?created=1$/.exec(res.headers.get('location')!)![1]);
  return (await ticketByNumber(db, number))!;
}

interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown> | null;
}
/** Reads a ticket's stream until `done` holds (or 3 s pass), then hangs up. */
async function readStream(device: Device, ticketId: string, { lastEventId, query = '', done }: { lastEventId?: number; query?: string; done: (events: SseEvent[]) => boolean }) {
  const controller = new AbortController();
  const cookie = [...device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${server.origin}/api/tickets/${ticketId}/events${query}`, {
    signal: controller.signal,
    headers: { Cookie: cookie, 'X-Forwarded-For': device.ip, ...(lastEventId !== undefined ? { 'Last-Event-ID': String(lastEventId) } : {}) },
  });
  const events: SseEvent[] = [];
  if (res.status !== 200 || !res.body) return { status: res.status, events, text: await res.text() };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 3000);
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const lines = block.split('\n');
        const field = (name: string) => lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
        const event = field('event')[0];
        if (!event) continue;
        events.push({ id: field('id')[0], event, data: JSON.parse(field('data').join('\n')) });
      }
    }
  } catch {
    /* aborted at the deadline */
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return { status: res.status, events, text: '' };
}

describe('T1 / T7 / N2: the start form refuses what it must and writes nothing', () => {
  test('T7 / N2: empty, whitespace-only, over-long, unknown-area and unknown-entry posts get a localized 400 and write nothing', async () => {
    const { device } = await signedInDevice();
    const before = await counts();
    const cases: [Record<string, string>, RegExp][] = [
      [{ subject: '', area: '', message: '' }, /Please fill in this field/],
      [startForm({ subject: '  \t ' }), /Please fill in this field/],
      [startForm({ message: ' \n\n ' }), /Please fill in this field/],
      [startForm({ message: 'x'.repeat(10_001) }), /too long: use at most 10,000 characters/],
      [startForm({ subject: 's'.repeat(201) }), /Use at most 200 characters/],
      [startForm({ area: '' }), /Choose an area/],
      [startForm({ area: 'no-such-area' }), /Choose one of the areas in the list/],
      [startForm({ entry: 'no-such-entry' }), /could not be found/],
    ];
    for (const [form, message] of cases) {
      const res = await device.post('/en/support/tickets/new', form);
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    const fr = await device.post('/fr/support/tickets/new', startForm({ message: '' }));
    expect(fr.status).toBe(400);
    expect(await fr.text()).toContain('Veuillez remplir ce champ');
    expect(await counts()).toEqual(before);
  });

  test('A21 / V3.5.1: a cross-site start post (foreign or missing Origin) is refused with 403 and writes nothing', async () => {
    const { device } = await signedInDevice();
    const before = await counts();
    for (const origin of ['https://evil.example', undefined]) {
      const cookie = [...device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(`${server.origin}/en/support/tickets/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}) },
        body: new URLSearchParams(startForm()).toString(),
      });
      expect(res.status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  test('T1 / A2: without a session, or with a session planted for an unverified account, starting a ticket and changing settings are refused and write nothing', async () => {
    const before = await counts();
    const anonymous = new Device(server.origin);
    expect((await anonymous.post('/en/support/tickets/new', startForm())).status).toBe(401);
    const settings = await anonymous.post('/en/account', { action: 'profile', name: 'Changed', timeZone: 'UTC', region: 'en-GB', locale: 'en' });
    expect(settings.status).toBe(302);
    expect(settings.headers.get('location')).toMatch(/^\/en\/login\?next=/);

    // An account that registered but never verified its email: it cannot sign in, and even a
    // session row written straight into the database is refused (and removed) on first use.
    const email = `unverified-${randomId().slice(0, 6)}@example.com`;
    await new Device(server.origin).post('/en/signup', { name: 'Una Verified', email, password: PASSWORD });
    const [row] = await query(server.dbUrl, 'SELECT id, name, email_verified_at FROM users WHERE email = ?', [email]);
    expect(row!.email_verified_at).toBeNull();
    const { token, session } = await createSession(db, { id: String(row!.id), role: 'customer' }, { ip: '198.51.100.1', userAgent: 'test', twoFactorVerified: true });
    const planted = new Device(server.origin);
    planted.cookies.set('session', token);
    expect((await planted.post('/en/support/tickets/new', startForm())).status).toBe(401);
    planted.cookies.set('session', token);
    const change = await planted.post('/en/account', { action: 'profile', name: 'Changed', timeZone: 'UTC', region: 'en-GB', locale: 'en' });
    expect(change.status).toBe(302);
    expect(change.headers.get('location')).toMatch(/^\/en\/login/);
    planted.cookies.set('session', token);
    const box = await (await planted.get(`/en/${AREA}/${ENTRY}`)).text();
    expect(box).toContain('You must be signed in to start a support ticket.');
    expect(box).not.toContain('name="subject"');
    expect((await db.select({ name: users.name }).from(users).where(eq(users.id, String(row!.id))))[0]!.name).toBe('Una Verified');
    expect(await query(server.dbUrl, 'SELECT id FROM sessions WHERE id = ?', [session.id])).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});

describe('T1 / T2 / K6: a signed-in customer starts a ticket', () => {
  test('T1 / T3: the box on a help page says welcome back, shows the start form and whether an agent is online', async () => {
    const { device } = await signedInDevice();
    const res = await device.get(`/en/${AREA}/${ENTRY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('loket-cache')).not.toBe('hit');
    const html = await res.text();
    expect(html).toContain('Welcome back. Start a ticket or leave your question.');
    expect(html).toContain('action="/en/support/tickets/new"');
    expect(html).toContain('No agent is online right now — the answer will also come by email');
    const nl = await (await device.get(`/nl/${AREA}/${ENTRY}`)).text();
    expect(nl).toContain('Er is nu geen medewerker online');
  });

  test('T2 / K6: the ticket carries the area, the page language, the entry and topic "question"; the draft\'s opened suggestions get its id', async () => {
    const { device, id, email } = await signedInDevice();
    const draft = randomId().slice(0, 24);
    expect((await device.post('/api/tickets/deflections', { draft, entry: 'set-up-2fa', lang: 'fr' })).status).toBe(204);
    const box = await (await device.get(`/fr/${AREA}/${ENTRY}?entry=${ENTRY}`)).text();
    expect(box).toContain(`name="entry" value="${ENTRY}"`);
    // K6: a signed-in "No" leads to the live ticket form, which shows the entry's question as context.
    const vote = await device.post('/api/feedback', { entry: ENTRY, lang: 'fr', helpful: 'no' });
    const afterNo = await (await device.get(vote.headers.get('location')!)).text();
    expect(afterNo).toContain(`href="/fr/support/tickets/new?entry=${ENTRY}"`);
    const form = await (await device.get(`/fr/support/tickets/new?entry=${ENTRY}`)).text();
    expect(form).toContain('Votre question porte sur cette réponse');
    expect(form).toContain(`name="entry" value="${ENTRY}"`);
    const ticket = await startTicket(device, 'fr', { entry: ENTRY, draft });
    expect(ticket).toMatchObject({ customerId: id, senderEmail: email, unverifiedSender: false, topic: 'question', locale: 'fr', areaSlug: AREA, contextEntrySlug: ENTRY, status: 'new' });
    const rows = await query(server.dbUrl, 'SELECT ticket_id FROM ticket_deflections WHERE draft_id = ?', [draft]);
    expect(rows.map((r) => r.ticket_id)).toEqual([ticket.id]);
    const page = await device.get(`/fr/support/tickets/${ticket.number}?created=1`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('The new password is refused every time.');
    expect(html).toContain('Nouveau');
    const list = await (await device.get('/fr/support/tickets')).text();
    expect(list).toContain(`/fr/support/tickets/${ticket.number}`);
  });

  test('T2: the deflection endpoint refuses anonymous, cross-site and malformed posts, and counts one row per draft and entry', async () => {
    const { device } = await signedInDevice();
    const before = await counts();
    const draft = randomId().slice(0, 24);
    expect((await new Device(server.origin).post('/api/tickets/deflections', { draft, entry: ENTRY, lang: 'en' })).status).toBe(401);
    expect((await device.post('/api/tickets/deflections', { draft, entry: ENTRY, lang: 'en' }, { Origin: 'https://evil.example' })).status).toBe(403);
    for (const bad of [{ draft: 'short', entry: ENTRY, lang: 'en' }, { draft, entry: '../x', lang: 'en' }, { draft, entry: ENTRY, lang: 'de' }, { draft, entry: '', lang: 'en' }]) {
      expect((await device.post('/api/tickets/deflections', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await device.post('/api/tickets/deflections', { draft, entry: 'no-such-entry', lang: 'en' })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await device.post('/api/tickets/deflections', { draft, entry: ENTRY, lang: 'en' })).status).toBe(204);
    expect((await device.post('/api/tickets/deflections', { draft, entry: ENTRY, lang: 'en' })).status).toBe(204);
    expect((await counts()).deflections).toBe(before.deflections + 1);
  });
});

describe('T2 / S2: customers see only their own tickets, and never an internal note', () => {
  test('T2: customer B gets 404 for A\'s ticket page, reply, rating, typing and SSE stream; anonymous is sent to sign in', async () => {
    const a = await signedInDevice();
    const b = await signedInDevice();
    const ticket = await startTicket(a.device);
    const before = await counts();
    expect((await b.device.get(`/en/support/tickets/${ticket.number}`)).status).toBe(404);
    expect((await b.device.get(`/en/support/tickets/999999`)).status).toBe(404);
    expect((await b.device.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: 'Let me in' })).status).toBe(404);
    expect((await b.device.post(`/en/support/tickets/${ticket.number}`, { action: 'rate', rating: 'bad' })).status).toBe(404);
    expect((await b.device.post(`/api/tickets/${ticket.id}/typing`, {})).status).toBe(404);
    expect((await readStream(b.device, ticket.id, { done: () => true })).status).toBe(404);
    const list = await (await b.device.get('/en/support/tickets')).text();
    expect(list).not.toContain(ticket.subject);
    expect(list).toContain('You have no support tickets yet.');
    const anonymous = new Device(server.origin);
    expect((await anonymous.get(`/en/support/tickets/${ticket.number}`)).status).toBe(302);
    expect((await anonymous.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: 'x' })).status).toBe(401);
    expect((await readStream(anonymous, ticket.id, { done: () => true })).status).toBe(401);
    expect(await counts()).toEqual(before);
    // A's own stream and typing signal work.
    expect((await a.device.post(`/api/tickets/${ticket.id}/typing`, {})).status).toBe(204);
    const own = await readStream(a.device, ticket.id, { done: (e) => e.some((x) => x.event === 'created') });
    expect(own.events.map((e) => e.event)).toEqual(['hello', 'created']);
  });

  test('S2: an internal note never reaches the customer\'s page or stream; the agent\'s reply does', async () => {
    const a = await signedInDevice();
    const ticket = await startTicket(a.device);
    const agentId = randomId();
    await db.insert(users).values({ id: agentId, email: `agent-${agentId}@example.com`, name: 'Ada Agent', username: `agent-${agentId.slice(0, 6)}`, passwordHash: 'x', role: 'agent', emailVerifiedAt: 1 });
    expect((await addMessage(db, { ticketId: ticket.id, authorId: agentId, authorKind: 'agent', body: 'SECRET-NOTE: customer seems confused', internal: true })).ok).toBe(true);
    expect((await addMessage(db, { ticketId: ticket.id, authorId: agentId, authorKind: 'agent', body: 'Hello! Try https://example.com/help <b>now</b>.' })).ok).toBe(true);
    const html = await (await a.device.get(`/en/support/tickets/${ticket.number}`)).text();
    expect(html).not.toContain('SECRET-NOTE');
    expect(html).toContain('Ada Agent');
    expect(html).toContain('&lt;b&gt;now&lt;/b&gt;'); // T7: text, never markup
    expect(html).toContain('href="https://example.com/help"');
    const stream = await readStream(a.device, ticket.id, { done: (e) => e.filter((x) => x.event === 'message').length >= 1 && e.length >= 3 });
    expect(JSON.stringify(stream.events)).not.toContain('SECRET-NOTE');
    expect(stream.events.map((e) => e.event)).toEqual(['hello', 'created', 'message']);
    expect(stream.events.every((e) => e.data === null || (e.data as { internal?: boolean }).internal !== true)).toBe(true);
  });
});

describe('T3 / T4 / T7: the conversation', () => {
  test('T3: the customer\'s typing reaches the agents\' stream of the ticket, at most once a second, and is never stored', async () => {
    const a = await signedInDevice();
    const ticket = await startTicket(a.device);
    const agentId = randomId();
    await db.insert(users).values({ id: agentId, email: `agent-${agentId}@example.com`, name: 'Ada Agent', username: `agent-${agentId.slice(0, 6)}`, passwordHash: 'x', role: 'agent', emailVerifiedAt: 1, totpEnabledAt: 1 });
    const { token } = await createSession(db, { id: agentId, role: 'agent' }, { ip: '198.51.100.9', userAgent: 'test', twoFactorVerified: true });
    const agent = new Device(server.origin);
    agent.cookies.set('session', token);
    const before = await counts();
    const watching = readStream(agent, ticket.id, { done: (e) => e.filter((x) => x.event === 'typing').length >= 3 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await a.device.post(`/api/tickets/${ticket.id}/typing`, {})).status).toBe(204);
    expect((await a.device.post(`/api/tickets/${ticket.id}/typing`, {})).status).toBe(204);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await a.device.post(`/api/tickets/${ticket.id}/typing`, {})).status).toBe(204);
    const typing = (await watching).events.filter((e) => e.event === 'typing');
    expect(typing.map((e) => ({ id: e.id, who: e.data?.who }))).toEqual([{ id: undefined, who: 'customer' }, { id: undefined, who: 'customer' }]);
    expect(await counts()).toEqual(before);
  });

  test('T7 / T4: an empty or over-long reply is refused with its error and writes nothing; a reply reopens a resolved ticket; a closed ticket refuses politely', async () => {
    const a = await signedInDevice();
    const ticket = await startTicket(a.device);
    const before = await counts();
    const empty = await a.device.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Please fill in this field.');
    const long = await a.device.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: 'y'.repeat(10_001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('too long: use at most 10,000 characters');
    expect(await counts()).toEqual(before);

    await setTicketStatus(db, { id: 'system', role: 'agent' }, ticket.id, 'resolved');
    const reply = await a.device.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: 'It happened again.' });
    expect(reply.status).toBe(303);
    expect((await ticketByNumber(db, ticket.number))!).toMatchObject({ status: 'open', resolvedAt: null });

    await query(server.dbUrl, "UPDATE tickets SET status = 'closed' WHERE id = ?", [ticket.id]);
    const mid = await counts();
    const closed = await a.device.post(`/en/support/tickets/${ticket.number}`, { action: 'reply', message: 'Hello?' });
    expect(closed.status).toBe(409);
    const text = await closed.text();
    expect(text).toContain('This ticket is closed and takes no more replies.');
    expect(text).not.toContain('name="message"');
    expect(await counts()).toEqual(mid);
  });

  test('T4: rating is refused before resolution and for a bad value or over-long comment; after resolution good or bad with a comment is kept', async () => {
    const a = await signedInDevice();
    const ticket = await startTicket(a.device);
    const path = `/en/support/tickets/${ticket.number}`;
    const early = await a.device.post(path, { action: 'rate', rating: 'good' });
    expect(early.status).toBe(409);
    expect(await early.text()).not.toContain('How was our help?'); // no rating form before resolution
    await setTicketStatus(db, { id: 'system', role: 'agent' }, ticket.id, 'resolved');
    const page = await (await a.device.get(path)).text();
    expect(page).toContain('How was our help?');
    expect((await a.device.post(path, { action: 'rate', rating: 'great' })).status).toBe(400);
    const long = await a.device.post(path, { action: 'rate', rating: 'bad', comment: 'c'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('Use at most 1,000 characters.');
    expect((await ticketByNumber(db, ticket.number))!.rating).toBeNull();
    const ok = await a.device.post(path, { action: 'rate', rating: 'bad', comment: 'Took long.' });
    expect(ok.status).toBe(303);
    expect(await ticketByNumber(db, ticket.number)).toMatchObject({ rating: 'bad', ratingComment: 'Took long.' });
    expect(await (await a.device.get(`${path}?rated=1`)).text()).toContain('Your rating: Bad');
  });

  test('T3: the stream resumes after Last-Event-ID with exactly the missed events, in order', async () => {
    const a = await signedInDevice();
    const ticket = await startTicket(a.device);
    for (let i = 1; i <= 4; i++) await addMessage(db, { ticketId: ticket.id, authorId: a.id, authorKind: 'customer', body: `message ${i}` });
    const all = await readStream(a.device, ticket.id, { done: (e) => e.filter((x) => x.id).length >= 5 });
    expect(all.events.filter((e) => e.id).map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5]);
    const resumed = await readStream(a.device, ticket.id, { lastEventId: 3, done: (e) => e.filter((x) => x.id).length >= 2 });
    const ids = resumed.events.filter((e) => e.id);
    expect(ids.map((e) => Number(e.id))).toEqual([4, 5]);
    expect(ids.map((e) => (e.data as { body: string }).body)).toEqual(['message 3', 'message 4']);
    // The page starts at ?lastEventId= (its rendered position); a reconnect's Last-Event-ID header wins over it.
    const fromPage = await readStream(a.device, ticket.id, { query: '?lastEventId=4', done: (e) => e.filter((x) => x.id).length >= 1 });
    expect(fromPage.events.filter((e) => e.id).map((e) => Number(e.id))).toEqual([5]);
    const reconnect = await readStream(a.device, ticket.id, { query: '?lastEventId=1', lastEventId: 4, done: (e) => e.filter((x) => x.id).length >= 1 });
    expect(reconnect.events.filter((e) => e.id).map((e) => Number(e.id))).toEqual([5]);
  });
});
