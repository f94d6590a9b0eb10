// T3 / S1 / S2: the live record of a ticket. A change appends an event in the same `db.batch` as
// the change itself (`ticketEventStatement`), then publishes it (`publishTicketEvents`) on three
// channels: the ticket's staff stream (every event), the ticket's customer stream (only what the
// customer may see — never an internal note) and the staff queue (every event of every ticket).
// Streams resume from the stored record (see ../live/stream.ts), so a lost notification costs a
// catch-up read, never an event.
import { and, asc, eq, gt, isNotNull, max, SQL, sql } from 'drizzle-orm';
import { ticketEvents, ticketMessages, tickets, users, type MessageAuthorKind, type TicketEventType } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { getEventBus, type BusMessage, type EventBus } from '../live/bus.ts';
import type { LiveSource } from '../live/stream.ts';

export type Audience = 'customer' | 'staff';
export type TicketEvent = typeof ticketEvents.$inferSelect;

export const channels = {
  ticket: (ticketId: string, audience: Audience) => `ticket:${ticketId}:${audience}`,
  queue: 'staff:queue',
} as const;

/** Events read per catch-up query. */
export const EVENT_PAGE_SIZE = 200;

/** An event row as the raw INSERT … RETURNING gives it (column names, JSON as text). */
interface RawEventRow {
  id: number;
  ticket_id: string;
  seq: number;
  customer_seq: number | null;
  type: TicketEventType;
  data: string;
  created_at: number;
}

/** The events a batch returned (an empty list when the change did not happen). */
export function eventsOf(rows: unknown): TicketEvent[] {
  return (rows as RawEventRow[]).map((r) => ({
    id: Number(r.id),
    ticketId: r.ticket_id,
    seq: Number(r.seq),
    customerSeq: r.customer_seq === null ? null : Number(r.customer_seq),
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: Number(r.created_at),
  }));
}

/**
 * The INSERT of one event, for the batch that makes the change. Positions are computed inside the
 * statement, which SQLite runs under its write lock: two writers never get the same position.
 * `onlyIfChanged`: write the event only when the batch's previous statement changed a row (a
 * conditional UPDATE that found the ticket in the wrong state records nothing). Read the result
 * with `eventsOf`.
 */
export function ticketEventStatement(
  db: Db,
  event: { ticketId: string; type: TicketEventType; data: Record<string, unknown> | SQL; customerVisible: boolean; at: number; onlyIfChanged?: boolean },
) {
  const t = event.ticketId;
  const nextSeq = sql`(SELECT COALESCE(MAX(seq), 0) + 1 FROM ticket_events WHERE ticket_id = ${t})`;
  const nextCustomerSeq = event.customerVisible ? sql`(SELECT COALESCE(MAX(customer_seq), 0) + 1 FROM ticket_events WHERE ticket_id = ${t})` : sql`NULL`;
  const data = event.data instanceof SQL ? event.data : sql`${JSON.stringify(event.data)}`;
  return db.all<RawEventRow>(sql`INSERT INTO ticket_events (ticket_id, seq, customer_seq, type, data, created_at)
    SELECT ${t}, ${nextSeq}, ${nextCustomerSeq}, ${event.type}, ${data}, ${event.at}
    ${event.onlyIfChanged ? sql`WHERE changes() > 0` : sql``}
    RETURNING id, ticket_id, seq, customer_seq, type, data, created_at`);
}

/** What every event says about its ticket, read inside the batch (after the change): number, subject, status. */
function ticketSummarySql(ticketId: string) {
  return sql`'number', (SELECT ${tickets.number} FROM ${tickets} WHERE ${tickets.id} = ${ticketId}),
    'subject', (SELECT ${tickets.subject} FROM ${tickets} WHERE ${tickets.id} = ${ticketId}),
    'status', (SELECT ${tickets.status} FROM ${tickets} WHERE ${tickets.id} = ${ticketId})`;
}

/**
 * T3 / S2: the event of the message inserted just before it in the same batch — its id is the
 * ticket's newest message id, read under the write lock. Internal notes are staff-only events.
 */
export function messageEventStatement(
  db: Db,
  message: { ticketId: string; authorId: string | null; authorKind: MessageAuthorKind; internal: boolean; body: string; at: number },
  type: 'created' | 'message' = 'message',
) {
  const data = sql`json_object(
    'messageId', (SELECT MAX(${ticketMessages.id}) FROM ${ticketMessages} WHERE ${ticketMessages.ticketId} = ${message.ticketId}),
    'authorKind', ${message.authorKind},
    'authorName', (SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${message.authorId}),
    'internal', json(${message.internal ? 'true' : 'false'}),
    'body', ${message.body},
    ${ticketSummarySql(message.ticketId)})`;
  return ticketEventStatement(db, { ticketId: message.ticketId, type, data, customerVisible: !message.internal, at: message.at });
}

