// T3 / T2 / S2 against the real server over raw HTTP: a ticket's live stream (Server-Sent Events)
// resumes with Last-Event-ID after disconnects at random points — 100+ of them per stream while
// messages are being added — and loses nothing, repeats nothing, keeps order (ids contiguous).
// Customer B gets 404 on A's stream, anonymous 401; internal notes never reach the customer's stream.
import { request, type ClientRequest } from 'node:http';
import { describe, expect, test } from 'vitest';
import { replyAsAgent } from '../../src/server/tickets/workflow.ts';
import { query } from '../helpers/http.ts';
import { apiClient, apiKey, person, sessionCookie, type Person, useServer } from './tickets-api-fixtures.ts';

// The resume test posts ~300 messages in a few seconds through the API: above the default per-key limit.
const ctx = useServer({ API_RATE_LIMIT_PER_KEY: '100000', API_RATE_LIMIT_PER_IP: '100000' });

interface SseEvent {
  id?: number;
  event: string;
  data: any;
}

/** A raw SSE reader: only complete events (ended by a blank line) count, as in a browser's EventSource. */
function openStream(path: string, headers: Record<string, string>) {
  const events: SseEvent[] = [];
  let buffer = '';
  let req: ClientRequest | undefined;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(ctx.server.origin + path);
    req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: false }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
        return;
      }
      resolve({ status: 200, body: '' });
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: 'message', data: undefined };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = Number(line.slice(4));
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (!data.length) continue; // retry: and comments
          e.data = JSON.parse(data.join('\n'));
          events.push(e);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    req.end();
  });
  return { events, response, close: () => req?.destroy() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(10);
  return check();
}

async function customer() {
  const who = await person(ctx.db, 'customer');
  const api = apiClient(ctx.server.origin, await apiKey(ctx.db, who));
  const cookie = await sessionCookie(ctx.db, who);
  return { who, api, cookie };
}
async function ticketOf(api: ReturnType<typeof apiClient>, subject = 'Live') {
  const res = await api.post('/api/v1/tickets', { subject, body: `${subject}: first message` });
  expect(res.status, res.text).toBe(201);
  const number = res.json.number as number;
  const id = String((await query(ctx.server.dbUrl, 'SELECT id FROM tickets WHERE number = ?', [number]))[0]!.id);
  return { number, id };
}
/** The customer-visible record of a ticket, in order: what the customer's stream must deliver. */
const customerRecord = async (ticketId: string) =>
  (await query(ctx.server.dbUrl, 'SELECT customer_seq, type, data FROM ticket_events WHERE ticket_id = ? AND customer_seq IS NOT NULL ORDER BY customer_seq', [ticketId])).map((r) => ({
    id: Number(r.customer_seq),
    event: String(r.type),
    body: (JSON.parse(String(r.data)) as { body?: string }).body,
  }));

