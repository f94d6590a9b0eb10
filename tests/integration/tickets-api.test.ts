// A17 / T2 / T4 / T7 / S2 against the real server: the tickets API — a customer's own tickets by
// personal API key (Bearer), JSON, never cached. Customer B never learns that A's ticket exists
// (404); internal notes never leave; bad input is a clear 4xx that writes nothing; staff keys and
// keys of unverified, suspended, locked or deleted accounts are refused; rate limits hold.
import { describe, expect, test } from 'vitest';
import { replyAsAgent, setTicketStatus } from '../../src/server/tickets/workflow.ts';
import { query } from '../helpers/http.ts';
import { apiClient, apiKey, person, sessionCookie, type Person, useServer } from './tickets-api-fixtures.ts';

const ctx = useServer();

async function customerWithKey(extra = {}) {
  const who = await person(ctx.db, 'customer', extra);
  return { who, api: apiClient(ctx.server.origin, await apiKey(ctx.db, who)) };
}
async function openTicket(api: ReturnType<typeof apiClient>, subject = 'My printer', body = 'It does not print.') {
  const res = await api.post('/api/v1/tickets', { subject, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { number: number };
}
const ticketIdOf = async (number: number) => String((await query(ctx.server.dbUrl, 'SELECT id FROM tickets WHERE number = ?', [number]))[0]!.id);
const counts = async () => {
  const [t] = await query(ctx.server.dbUrl, 'SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_messages) AS messages, (SELECT count(*) FROM ticket_events) AS events');
  return { tickets: Number(t!.tickets), messages: Number(t!.messages), events: Number(t!.events) };
};
const agentOf = async (): Promise<Person> => person(ctx.db, 'agent', { name: 'Sam Agent' });

describe('A17 / T2: a customer works their own tickets through the API', () => {
  test('T2: POST /api/v1/tickets opens a ticket (201) with the first message; it is the customer\'s, in their language, with the area', async () => {
    const { who, api } = await customerWithKey({ locale: 'fr' });
    const res = await api.post('/api/v1/tickets', { subject: '  Connexion impossible ', body: 'Je ne peux pas me connecter.', area: 'account-security' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ subject: 'Connexion impossible', status: 'new', area: 'account-security', locale: 'fr' });
    expect(res.json.messages).toEqual([expect.objectContaining({ author: 'customer', authorName: who.name, body: 'Je ne peux pas me connecter.' })]);
    const row = (await query(ctx.server.dbUrl, 'SELECT customer_id, sender_email, unverified_sender, topic FROM tickets WHERE number = ?', [res.json.number]))[0]!;
    expect(row).toMatchObject({ customer_id: who.id, sender_email: who.email, unverified_sender: 0, topic: 'question' });
    // an explicit locale wins over the account's
    const en = await api.post('/api/v1/tickets', { subject: 'Second', body: 'In English', locale: 'en' });
    expect(en.json.locale).toBe('en');
    expect(en.json.area).toBeNull();
  });

  test('T2: GET /api/v1/tickets lists only the key owner\'s tickets, most recent activity first, with number, subject, status, area, locale and dates', async () => {
    const a = await customerWithKey();
    const b = await customerWithKey();
    const first = await openTicket(a.api, 'First');
    const second = await openTicket(a.api, 'Second');
    await openTicket(b.api, 'Not yours');
    const res = await a.api.get('/api/v1/tickets');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.tickets.map((t: { number: number }) => t.number)).toEqual([second.number, first.number]);
    expect(Object.keys(res.json.tickets[0]).sort()).toEqual(['area', 'createdAt', 'locale', 'number', 'status', 'subject', 'updatedAt']);
    expect(res.json.tickets[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(res.json)).not.toContain('Not yours');
  });

  test('T2 / S2: GET /api/v1/tickets/{number} gives the conversation in order with agent replies — never an internal note', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api, 'Locked out', 'I am locked out.');
    const agent = await agentOf();
    const id = await ticketIdOf(number);
    expect(await replyAsAgent(ctx.db, agent, id, 'INTERNAL: check the audit log first', { internal: true, origin: ctx.server.origin })).toMatchObject({ ok: true });
    expect(await replyAsAgent(ctx.db, agent, id, 'I have sent you an unlock link.', { origin: ctx.server.origin })).toMatchObject({ ok: true });
    const res = await api.get(`/api/v1/tickets/${number}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ number, subject: 'Locked out', status: 'open' });
    expect(res.json.messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['customer', 'I am locked out.'],
      ['agent', 'I have sent you an unlock link.'],
    ]);
    expect(res.json.messages[1].authorName).toBe('Sam Agent');
    expect(res.text).not.toContain('INTERNAL');
    expect(res.text).not.toContain('internal');
  });

  test('T4 / T7: POST …/messages adds the reply (201, stored once, exactly as acknowledged)', async () => {
    const { who, api } = await customerWithKey();
    const { number } = await openTicket(api);
    const res = await api.post(`/api/v1/tickets/${number}/messages`, { body: '  Still broken: see https://example.com/log  ' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ ticket: number, message: { author: 'customer', authorName: who.name, body: 'Still broken: see https://example.com/log' } });
    const rows = await query(ctx.server.dbUrl, 'SELECT id, body, author_id, internal FROM ticket_messages WHERE ticket_id = ? ORDER BY id', [await ticketIdOf(number)]);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ id: res.json.message.id, body: 'Still broken: see https://example.com/log', author_id: who.id, internal: 0 });
    // exactly 10,000 characters (emoji count as one) is accepted
    const max = await api.post(`/api/v1/tickets/${number}/messages`, { body: '😀'.repeat(10_000) });
    expect(max.status).toBe(201);
  });

  test('T4: a customer reply through the API reopens a resolved or pending ticket', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    const id = await ticketIdOf(number);
    const agent = await agentOf();
    for (const status of ['resolved', 'pending'] as const) {
      expect(await setTicketStatus(ctx.db, agent, id, status)).toMatchObject({ ok: true });
      expect((await api.get(`/api/v1/tickets/${number}`)).json.status).toBe(status);
      expect((await api.post(`/api/v1/tickets/${number}/messages`, { body: 'Not solved after all' })).status).toBe(201);
      expect((await api.get(`/api/v1/tickets/${number}`)).json.status).toBe('open');
    }
  });

  test('T4: a closed ticket takes no more messages — 409, nothing written', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    await query(ctx.server.dbUrl, "UPDATE tickets SET status = 'closed', closed_at = ? WHERE number = ?", [Date.now(), number]);
    const before = await counts();
    const res = await api.post(`/api/v1/tickets/${number}/messages`, { body: 'Hello?' });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ error: 'ticket_closed', message: expect.stringMatching(/closed/) });
    expect(await counts()).toEqual(before);
  });

  test('A21: API clients send no Origin and need none; a session cookie without a key is not enough (401)', async () => {
    const { who, api } = await customerWithKey();
    const { number } = await openTicket(api); // no Origin header: fetch from Node sends none
    const cookieOnly = apiClient(ctx.server.origin, null);
    const cookie = await sessionCookie(ctx.db, who);
    expect((await cookieOnly.get('/api/v1/tickets', { Cookie: cookie })).status).toBe(401);
    const before = await counts();
    expect((await cookieOnly.post(`/api/v1/tickets/${number}/messages`, { body: 'via cookie' }, { Cookie: cookie, Origin: ctx.server.origin })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });
});

describe('T2: customer B never learns about customer A\'s ticket', () => {
  test('T2: B gets 404 — the same answer as for a number that does not exist — by GET and by POST, and nothing is written', async () => {
    const a = await customerWithKey();
    const b = await customerWithKey();
    const { number } = await openTicket(a.api, 'A secret subject', 'A secret body');
    const missing = number + 100_000;
    const before = await counts();
    const theirs = await b.api.get(`/api/v1/tickets/${number}`);
    const none = await b.api.get(`/api/v1/tickets/${missing}`);
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    expect(theirs.json).toEqual(none.json);
    expect(theirs.json).toEqual({ error: 'not_found', message: 'There is no ticket with this number.' });
    expect(theirs.text).not.toContain('secret');
    const post = await b.api.post(`/api/v1/tickets/${number}/messages`, { body: 'B was here' });
    expect(post.status).toBe(404);
    expect(post.json).toEqual(none.json);
    expect((await b.api.post(`/api/v1/tickets/${missing}/messages`, { body: 'nobody' })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect(JSON.stringify((await b.api.get('/api/v1/tickets')).json)).not.toContain(String(number));
  });
});

describe('N2 / T7: bad input is a clear 4xx and writes nothing', () => {
  const huge = 'x'.repeat(300 * 1024);
  const messageCases: Array<[string, unknown, Record<string, string> | undefined, number, string]> = [
    ['an empty body', { body: '' }, undefined, 400, 'required'],
    ['a whitespace-only body', { body: ' \n\t  ' }, undefined, 400, 'required'],
    ['a missing body', {}, undefined, 400, 'required'],
    ['a null body', { body: null }, undefined, 400, 'required'],
    ['over 10,000 characters', { body: 'a'.repeat(10_001) }, undefined, 400, 'too_long'],
    ['over 10,000 emoji', { body: '😀'.repeat(10_001) }, undefined, 400, 'too_long'],
    ['a number as body', { body: 42 }, undefined, 400, 'invalid_type'],
    ['an object as body', { body: { text: 'hi' } }, undefined, 400, 'invalid_type'],
    ['an array as body', { body: ['hi'] }, undefined, 400, 'invalid_type'],
    ['a JSON array', '["hi"]', undefined, 400, 'invalid_body'],
    ['a JSON string', '"hi"', undefined, 400, 'invalid_body'],
    ['JSON null', 'null', undefined, 400, 'invalid_body'],
    ['invalid JSON', '{"body": "hi"', undefined, 400, 'invalid_json'],
    ['an empty request body', '', undefined, 400, 'invalid_json'],
    ['text/plain', '{"body":"hi"}', { 'Content-Type': 'text/plain' }, 415, 'unsupported_media_type'],
    ['a form post', 'body=hi', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['no content type', '{"body":"hi"}', { 'Content-Type': '' }, 415, 'unsupported_media_type'],
    ['a body over 256 KiB', JSON.stringify({ body: huge }), undefined, 413, 'payload_too_large'],
  ];

  test.each(messageCases)('T7: a message with %s is refused', async (_name, body, headers, status, error) => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    const before = await counts();
    const res = await api.post(`/api/v1/tickets/${number}/messages`, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ error, message: expect.any(String) });
    expect(res.json.message.length).toBeGreaterThan(5);
    expect(await counts()).toEqual(before);
  });

  test('a body over 256 KiB sent without a Content-Length (chunked) is refused with 413 as well', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    const before = await counts();
    const bytes = new TextEncoder().encode(JSON.stringify({ body: huge }));
    const res = await fetch(`${ctx.server.origin}/api/v1/tickets/${number}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${api.key}`, 'Content-Type': 'application/json', 'X-Forwarded-For': api.ip },
      body: new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 16_384) c.enqueue(bytes.slice(i, i + 16_384));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect(await counts()).toEqual(before);
  });

  test('unknown and malformed ticket numbers: 404 and 400, nothing written', async () => {
    const { api } = await customerWithKey();
    await openTicket(api);
    const before = await counts();
    expect((await api.post('/api/v1/tickets/999999/messages', { body: 'hi' })).json).toMatchObject({ error: 'not_found' });
    for (const bad of ['abc', '12a', '-5', '1.5', '0x10', '99999999999999999999']) {
      const res = await api.post(`/api/v1/tickets/${bad}/messages`, { body: 'hi' });
      expect(res.status, bad).toBe(400);
      expect(res.json).toMatchObject({ error: 'invalid_number' });
      expect((await api.get(`/api/v1/tickets/${bad}`)).status, bad).toBe(400);
    }
    expect(await counts()).toEqual(before);
  });

  const ticketCases: Array<[string, unknown, number, string]> = [
    ['no subject', { body: 'hi' }, 400, 'required'],
    ['an empty subject', { subject: '   ', body: 'hi' }, 400, 'required'],
    ['a subject over 200 characters', { subject: 's'.repeat(201), body: 'hi' }, 400, 'too_long'],
    ['a number as subject', { subject: 7, body: 'hi' }, 400, 'invalid_type'],
    ['no body', { subject: 'Hello' }, 400, 'required'],
    ['a body over 10,000 characters', { subject: 'Hello', body: 'b'.repeat(10_001) }, 400, 'too_long'],
    ['a boolean body', { subject: 'Hello', body: true }, 400, 'invalid_type'],
    ['an unknown area', { subject: 'Hello', body: 'hi', area: 'no-such-area' }, 400, 'invalid_area'],
    ['an area that is not a slug', { subject: 'Hello', body: 'hi', area: '../etc' }, 400, 'invalid_area'],
    ['a numeric area', { subject: 'Hello', body: 'hi', area: 3 }, 400, 'invalid_area'],
    ['an unknown locale', { subject: 'Hello', body: 'hi', locale: 'de' }, 400, 'invalid_locale'],
  ];
  test.each(ticketCases)('T2 / T7: a new ticket with %s is refused', async (_name, body, status, error) => {
    const { api } = await customerWithKey();
    const before = await counts();
    const res = await api.post('/api/v1/tickets', body);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error, message: expect.any(String) });
    expect(await counts()).toEqual(before);
  });
});

describe('A17 / A21: who may use the tickets API', () => {
  test('A17: no key is 401 missing_token, a wrong key 401 invalid_token, both with WWW-Authenticate: Bearer', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    for (const [key, error] of [[null, 'missing_token'], ['loket_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbb', 'invalid_token'], ['nonsense', 'invalid_token']] as const) {
      const client = apiClient(ctx.server.origin, key);
      for (const res of [await client.get('/api/v1/tickets'), await client.get(`/api/v1/tickets/${number}`), await client.post(`/api/v1/tickets/${number}/messages`, { body: 'x' }), await client.post('/api/v1/tickets', { subject: 's', body: 'b' })]) {
        expect(res.status).toBe(401);
        expect(res.json.error).toBe(error);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="loket"/);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    }
  });

  test('A17: staff keys (agent, editor, admin) are refused with 403 — the API is for customers\' own tickets — and write nothing', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api);
    for (const role of ['agent', 'editor', 'admin'] as const) {
      const staff = await person(ctx.db, role);
      const client = apiClient(ctx.server.origin, await apiKey(ctx.db, staff));
      const before = await counts();
      for (const res of [await client.get('/api/v1/tickets'), await client.get(`/api/v1/tickets/${number}`), await client.post(`/api/v1/tickets/${number}/messages`, { body: 'staff' }), await client.post('/api/v1/tickets', { subject: 's', body: 'b' })]) {
        expect(res.status, role).toBe(403);
        expect(res.json).toMatchObject({ error: 'forbidden' });
        expect(res.text).not.toContain('It does not print');
      }
      expect(await counts()).toEqual(before);
    }
  });

  test('A2 / A12 / A18 / A19: keys of unverified, locked, suspended and deleted accounts are refused (401) and write nothing', async () => {
    const states: Array<[string, Record<string, unknown>]> = [
      ['unverified', { emailVerifiedAt: null }],
      ['locked', { lockedAt: Date.now(), lockReason: 'wrong-passwords' }],
      ['suspended', { suspendedAt: Date.now(), suspensionReason: 'terms' }],
      ['deleted', { deletedAt: Date.now() }],
    ];
    for (const [state, extra] of states) {
      const who = await person(ctx.db, 'customer');
      const key = await apiKey(ctx.db, who);
      const client = apiClient(ctx.server.origin, key);
      const { number } = await openTicket(client);
      const column = Object.keys(extra).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      await query(ctx.server.dbUrl, `UPDATE users SET ${column.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...(Object.values(extra) as Array<string | number | null>).map((v) => v as never), who.id]);
      const before = await counts();
      expect((await client.get('/api/v1/tickets')).status, state).toBe(401);
      expect((await client.post(`/api/v1/tickets/${number}/messages`, { body: 'hi' })).status, state).toBe(401);
      expect((await client.post('/api/v1/tickets', { subject: 's', body: 'b' })).status, state).toBe(401);
      expect(await counts()).toEqual(before);
    }
  });

  test('A21: more than 60 requests a minute with one key are refused with 429 and Retry-After; the refused post writes nothing', async () => {
    const { api } = await customerWithKey();
    const { number } = await openTicket(api); // request 1
    const statuses: number[] = [];
    for (let i = 0; i < 59; i++) statuses.push((await api.get(`/api/v1/tickets/${number}`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const before = await counts();
    const refused = await api.post(`/api/v1/tickets/${number}/messages`, { body: 'one too many' });
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ error: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  test('A21: new tickets count against the signed-in support form\'s limit (10 an hour per account)', async () => {
    const { api } = await customerWithKey();
    for (let i = 0; i < 10; i++) expect((await api.post('/api/v1/tickets', { subject: `n${i}`, body: 'b' })).status).toBe(201);
    const before = await counts();
    const res = await api.post('/api/v1/tickets', { subject: 'eleventh', body: 'b' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });
});