/** T4 / S2: the event of a status (or assignment) change made earlier in the same batch. */
export function ticketChangeEventStatement(
  db: Db,
  change: { ticketId: string; type: 'status' | 'assigned' | 'rated'; customerVisible: boolean; at: number; by?: string | null; onlyIfChanged?: boolean },
) {
  const data = sql`json_object('by', ${change.by ?? null},
    'assigneeId', (SELECT ${tickets.assigneeId} FROM ${tickets} WHERE ${tickets.id} = ${change.ticketId}),
    ${ticketSummarySql(change.ticketId)})`;
  return ticketEventStatement(db, { ticketId: change.ticketId, type: change.type, data, customerVisible: change.customerVisible, at: change.at, onlyIfChanged: change.onlyIfChanged });
}

const payload = (e: TicketEvent) => ({ ...e.data, ticketId: e.ticketId, at: e.createdAt });

/**
 * After the batch committed: tell every stream, on this instance and (through the bus) the others.
 * A failed publish is logged, never thrown: the change is stored, and streams recover it from the record.
 */
export async function publishTicketEvents(events: TicketEvent[], bus: EventBus = getEventBus()): Promise<void> {
  try {
    await publishAll(events, bus);
  } catch (error) {
    console.error(`loket: live events not published (streams will catch up from the record): ${(error as Error).message}`);
  }
}

async function publishAll(events: TicketEvent[], bus: EventBus): Promise<void> {
  for (const e of events) {
    const data = payload(e);
    await bus.publish(channels.ticket(e.ticketId, 'staff'), { seq: e.seq, type: e.type, data });
    if (e.customerSeq !== null) await bus.publish(channels.ticket(e.ticketId, 'customer'), { seq: e.customerSeq, type: e.type, data });
    await bus.publish(channels.queue, { seq: e.id, type: e.type, data });
  }
}

/** T3 / S2: typing, viewing and other moments that are not kept (no position, never replayed). */
export async function publishEphemeral(ticketId: string, audiences: Audience[], message: Omit<BusMessage, 'seq'>, bus: EventBus = getEventBus()): Promise<void> {
  const data = { ...(message.data as Record<string, unknown>), ticketId };
  for (const audience of audiences) await bus.publish(channels.ticket(ticketId, audience), { type: message.type, data });
}

/** The stream of one ticket, for its customer (their copy) or for staff (everything). */
export function ticketSource(db: Db, ticketId: string, audience: Audience, bus: EventBus = getEventBus()): LiveSource {
  return {
    pageSize: EVENT_PAGE_SIZE,
    async after(position) {
      if (audience === 'staff') {
        const rows = await db
          .select()
          .from(ticketEvents)
          .where(and(eq(ticketEvents.ticketId, ticketId), gt(ticketEvents.seq, position)))
          .orderBy(asc(ticketEvents.seq))
          .limit(EVENT_PAGE_SIZE);
        return rows.map((e) => ({ seq: e.seq, type: e.type, data: payload(e) }));
      }
      const rows = await db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, ticketId), isNotNull(ticketEvents.customerSeq), gt(ticketEvents.customerSeq, position)))
        .orderBy(asc(ticketEvents.customerSeq))
        .limit(EVENT_PAGE_SIZE);
      return rows.map((e) => ({ seq: e.customerSeq!, type: e.type, data: payload(e) }));
    },
    subscribe: (listener) => bus.subscribe(channels.ticket(ticketId, audience), listener),
    ready: () => bus.subscribed(channels.ticket(ticketId, audience)),
  };
}

/** S1: every event of every ticket, for the staff queue. */
export function queueSource(db: Db, bus: EventBus = getEventBus()): LiveSource {
  return {
    pageSize: EVENT_PAGE_SIZE,
    async after(position) {
      const rows = await db.select().from(ticketEvents).where(gt(ticketEvents.id, position)).orderBy(asc(ticketEvents.id)).limit(EVENT_PAGE_SIZE);
      return rows.map((e) => ({ seq: e.id, type: e.type, data: payload(e) }));
    },
    subscribe: (listener) => bus.subscribe(channels.queue, listener),
    ready: () => bus.subscribed(channels.queue),
  };
}

/** Where a page that has just rendered a ticket (or the queue) starts its stream. */
export async function latestPosition(db: Db, scope: { ticketId: string; audience: Audience } | 'queue'): Promise<number> {
  if (scope === 'queue') return (await db.select({ v: max(ticketEvents.id) }).from(ticketEvents))[0]?.v ?? 0;
  const column = scope.audience === 'staff' ? ticketEvents.seq : ticketEvents.customerSeq;
  return (await db.select({ v: max(column) }).from(ticketEvents).where(eq(ticketEvents.ticketId, scope.ticketId)))[0]?.v ?? 0;
}
