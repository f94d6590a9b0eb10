// N5: the event bus across instances — Redis pub/sub behind the same EventBus interface as the
// in-process bus, so callers do not change. Each instance keeps one publishing and one
// subscribing connection; a Redis channel per bus channel is subscribed while this instance has
// listeners on it. Pub/sub is at-most-once: if Redis is away, publishes fail (logged, the write
// itself is already committed) and streams recover from the stored record (catch-up on the next
// event, LIVE_POLL_MS, or the browser's reconnect with Last-Event-ID).
// The Redis client is loaded only when this bus is made (LIVE_BUS_URL set): an instance on the
// in-process bus never loads it.
import type { BusListener, BusMessage, EventBus } from './bus.ts';

const PREFIX = 'loket:';

/** The publishing and the subscribing connection, once both are open. */
async function connect(url: string) {
  const { createClient } = await import('redis');
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on('error', (error: Error) => console.error(`loket: live bus (Redis): ${error.message}`));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return { publisher, subscriber };
}

export class RedisEventBus implements EventBus {
  private readonly clients: ReturnType<typeof connect>;
  private readonly channels = new Map<string, { listeners: Set<BusListener>; ready: Promise<void> }>();

  constructor(url: string) {
    this.clients = connect(url);
    this.clients.catch(() => {}); // reported through the error events; calls below fail on their own
  }

  async publish(channel: string, message: BusMessage): Promise<void> {
    const { publisher } = await this.clients;
    await publisher.publish(PREFIX + channel, JSON.stringify(message));
  }

  subscribe(channel: string, listener: BusListener): () => void {
    let entry = this.channels.get(channel);
    if (!entry) {
      const listeners = new Set<BusListener>();
      const deliver = (raw: string) => {
        let message: BusMessage;
        try {
          message = JSON.parse(raw) as BusMessage;
        } catch {
          return;
        }
        for (const l of [...listeners]) {
          try {
            l(message);
          } catch (error) {
            console.error(`loket: a live listener on ${channel} failed: ${(error as Error).message}`);
          }
        }
      };
      const ready = this.clients.then(({ subscriber }) => subscriber.subscribe(PREFIX + channel, deliver)).then(() => undefined);
      ready.catch((error: Error) => console.error(`loket: live bus (Redis) could not subscribe to ${channel}: ${error.message}`));
      entry = { listeners, ready };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.channels.get(channel) === current) {
        this.channels.delete(channel);
        void current.ready.then(() => this.clients).then(({ subscriber }) => subscriber.unsubscribe(PREFIX + channel)).catch(() => {});
      }
    };
  }

  /** Resolves once Redis delivers this channel's messages to this instance. */
  async subscribed(channel: string): Promise<void> {
    await this.channels.get(channel)?.ready;
  }

  listenerCount(channel: string): number {
    return this.channels.get(channel)?.listeners.size ?? 0;
  }

  async close(): Promise<void> {
    this.channels.clear();
    const clients = await this.clients.catch(() => null);
    if (clients) await Promise.allSettled([clients.subscriber.quit(), clients.publisher.quit()]);
  }
}
