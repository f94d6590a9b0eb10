// N5: live events through Redis pub/sub — two buses (two app instances) on one real Redis server:
// what one publishes, the other's listeners get, in order; the live stream on one instance
// delivers events written and published by the other; unsubscribing frees the channel.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getEventBus, InProcessEventBus, type BusMessage } from '../../src/server/live/bus.ts';
import { RedisEventBus } from '../../src/server/live/redis-bus.ts';
import { liveStream, type LiveSource } from '../../src/server/live/stream.ts';
import { startRedis } from '../helpers/redis.ts';

let redis: Awaited<ReturnType<typeof startRedis>>;
const buses: RedisEventBus[] = [];
const bus = () => {
  const b = new RedisEventBus(redis.url);
  buses.push(b);
  return b;
};

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await redis?.stop();
});

describe('N5: the Redis event bus', () => {
  test('N5: 200 messages published on instance A reach instance B’s listeners, in order, once each; other channels hear nothing', async () => {
    const [a, b] = [bus(), bus()];
    const got: BusMessage[] = [];
    const other: BusMessage[] = [];
    b.subscribe('ticket:x:customer', (m) => got.push(m));
    b.subscribe('ticket:y:customer', (m) => other.push(m));
    await b.subscribed('ticket:x:customer');
    for (let i = 1; i <= 200; i++) await a.publish('ticket:x:customer', { seq: i, type: 'message', data: { i } });
    await expect.poll(() => got.length, { timeout: 5000, interval: 20 }).toBe(200);
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(got[0]).toEqual({ seq: 1, type: 'message', data: { i: 1 } });
    expect(other).toEqual([]);
  });

  test('N5: after the last listener leaves, the instance no longer receives the channel', async () => {
    const [a, b] = [bus(), bus()];
    const got: unknown[] = [];
    const off = b.subscribe('staff:queue', (m) => got.push(m.data));
    await b.subscribed('staff:queue');
    await a.publish('staff:queue', { seq: 1, type: 'created', data: 1 });
    await expect.poll(() => got.length, { timeout: 5000, interval: 20 }).toBe(1);
    off();
    expect(b.listenerCount('staff:queue')).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    await a.publish('staff:queue', { seq: 2, type: 'created', data: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([1]);
  });

  test('N5 / T3: a live stream on instance B delivers what instance A stored and published, in order, none twice', async () => {
    const [a, b] = [bus(), bus()];
    const log: Array<BusMessage & { seq: number }> = [];
    const source: LiveSource = {
      pageSize: 50,
      after: async (seq) => log.filter((e) => e.seq > seq),
      subscribe: (listener) => b.subscribe('ticket:z:staff', listener),
      ready: () => b.subscribed('ticket:z:staff'),
    };
    const stream = liveStream({ source, lastSeq: 0, heartbeatMs: 60_000 });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const reading = (async () => {
      while ((text.match(/^id: /gm)?.length ?? 0) < 30) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await b.subscribed('ticket:z:staff');
    for (let i = 1; i <= 30; i++) {
      log.push({ seq: i, type: 'message', data: i });
      await a.publish('ticket:z:staff', { seq: i, type: 'message', data: i });
    }
    await reading;
    await reader.cancel();
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  test('N5: LIVE_BUS_URL chooses the bus; anything but redis(s):// is refused; without it the bus is in-process', () => {
    const g = globalThis as Record<symbol, unknown>;
    const key = Symbol.for('loket.eventBus');
    const saved = g[key];
    try {
      delete g[key];
      expect(() => getEventBus({ LIVE_BUS_URL: 'http://example.com' })).toThrow(/LIVE_BUS_URL/);
      delete g[key];
      expect(getEventBus({})).toBeInstanceOf(InProcessEventBus);
      delete g[key];
      const redisBus = getEventBus({ LIVE_BUS_URL: redis.url });
      expect(redisBus).toBeInstanceOf(RedisEventBus);
      buses.push(redisBus as RedisEventBus);
    } finally {
      g[key] = saved;
    }
  });
});
