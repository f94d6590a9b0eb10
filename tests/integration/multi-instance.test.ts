// N5: several instances serve one help center. Two processes share one database file and one
// Redis server: this test process writes a reply as "instance A" (through the real ticket module
// and a Redis bus); the customer's live stream, open on the real server "instance B", receives it
// at once — no polling (LIVE_POLL_MS unset), so it can only have come through Redis.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRedis } from '../helpers/redis.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let redis: Awaited<ReturnType<typeof startRedis>>;
let serverB: RunningServer;

beforeAll(async () => {
  redis = await startRedis();
  serverB = await startServer({ LIVE_BUS_URL: redis.url });
  process.env.LIVE_BUS_URL = redis.url; // this process is instance A
});
afterAll(async () => {
  const { getEventBus } = await import('../../src/server/live/bus.ts');
  await getEventBus().close();
  delete process.env.LIVE_BUS_URL;
  await serverB?.stop();
  await redis?.stop();
});

/** Reads until `count` events arrived (or the time is up); the connection stays open (the customer keeps watching). */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, count: number, timeoutMs: number): Promise<Array<{ id: number; event: string; data: Record<string, unknown> }>> {
  const decoder = new TextDecoder();
  const events: Array<{ id: number; event: string; data: Record<string, unknown> }> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
    if (!next || next.done) break;
    buffer += decoder.decode(next.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (id && event && data) events.push({ id: Number(id), event, data: JSON.parse(data) });
    }
  }
  return events;
}

describe('N5: two instances, one database, one Redis', () => {
  test('N5 / T3: a reply written through instance A reaches the customer’s stream on instance B at once, through Redis', async () => {
    const { openDatabase } = await import('../../src/server/db/client.ts');
    const { createSession } = await import('../../src/server/auth/session.ts');
    const { createTicket } = await import('../../src/server/tickets/tickets.ts');
    const { replyAsAgent } = await import('../../src/server/tickets/workflow.ts');
    const { users } = await import('../../db/schema/index.ts');
    const db = await openDatabase({ url: serverB.dbUrl });
    try {
      await db.insert(users).values([
        { id: 'multicustomer00000001', email: 'multi@example.com', name: 'Multi', username: 'multi', passwordHash: 'x', emailVerifiedAt: 1 },
        { id: 'multiagent00000000001', email: 'multi-agent@example.com', name: 'Agent Multi', username: 'multi-agent', passwordHash: 'x', role: 'agent', emailVerifiedAt: 1 },
      ]);
      const { token } = await createSession(db, { id: 'multicustomer00000001', role: 'customer' }, { ip: '127.0.0.1', userAgent: 'test', twoFactorVerified: true });
      const { ticket } = await createTicket(db, { customerId: 'multicustomer00000001', senderEmail: 'multi@example.com', senderName: 'Multi', unverifiedSender: false, subject: 'Two instances', body: 'Hello?', topic: 'question', locale: 'en' });

      const res = await fetch(`${serverB.origin}/api/tickets/${ticket.id}/events`, { headers: { Cookie: `session=${token}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const reading = readEvents(reader, 2, 5000);
      // the stream is open on B (its presence row says so); now A writes
      const { isPresent } = await import('../../src/server/live/presence.ts');
      await expect.poll(() => isPresent(db, `ticket:${ticket.id}:customer`), { timeout: 5000, interval: 20 }).toBe(true);
      await new Promise((r) => setTimeout(r, 100)); // B's Redis subscription is made before the backlog read
      const sentAt = Date.now();
      expect(await replyAsAgent(db, { id: 'multiagent00000000001', role: 'agent' }, ticket.id, 'Answer from instance A', { origin: serverB.origin })).toMatchObject({ ok: true, emailed: false });
      const events = await reading;
      const arrivedAfter = Date.now() - sentAt;
      await reader.cancel();
      expect(events.map((e) => [e.id, e.event])).toEqual([
        [1, 'created'],
        [2, 'message'],
      ]);
      expect(events[1]!.data).toMatchObject({ body: 'Answer from instance A', authorName: 'Agent Multi' });
      expect(arrivedAfter).toBeLessThan(2000);
    } finally {
      db.$client.close();
    }
  });
});
