// T3 / N5: the live stream resumes exactly — after any disconnect, a reconnect with
// Last-Event-ID gets the missed events, none lost, none twice, in order — and the event bus
// delivers per channel and frees listeners when a stream closes.
import { describe, expect, test } from 'vitest';
import { InProcessEventBus, type BusMessage } from '../../src/server/live/bus.ts';
import { formatEvent, liveStream, parseLastEventId, type LiveSource } from '../../src/server/live/stream.ts';

interface Received {
  id?: number;
  event: string;
  data: unknown;
}

/** A channel's stored log (the database's role) plus the bus, as the ticket module wires them. */
class Channel {
  log: Array<BusMessage & { seq: number }> = [];
  readonly bus: InProcessEventBus;
  readonly name: string;
  readonly pageSize: number;
  constructor(bus: InProcessEventBus, name: string, pageSize = 50) {
    this.bus = bus;
    this.name = name;
    this.pageSize = pageSize;
  }
  /** Appends and publishes; `publishDelay` lets publishes overtake each other as across instances. */
  async append(type: string, data: unknown, publishDelay = 0) {
    const event = { seq: this.log.length + 1, type, data };
    this.log.push(event);
    if (publishDelay) await new Promise((r) => setTimeout(r, publishDelay));
    await this.bus.publish(this.name, event);
  }
  source(): LiveSource {
    return {
      pageSize: this.pageSize,
      after: async (seq) => {
        await new Promise((r) => setTimeout(r, Math.random() * 2)); // a database read takes time
        return this.log.filter((e) => e.seq > seq).slice(0, this.pageSize);
      },
      subscribe: (listener) => this.bus.subscribe(this.name, listener),
    };
  }
}

/** Reads a stream, parsing SSE events, until `until` says stop (then cancels, like a dropped connection). */
async function read(stream: ReadableStream<Uint8Array>, until: (events: Received[]) => boolean, timeoutMs = 2000): Promise<Received[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const events: Received[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events) && Date.now() < deadline) {
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
      if (next === null || next.done) break;
      buffer += decoder.decode(next.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        if (fields.event) events.push({ id: fields.id !== undefined ? Number(fields.id) : undefined, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
        if (until(events)) break;
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

describe('T3: SSE format and Last-Event-ID', () => {
  test('an event carries its position as the SSE id; an ephemeral one has none', () => {
    expect(formatEvent({ seq: 7, type: 'message', data: { body: 'hi' } })).toBe('id: 7\nevent: message\ndata: {"body":"hi"}\n\n');
    expect(formatEvent({ type: 'typing', data: { who: 'agent' } })).toBe('event: typing\ndata: {"who":"agent"}\n\n');
  });

  test('Last-Event-ID must be a non-negative integer; anything else starts from the beginning', () => {
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId(' 3 ')).toBe(3);
    for (const bad of [null, undefined, '', '-1', '1e3', 'abc', '9'.repeat(20), '4.5']) expect(parseLastEventId(bad)).toBe(0);
  });
});

describe('T3: resume without loss or duplicates', () => {
  test('T3: a fresh stream replays the stored events, then goes live', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:a');
    await channel.append('message', 1);
    await channel.append('message', 2);
    const stream = liveStream({ source: channel.source(), lastSeq: 0, heartbeatMs: 60_000 });
    setTimeout(() => void channel.append('message', 3), 20);
    const got = await read(stream, (e) => e.length >= 3);
    expect(got.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(got.map((e) => e.data)).toEqual([1, 2, 3]);
  });

  test('T3: a reconnect with Last-Event-ID gets exactly the events after it', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:b');
    for (let i = 1; i <= 5; i++) await channel.append('message', i);
    const got = await read(liveStream({ source: channel.source(), lastSeq: 3, heartbeatMs: 60_000 }), (e) => e.length >= 2);
    expect(got.map((e) => e.id)).toEqual([4, 5]);
  });

  test('T3: events published out of order (as from two instances) still arrive in order, once each', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:c');
    const stream = liveStream({ source: channel.source(), lastSeq: 0, heartbeatMs: 60_000 });
    const reading = read(stream, (e) => e.length >= 3);
    await new Promise((r) => setTimeout(r, 10));
    await Promise.all([channel.append('message', 'slow', 15), channel.append('message', 'fast', 0), channel.append('message', 'last', 5)]);
    const got = await reading;
    expect(got.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(got.map((e) => e.data)).toEqual(['slow', 'fast', 'last']);
  });

  test('T3: a backlog longer than one page is read page by page', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:d', 7);
    for (let i = 1; i <= 30; i++) await channel.append('message', i);
    const got = await read(liveStream({ source: channel.source(), lastSeq: 2, heartbeatMs: 60_000 }), (e) => e.length >= 28);
    expect(got.map((e) => e.id)).toEqual(Array.from({ length: 28 }, (_, i) => i + 3));
  });

  test('T3: across 100 random disconnects while messages keep coming, every event arrives exactly once, in order', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:e', 10);
    const TOTAL = 400;
    let producing = true;
    const producer = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        // bursts and pauses; some publishes delayed so that they overtake each other
        void channel.append('message', i + 1, Math.random() < 0.2 ? Math.random() * 4 : 0);
        if (Math.random() < 0.3) await new Promise((r) => setTimeout(r, Math.random() * 3));
      }
      producing = false;
    })();
    const seen: number[] = [];
    let last = 0;
    let reconnects = 0;
    while (producing || last < TOTAL) {
      const take = 1 + Math.floor(Math.random() * 4);
      const got = await read(liveStream({ source: channel.source(), lastSeq: last, heartbeatMs: 60_000 }), (e) => e.length >= take, producing ? 200 : 500);
      reconnects++;
      for (const e of got) seen.push(e.id!);
      if (got.length) last = got.at(-1)!.id!;
      if (reconnects > 5000) break;
    }
    await producer;
    expect(reconnects).toBeGreaterThanOrEqual(100);
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(channel.bus.listenerCount('ticket:e')).toBe(0); // every closed stream let go of its listener
  });
});

