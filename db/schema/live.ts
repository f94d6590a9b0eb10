// T3 / S1 / S2: the live record of every ticket. Each change of a ticket (created, message, status,
// assignment, rating) is one row, written in the same batch as the change itself, so a stream
// resumes from here (Last-Event-ID) with nothing lost or sent twice. Positions:
//   id           — increasing over all tickets: the staff queue stream (S1)
//   seq          — increasing per ticket: the staff view of one ticket (internal notes included)
//   customer_seq — increasing per ticket over what the customer may see: the customer's stream;
//                  null for staff-only events (internal notes never reach a customer, S2)
// Presence (who has a stream open) lives in the database too, so it holds across instances (N5).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tickets } from './tickets.ts';

const now = sql`(unixepoch('subsec') * 1000)`;

export const ticketEventTypes = ['created', 'message', 'status', 'assigned', 'rated'] as const;
export type TicketEventType = (typeof ticketEventTypes)[number];

export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: text('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    customerSeq: integer('customer_seq'),
    type: text('type', { enum: ticketEventTypes }).notNull(),
    /** What the event says (never a secret); the customer's copy is this minus staff-only fields. */
    data: text('data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('ticket_events_seq').on(t.ticketId, t.seq), uniqueIndex('ticket_events_customer_seq').on(t.ticketId, t.customerSeq)],
);

/** T3 (agent online, customer connected for T5) and S2 (who else views a ticket): open streams, refreshed while open. */
export const livePresence = sqliteTable(
  'live_presence',
  {
    /** `staff` (the console), `ticket:<id>:customer`, `ticket:<id>:staff`. */
    channel: text('channel').notNull(),
    /** One open stream: `<user id>:<connection id>`. */
    member: text('member').notNull(),
    userId: text('user_id').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.member] }), index('live_presence_seen').on(t.lastSeenAt)],
);