describe('T3: resuming with Last-Event-ID loses and duplicates nothing', () => {
  test('T3: 100+ random disconnects per stream while messages are added — every event exactly once, in order, ids contiguous', { timeout: 120_000 }, async () => {
    const streams = await Promise.all([0, 1].map(async (i) => ({ ...(await customer()), ticket: undefined as undefined | { number: number; id: string }, i })));
    for (const s of streams) s.ticket = await ticketOf(s.api, `Ticket ${s.i}`);
    const agent: Person = await person(ctx.db, 'agent', { name: 'Agent Live' });
    const MESSAGES = 150;
    let writing = true;

    // Writers: customer posts through the API (each acknowledged 201), plus, written straight to
    // the database by another process, agent replies (the server hears of those only through the
    // record: a gap it must read) and internal notes (never for the customer).
    const writer = async (s: (typeof streams)[number]) => {
      for (let n = 0; n < MESSAGES; n++) {
        if (n % 10 === 5) expect(await replyAsAgent(ctx.db, agent, s.ticket!.id, `reply ${s.i}/${n}`, { origin: ctx.server.origin })).toMatchObject({ ok: true });
        else if (n % 10 === 7) expect(await replyAsAgent(ctx.db, agent, s.ticket!.id, `NOTE ${s.i}/${n}`, { internal: true, origin: ctx.server.origin })).toMatchObject({ ok: true });
        else expect((await s.api.post(`/api/v1/tickets/${s.ticket!.number}/messages`, { body: `msg ${s.i}/${n}` })).status).toBe(201);
        await sleep(Math.random() * 12);
      }
    };
    const reader = async (s: (typeof streams)[number]) => {
      const got: SseEvent[] = [];
      let last = 0;
      let disconnects = 0;
      let withEvents = 0;
      // Disconnect at random moments (often in the middle of an event) until the writers are done and 100 disconnects happened.
      while (writing || disconnects < 100) {
        const headers: Record<string, string> = { Cookie: s.cookie, Accept: 'text/event-stream' };
        if (last > 0) headers['Last-Event-ID'] = String(last);
        const stream = openStream(`/api/tickets/${s.ticket!.id}/events`, headers);
        expect((await stream.response).status).toBe(200);
        await sleep(Math.random() * 40);
        stream.close();
        disconnects++;
        if (stream.events.some((x) => x.id !== undefined)) withEvents++;
        for (const e of stream.events.filter((x) => x.id !== undefined)) {
          got.push(e);
          last = e.id!;
        }
      }
      // Finally stay connected until the record is complete.
      const record = await customerRecord(s.ticket!.id);
      const final = openStream(`/api/tickets/${s.ticket!.id}/events`, { Cookie: s.cookie, 'Last-Event-ID': String(last) });
      expect((await final.response).status).toBe(200);
      await until(() => last + final.events.filter((e) => e.id !== undefined).length >= record.length);
      await sleep(200); // anything extra (a duplicate) would arrive now
      final.close();
      got.push(...final.events.filter((e) => e.id !== undefined));
      return { got, disconnects, withEvents, record };
    };

    const readers = streams.map(reader);
    await Promise.all(streams.map(writer));
    writing = false;
    const results = await Promise.all(readers);

    for (const [i, { got, disconnects, withEvents, record }] of results.entries()) {
      expect(disconnects).toBeGreaterThanOrEqual(100);
      // the resumes were real: many connections delivered events before being cut
      expect(withEvents).toBeGreaterThanOrEqual(30);
      // every customer-visible event: the first message, 120 customer posts, 15 agent replies (+ the status change to open)
      expect(record.filter((r) => r.event === 'message').length).toBe(MESSAGES - MESSAGES / 10);
      expect(got.map((e) => e.id)).toEqual(record.map((r) => r.id)); // exactly once, in order
      expect(got.map((e) => e.id)).toEqual(Array.from({ length: record.length }, (_, k) => k + 1)); // contiguous from 1
      expect(got.map((e) => [e.event, e.data.body])).toEqual(record.map((r) => [r.event, r.body]));
      expect(got.every((e) => e.data.internal !== true && !String(e.data.body ?? '').startsWith('NOTE'))).toBe(true);
      expect(got.every((e) => e.data.ticketId === streams[i]!.ticket!.id)).toBe(true);
      // the customer's own posts arrive in the order they were acknowledged
      const own = got.filter((e) => String(e.data.body).startsWith('msg ')).map((e) => Number(String(e.data.body).split('/')[1]));
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
  });

  test('T3: ?lastEventId= resumes like the header', async () => {
    const { api, cookie } = await customer();
    const { id, number } = await ticketOf(api);
    for (let n = 0; n < 3; n++) expect((await api.post(`/api/v1/tickets/${number}/messages`, { body: `m${n}` })).status).toBe(201);
    const stream = openStream(`/api/tickets/${id}/events?lastEventId=2`, { Cookie: cookie });
    expect((await stream.response).status).toBe(200);
    expect(await until(() => stream.events.filter((e) => e.id).length >= 2)).toBe(true);
    await sleep(100);
    stream.close();
    expect(stream.events.filter((e) => e.id).map((e) => [e.id, e.data.body])).toEqual([
      [3, 'm1'],
      [4, 'm2'],
    ]);
  });
});

describe('T2 / S2: who gets a ticket\'s stream, and what is in it', () => {
  test('T2: customer B gets 404 on A\'s stream — like a ticket that does not exist; anonymous 401', async () => {
    const a = await customer();
    const b = await customer();
    const { id } = await ticketOf(a.api, 'A private matter');
    const theirs = await openStream(`/api/tickets/${id}/events`, { Cookie: b.cookie }).response;
    const none = await openStream(`/api/tickets/${'a'.repeat(id.length)}/events`, { Cookie: b.cookie }).response;
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    expect(theirs.body).toBe(none.body);
    expect(theirs.body).not.toContain('private');
    const anonymous = await openStream(`/api/tickets/${id}/events`, {}).response;
    expect(anonymous.status).toBe(401);
    // the owner gets it
    const own = openStream(`/api/tickets/${id}/events`, { Cookie: a.cookie });
    expect((await own.response).status).toBe(200);
    expect(await until(() => own.events.some((e) => e.id === 1))).toBe(true);
    own.close();
    expect(own.events.find((e) => e.id === 1)!.data.subject).toBe('A private matter');
  });

  test('S1 / S2: agents and admins get the ticket\'s staff stream and the queue; an editor gets 404 on the ticket and 403 on the queue, a customer 403 on the queue', async () => {
    const { api } = await customer();
    const { id } = await ticketOf(api, 'Who may watch');
    for (const role of ['agent', 'admin', 'editor'] as const) {
      const cookie = await sessionCookie(ctx.db, await person(ctx.db, role));
      const ticket = openStream(`/api/tickets/${id}/events`, { Cookie: cookie });
      const queue = openStream('/api/staff/events?lastEventId=0', { Cookie: cookie });
      const [t, q] = [await ticket.response, await queue.response];
      if (role === 'editor') {
        expect(t.status, role).toBe(404);
        expect(q.status, role).toBe(403);
        continue;
      }
      expect([t.status, q.status], role).toEqual([200, 200]);
      expect(await until(() => ticket.events.some((e) => e.id === 1) && queue.events.some((e) => e.data?.subject === 'Who may watch'))).toBe(true);
      ticket.close();
      queue.close();
    }
    expect((await openStream('/api/staff/events', {}).response).status).toBe(401);
    const { cookie } = await customer();
    expect((await openStream('/api/staff/events', { Cookie: cookie }).response).status).toBe(403);
  });

  test('S2: an internal note is in the staff stream but never in the customer\'s, live or replayed', async () => {
    const { api, cookie } = await customer();
    const { id, number } = await ticketOf(api, 'Notes');
    const agent = await person(ctx.db, 'agent', { name: 'Agent Notes' });
    const staffCookie = await sessionCookie(ctx.db, agent);
    const live = openStream(`/api/tickets/${id}/events`, { Cookie: cookie });
    expect((await live.response).status).toBe(200);
    expect(await replyAsAgent(ctx.db, agent, id, 'SECRET-NOTE about this customer', { internal: true, origin: ctx.server.origin })).toMatchObject({ ok: true });
    expect(await replyAsAgent(ctx.db, agent, id, 'A public reply', { origin: ctx.server.origin })).toMatchObject({ ok: true });
    expect((await api.post(`/api/v1/tickets/${number}/messages`, { body: 'thanks' })).status).toBe(201);
    expect(await until(() => live.events.some((e) => e.data?.body === 'thanks'))).toBe(true);
    live.close();
    const replay = openStream(`/api/tickets/${id}/events`, { Cookie: cookie, 'Last-Event-ID': '0' });
    const staff = openStream(`/api/tickets/${id}/events`, { Cookie: staffCookie });
    expect((await replay.response).status).toBe(200);
    expect((await staff.response).status).toBe(200);
    expect(await until(() => replay.events.some((e) => e.data?.body === 'thanks') && staff.events.some((e) => e.data?.body === 'thanks'))).toBe(true);
    replay.close();
    staff.close();
    for (const customerView of [live.events, replay.events]) {
      const bodies = customerView.map((e) => e.data?.body);
      expect(bodies).toContain('A public reply');
      expect(JSON.stringify(customerView)).not.toContain('SECRET-NOTE');
    }
    expect(staff.events.map((e) => e.data?.body)).toContain('SECRET-NOTE about this customer');
  });
});