describe('N5: several instances without a shared bus', () => {
  test('N5: with pollMs, an event written through another instance (stored, never published here) still arrives, once, in order', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:p');
    const stream = liveStream({ source: channel.source(), lastSeq: 0, heartbeatMs: 60_000, pollMs: 20 });
    setTimeout(() => {
      // another instance wrote these: in the record, but no publish reaches this process
      channel.log.push({ seq: 1, type: 'message', data: 'from B' }, { seq: 2, type: 'message', data: 'also from B' });
    }, 30);
    setTimeout(() => void channel.append('message', 'local'), 120);
    const got = await read(stream, (e) => e.length >= 3, 2000);
    expect(got.map((e) => [e.id, e.data])).toEqual([
      [1, 'from B'],
      [2, 'also from B'],
      [3, 'local'],
    ]);
  });

  test('N5: LIVE_POLL_MS is off by default, at least 250 ms when set, and refuses nonsense', async () => {
    const { livePollMs } = await import('../../src/server/config.ts');
    expect(livePollMs({})).toBe(0);
    expect(livePollMs({ LIVE_POLL_MS: '0' })).toBe(0);
    expect(livePollMs({ LIVE_POLL_MS: '2000' })).toBe(2000);
    expect(livePollMs({ LIVE_POLL_MS: '10' })).toBe(250);
    for (const bad of ['-1', 'soon', '1.5']) expect(() => livePollMs({ LIVE_POLL_MS: bad })).toThrow(/LIVE_POLL_MS/);
  });
});

describe('T3 / N5: bus and stream lifecycle', () => {
  test('N5: the bus delivers per channel, in publish order; a failing listener does not stop the others', async () => {
    const bus = new InProcessEventBus();
    const a: unknown[] = [];
    const b: unknown[] = [];
    bus.subscribe('ticket:1', () => {
      throw new Error('boom');
    });
    const off = bus.subscribe('ticket:1', (m) => a.push(m.data));
    bus.subscribe('ticket:2', (m) => b.push(m.data));
    const errors = console.error;
    console.error = () => {};
    try {
      for (let i = 1; i <= 3; i++) await bus.publish('ticket:1', { seq: i, type: 'message', data: i });
    } finally {
      console.error = errors;
    }
    await bus.publish('ticket:2', { type: 'typing', data: 'x' });
    off();
    await bus.publish('ticket:1', { seq: 4, type: 'message', data: 4 });
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual(['x']);
    expect(bus.listenerCount('ticket:1')).toBe(1);
  });

  test('T3: ephemeral events (typing) are sent live without an id and never replayed', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:f');
    await channel.append('message', 'stored');
    const stream = liveStream({ source: channel.source(), lastSeq: 0, heartbeatMs: 60_000 });
    setTimeout(() => void channel.bus.publish('ticket:f', { type: 'typing', data: { who: 'agent' } }), 20);
    const got = await read(stream, (e) => e.length >= 2);
    expect(got).toEqual([
      { id: 1, event: 'message', data: 'stored' },
      { id: undefined, event: 'typing', data: { who: 'agent' } },
    ]);
    const again = await read(liveStream({ source: channel.source(), lastSeq: 0, heartbeatMs: 60_000 }), () => false, 100);
    expect(again.map((e) => e.event)).toEqual(['message']);
  });

  test('T3: an abort or a cancel frees the listener and stops the heartbeat', async () => {
    const channel = new Channel(new InProcessEventBus(), 'ticket:g');
    const controller = new AbortController();
    let closed = 0;
    const stream = liveStream({ source: channel.source(), lastSeq: 0, signal: controller.signal, heartbeatMs: 5, onClose: () => closed++ });
    const reader = stream.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('retry: 2000\n\n');
    expect(channel.bus.listenerCount('ticket:g')).toBe(1);
    const ping = new TextDecoder().decode((await reader.read()).value);
    expect(ping).toBe(': ping\n\n');
    controller.abort();
    expect(channel.bus.listenerCount('ticket:g')).toBe(0);
    await reader.cancel();
    expect(closed).toBe(1); // once, though both the abort and the cancel ended it
    // a stream that starts already aborted subscribes to nothing
    const done = new AbortController();
    done.abort();
    liveStream({ source: channel.source(), lastSeq: 0, signal: done.signal });
    expect(channel.bus.listenerCount('ticket:g')).toBe(0);
  });
});
