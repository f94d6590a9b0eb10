// Issue 4 point 5 / T7 / A17: writes that cannot be lost. 200 API posts in parallel over 20
// tickets (20 customers, each with their own key and address) are all acknowledged 201, and
// every acknowledged message is in the database exactly once, with the id it was acknowledged
// with; the server keeps answering meanwhile (no event-loop stall from a busy database).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import { query } from '../helpers/http.ts';
import { apiClient, apiKey, person, useServer } from './tickets-api-fixtures.ts';

const ctx = useServer();

test('T7 / point 5: 200 concurrent posts over 20 tickets — all 201, each stored exactly once as acknowledged; a concurrent GET stays fast', { timeout: 120_000 }, async () => {
  const TICKETS = 20;
  const PER_TICKET = 10;
  const customers = await Promise.all(
    Array.from({ length: TICKETS }, async (_, i) => {
      const who = await person(ctx.db, 'customer');
      const api = apiClient(ctx.server.origin, await apiKey(ctx.db, who));
      const res = await api.post('/api/v1/tickets', { subject: `Concurrent ${i}`, body: 'first' });
      expect(res.status).toBe(201);
      return { api, number: res.json.number as number };
    }),
  );
  // A separate client probes the server while the burst runs: a blocked event loop would show here.
  const probe = apiClient(ctx.server.origin, await apiKey(ctx.db, await person(ctx.db, 'customer')));
  expect((await probe.get('/api/v1/tickets')).status).toBe(200);
  expect((await fetch(`${ctx.server.origin}/favicon.svg`)).status).toBe(200);
  let bursting = true;
  // Two probes: a static file (answered from memory: its latency is the event loop's lag) and an
  // API read (key check, rate limits, a query: it queues behind the burst's database work).
  const loopLatencies: number[] = [];
  const apiLatencies: number[] = [];
  const timed = async (list: number[], f: () => Promise<Response>) => {
    const t0 = performance.now();
    await (await f()).arrayBuffer();
    list.push(performance.now() - t0);
  };
  const probing = Promise.all([
    (async () => {
      while (bursting) {
        await timed(loopLatencies, () => fetch(`${ctx.server.origin}/favicon.svg`));
        await new Promise((r) => setTimeout(r, 5));
      }
    })(),
    (async () => {
      // at most 55: the per-key limit is 60 a minute
      while (bursting && apiLatencies.length < 55) {
        await timed(apiLatencies, () => fetch(`${ctx.server.origin}/api/v1/tickets`, { headers: { Authorization: `Bearer ${probe.key}`, 'X-Forwarded-For': probe.ip } }));
        await new Promise((r) => setTimeout(r, 20));
      }
    })(),
  ]);

  const posts = customers.flatMap((c, t) => Array.from({ length: PER_TICKET }, (_, n) => ({ c, body: `concurrent ${t}/${n} ${Math.random().toString(36).slice(2)}` })));
  const started = performance.now();
  const answers = await Promise.all(posts.map(async (p) => ({ ...p, res: await p.c.api.post(`/api/v1/tickets/${p.c.number}/messages`, { body: p.body }) })));
  const burstMs = performance.now() - started;
  bursting = false;
  await probing;

  expect(answers.map((a) => a.res.status).filter((s) => s !== 201)).toEqual([]);
  const rows = await query(ctx.server.dbUrl, "SELECT m.id, m.body, t.number FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body LIKE 'concurrent %'");
  expect(rows).toHaveLength(posts.length);
  const stored = new Map(rows.map((r) => [String(r.body), { id: Number(r.id), number: Number(r.number) }]));
  expect(stored.size).toBe(posts.length); // no body twice
  for (const a of answers) {
    expect(stored.get(a.body)).toEqual({ id: a.res.json.message.id, number: a.c.number });
  }
  // every message has its live event, exactly once
  const events = await query(ctx.server.dbUrl, "SELECT count(*) AS n, count(DISTINCT json_extract(data, '$.messageId')) AS d FROM ticket_events WHERE type = 'message' AND json_extract(data, '$.body') LIKE 'concurrent %'");
  expect(Number(events[0]!.n)).toBe(posts.length);
  expect(Number(events[0]!.d)).toBe(posts.length);

  expect(loopLatencies.length).toBeGreaterThan(3);
  expect(apiLatencies.length).toBeGreaterThan(0);
  const info = `burst of ${posts.length} posts: ${Math.round(burstMs)} ms; static probe ms: ${loopLatencies.map(Math.round).join(', ')}; API probe ms: ${apiLatencies.map(Math.round).join(', ')}`;
  // A busy-wait on the database lock blocks the loop for seconds (STACK-NOTES: 2 s measured): the
  // static probe would wait that long; one loop turn over the burst's queued requests takes far less.
  // The machine is shared: when other work keeps the cores busy (1-minute load above the core
  // count), every turn of the loop takes longer in proportion, so the bound scales with the load.
  const crowding = Math.max(1, os.loadavg()[0]! / os.availableParallelism());
  expect(Math.max(...loopLatencies), `${info}; load ${os.loadavg()[0]!.toFixed(1)}`).toBeLessThan(750 * crowding);
  // The API read queues behind the burst but must not wait out a busy timeout (5 s) or fail.
  expect(Math.max(...apiLatencies), info).toBeLessThan(Math.max(2000 * crowding, burstMs + 500));
  expect(ctx.server.output()).not.toMatch(/SQLITE_BUSY|database is locked/);
});
