// `npm run bench:fanout` — issue 4: 1,000 concurrent SSE connections on one instance; a message
// posted reaches every subscriber of its ticket and the staff queue. Delivery latency (send →
// receipt, per connection) p50/p99 and throughput (deliveries per second), next to a bare
// node:http SSE broadcaster (bench/sse-baseline.ts, its own process) measured the same way in
// the same run. Targets: p99 ≤ 100 ms; throughput ≥ 0.5× the broadcaster's.
//
//  1. Starts the real app (`node scripts/start.ts`, fresh database); arranges one customer and one
//     agent (2FA on) with sessions and API keys and one ticket, with the app's modules (bench/live.ts).
//  2. Opens 1,000 SSE connections over raw HTTP: 400 on the ticket's customer stream (customer's
//     session cookie), 300 on its staff stream and 300 on the staff queue (agent's cookie).
//  3. Warm-up: 5 messages. Latency: 50 messages, one every 100 ms, each posted through the API
//     (`POST /api/v1/tickets/{n}/messages`, the real write path); latency = time the POST was
//     sent → time each connection received the event. Throughput: 200 messages posted 4 at a
//     time; deliveries / (last receipt − first send).
//  4. Stops the app; the broadcaster gets the same 1,000 connections and the same messages.
// The client (this process) parses every stream itself, on the same 2 cores.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { arrange, inBatches, member, processCpuSeconds, ROOT, rssMb, sleep, sse, startApp, startProcess, stopProcess, ticketFor, until, type Running } from './live.ts';
import { gitState, loadAverage, machine, percentile, round } from './util.ts';

const SPLIT = { customerTicketStream: 400, staffTicketStream: 300, staffQueueStream: 300 };
const CONNECTIONS = SPLIT.customerTicketStream + SPLIT.staffTicketStream + SPLIT.staffQueueStream;
const WARMUP_MESSAGES = 5;
const LATENCY_MESSAGES = 50;
const LATENCY_GAP_MS = 100;
const THROUGHPUT_MESSAGES = 200;
const THROUGHPUT_CONCURRENCY = 4;
const TARGET = { p99Ms: 100, ratio: 0.5 };
const loadAtStart = await loadAverage();

interface Target {
  label: string;
  running: Running;
  streams: Array<{ path: string; headers: Record<string, string> }>;
  post: (body: string) => Promise<number>;
}

async function measure(target: Target) {
  const sendAt = new Map<number, number>();
  const delivered = new Map<number, number>();
  const latencies: number[] = [];
  let duplicates = 0;
  let firstReceipt = Infinity;
  let lastReceipt = 0;
  let phase: 'warmup' | 'latency' | 'throughput' = 'warmup';
  const seenPerConnection: Array<Set<number>> = [];

  console.error(`bench:fanout: ${target.label}: opening ${CONNECTIONS} connections`);
  const opened = performance.now();
  const connections = await inBatches(CONNECTIONS, 50, async (i) => {
    const { path, headers } = target.streams[i]!;
    const seen = new Set<number>();
    seenPerConnection[i] = seen;
    const c = sse(target.running.origin, path, headers, (_id, type, data, at) => {
      if (type !== 'message') return;
      const m = /"body":"fanout-(\d+)"/.exec(data);
      if (!m) return;
      const n = Number(m[1]);
      if (seen.has(n)) {
        duplicates++;
        return;
      }
      seen.add(n);
      delivered.set(n, (delivered.get(n) ?? 0) + 1);
      if (phase === 'latency') latencies.push(at - sendAt.get(n)!);
      if (phase === 'throughput') {
        firstReceipt = Math.min(firstReceipt, at);
        lastReceipt = Math.max(lastReceipt, at);
      }
    });
    await c.opened;
    return c;
  });
  const openSeconds = round((performance.now() - opened) / 1000, 2);
  const rssConnected = rssMb(target.running.child.pid);

  const send = async (n: number) => {
    sendAt.set(n, performance.now());
    const status = await target.post(`fanout-${n}`);
    if (status !== 201) throw new Error(`${target.label}: post ${n}: HTTP ${status}`);
  };
  const allDelivered = (from: number, to: number) => {
    for (let n = from; n < to; n++) if ((delivered.get(n) ?? 0) < CONNECTIONS) return false;
    return true;
  };

  for (let n = 0; n < WARMUP_MESSAGES; n++) await send(n);
  if (!(await until(() => allDelivered(0, WARMUP_MESSAGES), 30_000))) throw new Error(`${target.label}: warm-up messages not delivered`);

  phase = 'latency';
  const l0 = WARMUP_MESSAGES;
  const t0 = performance.now();
  const latencyPosts: Promise<void>[] = [];
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    const wait = t0 + i * LATENCY_GAP_MS - performance.now();
    if (wait > 0) await sleep(wait);
    latencyPosts.push(send(l0 + i));
  }
  await Promise.all(latencyPosts);
  const latencyComplete = await until(() => allDelivered(l0, l0 + LATENCY_MESSAGES), 30_000);

  phase = 'throughput';
  const th0 = l0 + LATENCY_MESSAGES;
  const cpu0 = processCpuSeconds(target.running.child.pid);
  const client0 = process.cpuUsage();
  const start = performance.now();
  await inBatches(THROUGHPUT_MESSAGES, THROUGHPUT_CONCURRENCY, (i) => send(th0 + i));
  const postsDone = performance.now();
  const throughputComplete = await until(() => allDelivered(th0, th0 + THROUGHPUT_MESSAGES), 60_000);
  const cpu1 = processCpuSeconds(target.running.child.pid);
  const client = process.cpuUsage(client0);
  const rssEnd = rssMb(target.running.child.pid);
  let throughputDeliveries = 0;
  for (let n = th0; n < th0 + THROUGHPUT_MESSAGES; n++) throughputDeliveries += delivered.get(n) ?? 0;
  const seconds = (lastReceipt - start) / 1000;
  for (const c of connections) c.close();

  const total = WARMUP_MESSAGES + LATENCY_MESSAGES + THROUGHPUT_MESSAGES;
  let lost = 0;
  for (let n = 0; n < total; n++) lost += CONNECTIONS - (delivered.get(n) ?? 0);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    connections: CONNECTIONS,
    openSeconds,
    latency: {
      messages: LATENCY_MESSAGES,
      gapMs: LATENCY_GAP_MS,
      deliveries: latencies.length,
      complete: latencyComplete,
      p50Ms: round(percentile(sorted, 50), 1),
      p90Ms: round(percentile(sorted, 90), 1),
      p99Ms: round(percentile(sorted, 99), 1),
      maxMs: round(sorted.at(-1) ?? NaN, 1),
    },
    throughput: {
      messages: THROUGHPUT_MESSAGES,
      concurrency: THROUGHPUT_CONCURRENCY,
      complete: throughputComplete,
      deliveries: throughputDeliveries,
      seconds: round(seconds, 3),
      deliveriesPerSecond: Math.round(throughputDeliveries / seconds),
      messagesPerSecond: round(THROUGHPUT_MESSAGES / seconds, 1),
      postsSeconds: round((postsDone - start) / 1000, 3),
      serverCpuCores: cpu0 === null || cpu1 === null ? null : round((cpu1 - cpu0) / seconds, 2),
      clientCpuCores: round((client.user + client.system) / 1e6 / seconds, 2),
    },
    lostDeliveries: lost,
    duplicateDeliveries: duplicates,
    serverRssMb: { connected: rssConnected, end: rssEnd },
  };
}

