// `npm run bench:sustained` — issue 4: 200 messages/s for 60 s over 100 tickets through the real
// write path (`POST /api/v1/tickets/{n}/messages`, personal API keys), with a listener on each
// ticket's customer stream and one on the staff queue. Checks that nothing is lost or duplicated
// — acknowledgements, the database and what the streams received must agree exactly — and
// reports the server's RSS (target ≤ 400 MB) and latency p50/p99 (POST acknowledged; send → event
// received on the ticket's stream).
//
// Open loop: message i is sent at t0 + i × 5 ms whether or not earlier ones were answered (a slow
// server shows up as latency, not as a lower offered rate). Message i goes to ticket i mod 100.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { arrange, inBatches, member, processCpuSeconds, ROOT, rssMb, sleep, sse, startApp, stopProcess, ticketFor, until, type Member } from './live.ts';
import { gitState, loadAverage, machine, percentile, round } from './util.ts';

const TICKETS = 100;
const RATE_PER_SECOND = 200;
const DURATION_S = 60;
const TOTAL = RATE_PER_SECOND * DURATION_S;
const TARGET = { rssMb: 400 };
const loadAtStart = await loadAverage();

// The default API limits (60 a minute per key, 120 per address) exist to refuse exactly this kind of
// load from one client; the benchmark measures the write path, so it raises them (README: configuration).
const app = await startApp('sustained', { API_RATE_LIMIT_PER_KEY: '1000000', API_RATE_LIMIT_PER_IP: '1000000' });
const rssFresh = rssMb(app.child.pid);
const db = await arrange(app.dbUrl);
const agent = await member(db, 'agent', 0);
const customers: Array<Member & { ticket: { id: string; number: number } }> = [];
for (let i = 0; i < TICKETS; i++) {
  const c = await member(db, 'customer', i);
  customers.push({ ...c, ticket: await ticketFor(db, c, `Sustained ${i}`) });
}
console.error(`bench:sustained: app at ${app.origin}, ${TICKETS} customers with a ticket each`);

// ------------------------------------------------------------------------------------ listeners
const sentAt = new Float64Array(TOTAL);
const ackAt = new Float64Array(TOTAL);
const ackId = new Int32Array(TOTAL).fill(-1);
const ackStatus = new Int16Array(TOTAL);
const streamLatency: number[] = [];
const onTicketStream = new Map<number, number>(); // message index → times received on its ticket's customer stream
const onQueue = new Map<number, number>();
const wrongTicket: number[] = [];
let ticketStreamEvents = 0;

const streams = await inBatches(TICKETS, 20, async (t) => {
  const c = customers[t]!;
  const s = sse(app.origin, `/api/tickets/${c.ticket.id}/events`, { Cookie: c.cookie }, (_id, type, data, at) => {
    if (type !== 'message') return;
    const m = /"body":"sustained-(\d+)"/.exec(data);
    if (!m) return;
    const i = Number(m[1]);
    ticketStreamEvents++;
    if (i % TICKETS !== t) wrongTicket.push(i);
    const n = (onTicketStream.get(i) ?? 0) + 1;
    onTicketStream.set(i, n);
    if (n === 1) streamLatency.push(at - sentAt[i]!);
  });
  await s.opened;
  return s;
});
const queue = sse(app.origin, '/api/staff/events', { Cookie: agent.cookie }, (_id, type, data) => {
  if (type !== 'message') return;
  const m = /"body":"sustained-(\d+)"/.exec(data);
  if (m) onQueue.set(Number(m[1]), (onQueue.get(Number(m[1])) ?? 0) + 1);
});
await queue.opened;

