// Issue 4's access matrix: every ticket, staff and live page and endpoint, asked by each of
// anonymous, customer A, customer B, agent, editor and admin, on one real server. Customer B can
// never reach A's ticket (page, reply, rating, typing, stream); editors are staff but not agents;
// only admins reach the admin pages. (The Bearer-key API has its own matrix in tickets-api.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACTOR_NAMES, createActors, type Actor, type ActorName } from '../helpers/actors.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
let ticket: { id: string; number: number };

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
  actors = await createActors(server.origin, server.dbUrl);
  const { openDatabase } = await import('../../src/server/db/client.ts');
  const { createTicket, addMessage } = await import('../../src/server/tickets/tickets.ts');
  const db = await openDatabase({ url: server.dbUrl });
  try {
    const a = actors.customerA;
    const created = await createTicket(db, { customerId: a.id, senderEmail: a.email!, senderName: 'A', unverifiedSender: false, subject: 'Matrix ticket', body: 'From A', topic: 'question', locale: 'en' });
    await addMessage(db, { ticketId: created.ticket.id, authorId: actors.agent.id, authorKind: 'agent', body: 'STAFF-ONLY-NOTE', internal: true });
    ticket = { id: created.ticket.id, number: created.ticket.number };
  } finally {
    db.$client.close();
  }
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

type Expect = Record<ActorName, number>;
const row = (anonymous: number, customerA: number, customerB: number, agent: number, editor: number, admin: number): Expect => ({ anonymous, customerA, customerB, agent, editor, admin });

/** Status of one request; streams are closed as soon as their status is known. */
async function statusOf(actor: Actor, method: 'GET' | 'POST', path: string, form: Record<string, string> = {}): Promise<number> {
  const cookie = [...actor.device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const controller = new AbortController();
  const res = await fetch(server.origin + path, {
    method,
    redirect: 'manual',
    signal: controller.signal,
    headers: {
      ...(cookie ? { Cookie: cookie } : {}),
      'X-Forwarded-For': actor.device.ip,
      ...(method === 'POST' ? { Origin: server.origin, 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
  });
  const status = res.status;
  controller.abort();
  return status;
}

const routes = (): Array<{ name: string; method: 'GET' | 'POST'; path: string; form?: Record<string, string>; expect: Expect }> => [
  // T2: the customer's own ticket pages (signed out → the sign-in page; anyone else's ticket is a 404)
  { name: 'ticket list', method: 'GET', path: '/en/support/tickets', expect: row(302, 200, 200, 200, 200, 200) },
  { name: "A's ticket page", method: 'GET', path: `/en/support/tickets/${ticket.number}`, expect: row(302, 200, 404, 404, 404, 404) },
  { name: "reply on A's ticket", method: 'POST', path: `/en/support/tickets/${ticket.number}`, form: { action: 'reply', message: 'matrix reply' }, expect: row(401, 303, 404, 404, 404, 404) },
  { name: "rate A's ticket", method: 'POST', path: `/en/support/tickets/${ticket.number}`, form: { action: 'rate', rating: 'good' }, expect: row(401, 409, 404, 404, 404, 404) },
  // T3: live streams and typing
  { name: "A's ticket stream", method: 'GET', path: `/api/tickets/${ticket.id}/events`, expect: row(401, 200, 404, 200, 404, 200) },
  { name: "customer typing on A's ticket", method: 'POST', path: `/api/tickets/${ticket.id}/typing`, expect: row(401, 204, 404, 404, 404, 404) },
  { name: 'staff queue stream', method: 'GET', path: '/api/staff/events', expect: row(401, 403, 403, 200, 403, 200) },
  // S1–S4: the console, agents and admins only (signed out → 303 to the sign-in page)
  { name: 'console queue', method: 'GET', path: '/staff', expect: row(303, 403, 403, 200, 403, 200) },
  { name: 'console ticket', method: 'GET', path: `/staff/tickets/${ticket.number}`, expect: row(303, 403, 403, 200, 403, 200) },
  { name: 'console queue JSON', method: 'GET', path: '/api/staff/queue', expect: row(401, 403, 403, 200, 403, 200) },
  { name: 'console KB links', method: 'GET', path: '/api/staff/kb-links?lang=en&q=password', expect: row(401, 403, 403, 200, 403, 200) },
  { name: 'canned replies', method: 'GET', path: '/staff/canned', expect: row(303, 403, 403, 200, 403, 200) },
  // S5: admins only
  { name: 'admin: staff', method: 'GET', path: '/staff/admin/staff', expect: row(303, 403, 403, 403, 403, 200) },
  { name: 'admin: security', method: 'GET', path: '/staff/admin/security', expect: row(303, 403, 403, 403, 403, 200) },
];

describe('T2 / T3 / S1–S5: who gets what', () => {
  test('T2 / T3 / S1–S5: every route answers each of anonymous, customer A, customer B, agent, editor and admin exactly as it may', async () => {
    const wrong: string[] = [];
    for (const route of routes()) {
      for (const name of ACTOR_NAMES) {
        const got = await statusOf(actors[name], route.method, route.path, route.form);
        if (got !== route.expect[name]) wrong.push(`${route.name} (${route.method} ${route.path}) as ${name}: ${got}, expected ${route.expect[name]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('T3: a live stream answers as an event stream with the security headers, whoever serves it', async () => {
    for (const [actor, path] of [
      [actors.customerA, `/api/tickets/${ticket.id}/events`],
      [actors.agent, '/api/staff/events'],
    ] as const) {
      const controller = new AbortController();
      const cookie = [...actor.device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(server.origin + path, { headers: { Cookie: cookie }, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const first = new TextDecoder().decode((await res.body!.getReader().read()).value);
      expect(first).toMatch(/^retry: 2000\n\n/);
      controller.abort();
    }
  });

  test('S2: the internal note is in no page a customer can open, and in the staff console', async () => {
    for (const name of ['customerA', 'customerB'] as const) {
      for (const path of [`/en/support/tickets/${ticket.number}`, '/en/support/tickets', `/staff/tickets/${ticket.number}`]) {
        const body = await (await actors[name].device.get(path)).text();
        expect(body, `${name} ${path}`).not.toContain('STAFF-ONLY-NOTE');
      }
    }
    expect(await (await actors.agent.device.get(`/staff/tickets/${ticket.number}`)).text()).toContain('STAFF-ONLY-NOTE');
    expect(await (await actors.editor.device.get(`/staff/tickets/${ticket.number}`)).text()).not.toContain('STAFF-ONLY-NOTE');
  });
});
