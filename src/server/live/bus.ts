import { RedisEventBus } from './redis-bus.ts';

// N5 / T3: one event-bus interface for live events. Callers publish and subscribe by channel
// (e.g. `ticket:<id>`, `staff:queue`); the in-process bus serves one instance, and a Redis
// pub/sub bus can implement the same interface for several instances without touching callers.
// The bus only carries notifications: the database stays the record (streams resume from it).

export interface BusMessage {
  /** Position in the channel's ordered log; absent for ephemeral events (typing, presence). */
  seq?: number;
  type: string;
  data: unknown;
}

export type BusListener = (message: BusMessage) => void;

export interface EventBus {
  publish(channel: string, message: BusMessage): Promise<void>;
  /** Returns the unsubscribe function; a listener never throws into the publisher. */
  subscribe(channel: string, listener: BusListener): () => void;
  /** How many listeners a channel has on this instance (presence, tests, metrics). */
  listenerCount(channel: string): number;
  /** Resolves once messages published anywhere on `channel` reach this instance's listeners. */
  subscribed(channel: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: a Map of channel → listeners. Delivery is synchronous and in publish order. */
export class InProcessEventBus implements EventBus {
  private readonly channels = new Map<string, Set<BusListener>>();

  async publish(channel: string, message: BusMessage): Promise<void> {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error(`loket: a live listener on ${channel} failed: ${(error as Error).message}`);
      }
    }
  }

  subscribe(channel: string, listener: BusListener): () => void {
    let listeners = this.channels.get(channel);
    if (!listeners) this.channels.set(channel, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      const set = this.channels.get(channel);
      if (!set) return;
      set.delete(listener);
      if (set.size === 0) this.channels.delete(channel);
    };
  }

  listenerCount(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  async subscribed(): Promise<void> {
    // in-process delivery is immediate
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}

// One bus per process, even when this module is loaded twice (the Astro bundle and scripts/start.ts
// each carry their own copy of src/): the instance lives on globalThis under a registered symbol.
const KEY = Symbol.for('loket.eventBus');
type WithBus = typeof globalThis & { [KEY]?: EventBus };

/**
 * The instance's bus: Redis pub/sub when LIVE_BUS_URL names a Redis server (several instances,
 * N5), else in-process. Callers never know which.
 */
export function getEventBus(env: NodeJS.ProcessEnv = process.env): EventBus {
  const g = globalThis as WithBus;
  g[KEY] ??= createEventBus(env.LIVE_BUS_URL?.trim());
  return g[KEY];
}

function createEventBus(url: string | undefined): EventBus {
  if (!url) return new InProcessEventBus();
  if (!/^rediss?:\/\//.test(url)) throw new Error('LIVE_BUS_URL must be a redis:// or rediss:// URL');
  return new RedisEventBus(url);
}