// ------------------------------------------------------------------------------------------ load
const rssSamples: number[] = [];
const rssAtStart = rssMb(app.child.pid);
const sampler = setInterval(() => {
  const r = rssMb(app.child.pid);
  if (r !== null) rssSamples.push(r);
}, 1000);
const errors: string[] = [];
const post = async (i: number) => {
  const c = customers[i % TICKETS]!;
  sentAt[i] = performance.now();
  try {
    const res = await fetch(`${app.origin}/api/v1/tickets/${c.ticket.number}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${c.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: `sustained-${i}` }),
    });
    const json = (await res.json()) as { message?: { id: number } };
    ackAt[i] = performance.now();
    ackStatus[i] = res.status;
    if (res.status === 201 && json.message) ackId[i] = json.message.id;
  } catch (error) {
    ackStatus[i] = -1;
    if (errors.length < 20) errors.push((error as Error).message);
  }
};

console.error(`bench:sustained: ${RATE_PER_SECOND} messages/s for ${DURATION_S} s`);
const cpu0 = processCpuSeconds(app.child.pid);
const t0 = performance.now();
const inFlight: Promise<void>[] = [];
let next = 0;
let maxBehind = 0;
while (next < TOTAL) {
  const due = Math.min(TOTAL, Math.floor(((performance.now() - t0) * RATE_PER_SECOND) / 1000) + 1);
  maxBehind = Math.max(maxBehind, due - next);
  while (next < due) inFlight.push(post(next++));
  await sleep(1);
}
const sendSeconds = (performance.now() - t0) / 1000;
await Promise.all(inFlight);
const ackedSeconds = (performance.now() - t0) / 1000;
await until(() => onTicketStream.size >= TOTAL && onQueue.size >= TOTAL, 30_000);
await sleep(500); // a duplicate would arrive now
const cpu1 = processCpuSeconds(app.child.pid);
clearInterval(sampler);
const rssAtEnd = rssMb(app.child.pid);
for (const s of streams) s.close();
queue.close();

// ------------------------------------------------------------------------------------- compare
const rows = await db.$client.execute("SELECT m.id, m.body, t.number FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body LIKE 'sustained-%'");
const stored = new Map<number, { id: number; times: number; number: number }>();
for (const r of rows.rows) {
  const i = Number(String(r.body).slice('sustained-'.length));
  const prev = stored.get(i);
  stored.set(i, { id: Number(r.id), number: Number(r.number), times: (prev?.times ?? 0) + 1 });
}
db.$client.close();
await stopProcess(app);

let acked = 0;
let ackedNotStored = 0;
let storedWithOtherId = 0;
let storedInWrongTicket = 0;
let storedNotAcked = 0;
let missingOnTicketStream = 0;
let missingOnQueue = 0;
const statusCounts: Record<string, number> = {};
for (let i = 0; i < TOTAL; i++) {
  statusCounts[ackStatus[i]!] = (statusCounts[ackStatus[i]!] ?? 0) + 1;
  const row = stored.get(i);
  if (ackStatus[i] === 201) {
    acked++;
    if (!row) ackedNotStored++;
    else if (row.id !== ackId[i]) storedWithOtherId++;
  } else if (row) storedNotAcked++;
  if (row && row.number !== customers[i % TICKETS]!.ticket.number) storedInWrongTicket++;
  if (row && !onTicketStream.has(i)) missingOnTicketStream++;
  if (row && !onQueue.has(i)) missingOnQueue++;
}
const duplicatedInDb = [...stored.values()].filter((r) => r.times > 1).length;
const duplicatedOnTicketStreams = [...onTicketStream.values()].filter((n) => n > 1).length;
const duplicatedOnQueue = [...onQueue.values()].filter((n) => n > 1).length;
const ackLatency = Array.from({ length: TOTAL }, (_, i) => ackAt[i]! - sentAt[i]!).filter((_, i) => ackStatus[i] === 201).sort((a, b) => a - b);
streamLatency.sort((a, b) => a - b);
const stats = (s: number[]) => ({ n: s.length, p50Ms: round(percentile(s, 50), 1), p90Ms: round(percentile(s, 90), 1), p99Ms: round(percentile(s, 99), 1), maxMs: round(s.at(-1) ?? NaN, 1) });
function worstSeconds() {
  const bySecond = new Map<number, number[]>();
  for (let i = 0; i < TOTAL; i++) {
    if (ackStatus[i] !== 201) continue;
    const second = Math.floor((sentAt[i]! - t0) / 1000);
    bySecond.set(second, [...(bySecond.get(second) ?? []), ackAt[i]! - sentAt[i]!]);
  }
  return [...bySecond]
    .map(([second, l]) => ({ second, p99Ms: round(percentile(l.sort((a, b) => a - b), 99), 1), maxMs: round(l.at(-1)!, 1) }))
    .sort((a, b) => b.p99Ms - a.p99Ms)
    .slice(0, 5);
}
const rssMax = Math.max(...rssSamples, rssAtEnd ?? 0);

const summary = {
  benchmark: 'sustained',
  date: new Date().toISOString(),
  machine: { ...(await machine()), loadAverage1mAtStart: loadAtStart },
  code: await gitState(ROOT),
  command: 'npm run bench:sustained',
  load: { tickets: TICKETS, ratePerSecond: RATE_PER_SECOND, durationSeconds: DURATION_S, messages: TOTAL, listeners: `${TICKETS} ticket customer streams + 1 staff queue stream`, sendSeconds: round(sendSeconds, 2), allAcknowledgedAfterSeconds: round(ackedSeconds, 2), maxMessagesBehindSchedule: maxBehind },
  targets: { lost: 0, duplicated: 0, rssMb: TARGET.rssMb },
  acknowledgements: { statusCounts, acked, errors },
  lost: { ackedNotStored, storedWithOtherId, storedInWrongTicket, missingOnTicketStream, missingOnQueue, wrongTicketOnStream: wrongTicket.length },
  duplicated: { inDatabase: duplicatedInDb, onTicketStreams: duplicatedOnTicketStreams, onQueue: duplicatedOnQueue },
  storedNotAcked,
  storedMessages: stored.size,
  ticketStreamEvents,
  latency: { postAcknowledged: stats(ackLatency), sendToTicketStream: stats(streamLatency) },
  serverCpuCores: cpu0 === null || cpu1 === null ? null : round((cpu1 - cpu0) / ackedSeconds, 2),
  /** fresh: the app just started (migrated, content imported); start: with the 101 streams open, before the load. */
  serverRssMb: { fresh: rssFresh, start: rssAtStart, max: rssMax, end: rssAtEnd, perSecond: rssSamples },
  /** The five seconds of the run (by send time) with the worst p99 acknowledgement latency: when the tail happens. */
  worstSeconds: worstSeconds(),
  meetsTargets: {
    noneLost: acked === TOTAL && ackedNotStored + storedWithOtherId + storedInWrongTicket + missingOnTicketStream + missingOnQueue + wrongTicket.length === 0,
    noneDuplicated: duplicatedInDb + duplicatedOnTicketStreams + duplicatedOnQueue === 0,
    rss: rssMax <= TARGET.rssMb,
  },
};
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/sustained.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
