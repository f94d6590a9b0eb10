// T3: a Server-Sent Events stream that resumes exactly. Each event of a channel has a position
// (`seq`, increasing, stored in the database); the stream sends it as the SSE `id`. A reconnect
// with `Last-Event-ID: n` first replays everything after n from the database, then goes live.
// Live notifications that arrive out of order or after a gap trigger a catch-up read, and
// anything at or below the last position sent is dropped — so nothing is lost or sent twice,
// and events arrive in order. Ephemeral events (typing, presence) carry no seq and no id.
import type { BusMessage } from './bus.ts';

export interface LiveSource {
  /** The stored events after `seq`, in order, at most `pageSize` of them (read again while pages are full). */
  after(seq: number): Promise<Array<BusMessage & { seq: number }>>;
  pageSize: number;
  /** Live notifications; returns the unsubscribe function. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  /** Resolves once live notifications flow (a shared bus subscribes asynchronously). */
  ready?: () => Promise<void>;
}

export interface LiveStreamOptions {
  source: LiveSource;
  /** The position the client has (Last-Event-ID); 0 for a fresh stream. */
  lastSeq: number;
  signal?: AbortSignal;
  heartbeatMs?: number;
  /** The reconnect delay the browser should use (SSE `retry:`). */
  retryMs?: number;
  /** Sent once at the start (e.g. who is online), without an id. */
  hello?: BusMessage;
  /** Called once when the stream ends (client gone, aborted or failed): release what it held. */
  onClose?: () => void;
  /** N5: also read the stored record this often (ms) — events written through another instance. 0: never. */
  pollMs?: number;
}

const encoder = new TextEncoder();
// A message published once reaches every open stream of its channel as the same object: format
// and encode it once for all of them (fan-out cost per connection is then one enqueue).
const encoded = new WeakMap<BusMessage, Uint8Array>();
function encodedEvent(message: BusMessage): Uint8Array {
  let bytes = encoded.get(message);
  if (!bytes) encoded.set(message, (bytes = encoder.encode(formatEvent(message))));
  return bytes;
}

export function formatEvent(message: BusMessage): string {
  const lines = message.seq !== undefined ? [`id: ${message.seq}`] : [];
  lines.push(`event: ${message.type}`);
  for (const line of JSON.stringify(message.data ?? null).split('\n')) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** Parses a Last-Event-ID header (or `?lastEventId=`): a non-negative integer, else 0. */
export function parseLastEventId(value: string | null | undefined): number {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return 0;
  return Number(value.trim());
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
} as const;

/** Where a live stream's bytes go: a web stream's controller, or a Node response directly. */
export interface LiveSink {
  /** May throw when the other side is gone; the stream then stops. */
  enqueue(bytes: Uint8Array): void;
  close(): void;
}

/**
 * Runs a live stream into `sink` until it is stopped (the returned function), aborted through
 * `signal`, or fails. The web-stream adapter below serves the Astro endpoints; scripts/serve.ts
 * writes straight to the socket (the fan-out fast path).
 */
export function runLiveStream({ source, lastSeq, signal, heartbeatMs = 15_000, retryMs = 2_000, hello, onClose, pollMs = 0 }: LiveStreamOptions, sink: LiveSink): () => void {
  let last = lastSeq;
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  // Every send and catch-up runs through this chain, so events leave in order; when nothing waits
  // in it, the next event in line is sent at once (the common case, and the cheap one).
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;

  const stop = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (heartbeat) clearInterval(heartbeat);
    if (poll) clearInterval(poll);
    signal?.removeEventListener('abort', stop);
    onClose?.();
  };

  {
    {
      const send = (bytes: Uint8Array) => {
        if (closed) return;
        try {
          sink.enqueue(bytes);
        } catch {
          stop();
        }
      };
      const write = (text: string) => send(encoder.encode(text));
      const catchUp = async () => {
        for (;;) {
          const events = await source.after(last);
          const fresh = events.filter((e) => e.seq > last);
          for (const event of fresh) {
            send(encodedEvent(event));
            last = event.seq;
          }
          if (closed || events.length < source.pageSize) return;
        }
      };
      const enqueue = (task: () => Promise<void> | void) => {
        waiting++;
        chain = chain.then(task).finally(() => waiting--).catch((error) => {
          console.error(`loket: a live stream failed: ${(error as Error).message}`);
          write(`event: error\ndata: null\n\n`);
          try {
            sink.close();
          } catch {
            /* already closed */
          }
          stop();
        });
      };
      if (signal?.aborted) {
        stop();
        sink.close();
        return stop;
      }
      signal?.addEventListener('abort', stop);
      write(`retry: ${retryMs}\n\n`);
      if (hello) send(encodedEvent({ type: hello.type, data: hello.data }));
      // Subscribe before reading the backlog: whatever is published meanwhile waits in the chain.
      unsubscribe = source.subscribe((message) => {
        if (closed) return;
        const seq = message.seq;
        if (waiting === 0 && (seq === undefined || seq === last + 1)) {
          // Nothing queued ahead of it: in order by definition.
          send(encodedEvent(message));
          if (seq !== undefined) last = seq;
          return;
        }
        if (seq === undefined) {
          enqueue(() => send(encodedEvent(message)));
          return;
        }
        enqueue(async () => {
          if (seq <= last) return; // already sent (by a catch-up)
          if (seq === last + 1) {
            send(encodedEvent(message));
            last = seq;
          } else {
            await catchUp(); // a gap: read what is missing from the record
          }
        });
      });
      // The backlog is read once notifications flow, so nothing falls between the two.
      enqueue(async () => {
        await source.ready?.();
        await catchUp();
      });
      heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
      heartbeat.unref?.();
      if (pollMs > 0) {
        poll = setInterval(() => enqueue(catchUp), pollMs);
        poll.unref?.();
      }
    }
  }
  return stop;
}

/** The live stream as a web ReadableStream (an endpoint's Response body). */
export function liveStream(options: LiveStreamOptions): ReadableStream<Uint8Array> {
  let stop: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stop = runLiveStream(options, { enqueue: (bytes) => controller.enqueue(bytes), close: () => controller.close() });
    },
    cancel() {
      stop?.();
    },
  });
}