// ----------------------------------------------------------------------------------------- app
const app = await startApp('fanout', { API_RATE_LIMIT_PER_KEY: '1000000', API_RATE_LIMIT_PER_IP: '1000000' });
const db = await arrange(app.dbUrl);
const customer = await member(db, 'customer', 0);
const agent = await member(db, 'agent', 0);
const ticket = await ticketFor(db, customer, 'Fan-out');
db.$client.close();
const appStreams = [
  ...Array.from({ length: SPLIT.customerTicketStream }, () => ({ path: `/api/tickets/${ticket.id}/events`, headers: { Cookie: customer.cookie } })),
  ...Array.from({ length: SPLIT.staffTicketStream }, () => ({ path: `/api/tickets/${ticket.id}/events`, headers: { Cookie: agent.cookie } })),
  ...Array.from({ length: SPLIT.staffQueueStream }, () => ({ path: '/api/staff/events', headers: { Cookie: agent.cookie } })),
];
// Interleaved, so every batch of openings mixes the three kinds.
const interleaved = appStreams.map((s, i) => ({ s, k: (i * 7919) % appStreams.length })).sort((a, b) => a.k - b.k).map((x) => x.s);
const appResult = await measure({
  label: 'app',
  running: app,
  streams: interleaved,
  post: async (body) => {
    const res = await fetch(`${app.origin}/api/v1/tickets/${ticket.number}/messages`, { method: 'POST', headers: { Authorization: `Bearer ${customer.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ body }) });
    await res.arrayBuffer();
    return res.status;
  },
});
await stopProcess(app);

// ------------------------------------------------------------------------------------ baseline
const baseline = await startProcess('sse-baseline', ['bench/sse-baseline.ts'], { ...process.env });
const baseResult = await measure({
  label: 'baseline',
  running: baseline,
  streams: Array.from({ length: CONNECTIONS }, () => ({ path: '/events', headers: {} })),
  post: async (body) => {
    const res = await fetch(`${baseline.origin}/publish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body }) });
    await res.arrayBuffer();
    return res.status;
  },
});
await stopProcess(baseline);

const ratio = round(appResult.throughput.deliveriesPerSecond / baseResult.throughput.deliveriesPerSecond, 3);
const summary = {
  benchmark: 'fanout',
  date: new Date().toISOString(),
  machine: { ...(await machine()), loadAverage1mAtStart: loadAtStart },
  code: await gitState(ROOT),
  command: 'npm run bench:fanout',
  split: SPLIT,
  targets: { p99Ms: TARGET.p99Ms, throughputRatio: TARGET.ratio },
  app: appResult,
  baseline: baseResult,
  throughputRatio: ratio,
  meetsLatencyTarget: appResult.latency.p99Ms <= TARGET.p99Ms,
  meetsThroughputTarget: ratio >= TARGET.ratio,
};
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/fanout.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
