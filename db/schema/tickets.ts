// Support tickets (T1–T7, S1–S5): a ticket per conversation, its messages (customer, agent,
// system; staff notes flagged internal), and the single-use links that confirm the address of
// a sender who wrote without signing in (T6, A19 "by email with verification").
import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

const now = sql`(unixepoch('subsec') * 1000)`;

/** T4: new → open → pending (waiting on the customer) → resolved → closed. */
export const ticketStatuses = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** What the ticket is about; the public form (T6) offers all but `question` (the live box's). */
export const ticketTopics = ['question', 'lost-access', 'manual-verification', 'suspension-appeal', 'deletion-request', 'other'] as const;
export type TicketTopic = (typeof ticketTopics)[number];

export const messageAuthorKinds = ['customer', 'agent', 'system'] as const;
export type MessageAuthorKind = (typeof messageAuthorKinds)[number];

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    /** The human-readable ticket number shown to customers and agents (#1001, #1002, …). */
    number: integer('number').notNull(),
    /** The account, when the ticket was opened signed in (or linked by staff later); null for public senders. */
    customerId: text('customer_id').references(() => users.id, { onDelete: 'set null' }),
    /** Where replies go by email (T5/T6); normalized like users.email. */
    senderEmail: text('sender_email').notNull(),
    senderName: text('sender_name').notNull().default(''),
    /** T6: written without signing in; the address is only trusted once senderVerifiedAt is set. */
    unverifiedSender: integer('unverified_sender', { mode: 'boolean' }).notNull().default(false),
    senderVerifiedAt: integer('sender_verified_at'),
    subject: text('subject').notNull(),
    /** T2: the support area (a kb_areas slug), when known. */
    areaSlug: text('area_slug'),
    /** T2/T5: the customer's language; replies by email use it. */
    locale: text('locale').notNull(),
    status: text('status', { enum: ticketStatuses }).notNull().default('new'),
    topic: text('topic', { enum: ticketTopics }).notNull().default('question'),
    /** S2: the agent who claimed or was assigned the ticket. */
    assigneeId: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    /** K6: the entry the customer read before asking (its slug). */
    contextEntrySlug: text('context_entry_slug'),
    createdAt: integer('created_at').notNull().default(now),
    /** Bumped by every message and status change: the queue views sort on it. */
    updatedAt: integer('updated_at').notNull().default(now),
    resolvedAt: integer('resolved_at'),
    closedAt: integer('closed_at'),
    /** T4: after resolution the customer may rate the help. */
    rating: text('rating', { enum: ['good', 'bad'] }),
    ratingComment: text('rating_comment'),
    ratedAt: integer('rated_at'),
  },
  (t) => [
    uniqueIndex('tickets_number').on(t.number),
    // S1 queue views: by status (all open, pending, resolved), unassigned / mine, newest activity first.
    index('tickets_status_updated').on(t.status, t.updatedAt),
    index('tickets_assignee_status_updated').on(t.assigneeId, t.status, t.updatedAt),
    // T2: a customer's own tickets; S1: search by customer email.
    index('tickets_customer_updated').on(t.customerId, t.updatedAt),
    index('tickets_sender_email').on(t.senderEmail),
  ],
);

export const ticketMessages = sqliteTable(
  'ticket_messages',
  {
    /** Increasing: T3 resumes a live stream after the last id seen (no message lost or shown twice). */
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: text('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    /** Null for system messages and public senders without an account. */
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    authorKind: text('author_kind', { enum: messageAuthorKinds }).notNull(),
    /** S2: a staff note, never shown to the customer. */
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    /** T7: plain text, at most 10,000 characters; rendered as text with links, never as HTML. */
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [index('ticket_messages_ticket').on(t.ticketId, t.id)],
);

/** T6 / A19: the emailed single-use link that confirms a public sender's address (only its hash is kept). */
export const ticketSenderConfirmations = sqliteTable(
  'ticket_sender_confirmations',
  {
    /** The public half of the link token `id.secret`. */
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
    /** SHA-256 of the secret half; compared in constant time. */
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull().default(now),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('ticket_sender_confirmations_ticket').on(t.ticketId)],
);

/** S2: canned replies per language, picked by agents while answering. */
export const cannedReplies = sqliteTable(
  'canned_replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    locale: text('locale').notNull(),
    title: text('title').notNull(),
    /** Plain text, like every message (T7). */
    body: text('body').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('canned_replies_locale').on(t.locale, t.title)],
);

/**
 * T2: a knowledge-base entry suggested while a customer wrote a ticket and opened by them. One
 * row per opened suggestion of a draft; `ticketId` is filled when that draft was sent after all.
 * An opened suggestion whose draft was never sent counts as a deflection.
 */
export const ticketDeflections = sqliteTable(
  'ticket_deflections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Random id of one ticket draft in one browser. */
    draftId: text('draft_id').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    entrySlug: text('entry_slug').notNull(),
    locale: text('locale').notNull(),
    openedAt: integer('opened_at').notNull().default(now),
    ticketId: text('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  },
  (t) => [index('ticket_deflections_draft').on(t.draftId), index('ticket_deflections_entry').on(t.entrySlug, t.locale)],
);
