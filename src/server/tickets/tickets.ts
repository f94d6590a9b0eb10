// T2 / T4 / T7: tickets and their messages. Plain functions over the database; every write is one
// `db.batch` (atomic, no interactive transaction — STACK-NOTES), so a message that was
// acknowledged is in the database. No Astro here: the pages, the live console and the API call these.
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import {
  ticketMessages,
  tickets,
  ticketSenderConfirmations,
  ticketTopics,
  type MessageAuthorKind,
  type TicketTopic,
} from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { isValidEmail, normalizeEmail } from '../auth/email.ts';
import { randomId } from '../auth/crypto.ts';
import type { Db } from '../db/client.ts';
import { eventsOf, messageEventStatement, publishTicketEvents, ticketChangeEventStatement } from './live-events.ts';
import { newSenderConfirmation } from './sender-confirmation.ts';

export type Ticket = typeof tickets.$inferSelect;
export type TicketMessage = typeof ticketMessages.$inferSelect;

/** T7: limits of what a customer or agent may write. */
export const SUBJECT_MAX_LENGTH = 200;
export const MESSAGE_MAX_LENGTH = 10_000;
export const SENDER_NAME_MAX_LENGTH = 100;
/** Ticket numbers start here, so the first one does not look like a test (#1001). */
export const FIRST_TICKET_NUMBER = 1001;

export type TextProblem = 'required' | 'too-long';

/** T7: trimmed text of 1..max characters; anything that is not a string counts as empty. */
export function checkText(raw: unknown, max: number): { ok: true; value: string } | { ok: false; problem: TextProblem } {
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (!value) return { ok: false, problem: 'required' };
  // Counted in code points, as a person counts characters (an emoji is one).
  if ([...value].length > max) return { ok: false, problem: 'too-long' };
  return { ok: true, value };
}

export function isTicketTopic(value: unknown): value is TicketTopic {
  return typeof value === 'string' && (ticketTopics as readonly string[]).includes(value);
}

/** A programming error upstream (the forms validate first): the domain never stores bad input (T7, N2). */
export class TicketInputError extends Error {
  constructor(field: string, problem: string) {
    super(`ticket ${field}: ${problem}`);
    this.name = 'TicketInputError';
  }
}

export interface NewTicket {
  /** The account the ticket belongs to (signed in); null for a public sender (T6). */
  customerId: string | null;
  senderEmail: string;
  senderName: string;
  /** T6: true when written without signing in; the address is confirmed by an emailed link. */
  unverifiedSender: boolean;
  subject: string;
  /** The first message. */
  body: string;
  topic: TicketTopic;
  locale: Locale;
  areaSlug?: string | null;
  /** K6: the entry the customer read before asking. */
  contextEntrySlug?: string | null;
}

export interface CreatedTicket {
  ticket: Ticket;
  message: TicketMessage;
  /** For an unverified sender: the `id.secret` token of the link that confirms the address (emailed, never stored). */
  confirmationToken: string | null;
}

/** T2 / T6: a ticket with its first message (and, for an unverified sender, the confirmation link) in one batch. */
export async function createTicket(db: Db, input: NewTicket, now = Date.now()): Promise<CreatedTicket> {
  const subject = checkText(input.subject, SUBJECT_MAX_LENGTH);
  if (!subject.ok) throw new TicketInputError('subject', subject.problem);
  const body = checkText(input.body, MESSAGE_MAX_LENGTH);
  if (!body.ok) throw new TicketInputError('body', body.problem);
  const senderEmail = normalizeEmail(input.senderEmail);
  if (!isValidEmail(senderEmail)) throw new TicketInputError('senderEmail', 'invalid');
  // One line: the name is echoed in emails, where a line of its own could pass for a link of ours.
  const senderName = input.senderName.replace(/\s+/g, ' ').trim();
  if ([...senderName].length > SENDER_NAME_MAX_LENGTH) throw new TicketInputError('senderName', 'too-long');
  if (!isTicketTopic(input.topic)) throw new TicketInputError('topic', 'invalid');
  if (!isLocale(input.locale)) throw new TicketInputError('locale', 'invalid');
  if (input.contextEntrySlug != null && !isSlug(input.contextEntrySlug)) throw new TicketInputError('contextEntrySlug', 'invalid');
  if (input.areaSlug != null && !isSlug(input.areaSlug)) throw new TicketInputError('areaSlug', 'invalid');
  if (!input.unverifiedSender && !input.customerId) throw new TicketInputError('customerId', 'a verified ticket needs an account');

  const id = randomId();
  const insertTicket = db
    .insert(tickets)
    .values({
      id,
      // One statement: SQLite (and sqld) run it under the write lock, so two tickets never share a number.
      number: sql`(SELECT COALESCE(MAX(${tickets.number}), ${FIRST_TICKET_NUMBER - 1}) + 1 FROM ${tickets})`,
      customerId: input.customerId,
      senderEmail,
      senderName,
      unverifiedSender: input.unverifiedSender,
      senderVerifiedAt: input.unverifiedSender ? null : now,
      subject: subject.value,
      areaSlug: input.areaSlug ?? null,
      locale: input.locale,
      status: 'new',
      topic: input.topic,
      contextEntrySlug: input.contextEntrySlug ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const insertMessage = db
    .insert(ticketMessages)
    .values({ ticketId: id, authorId: input.customerId, authorKind: 'customer', internal: false, body: body.value, createdAt: now })
    .returning();
  // T3 / S1: the ticket's first event goes in the same batch; the streams hear of it after the commit.
  const created = messageEventStatement(db, { ticketId: id, authorId: input.customerId, authorKind: 'customer', internal: false, body: body.value, at: now }, 'created');
  if (!input.unverifiedSender) {
    const [[ticket], [message], events] = await db.batch([insertTicket, insertMessage, created]);
    await publishTicketEvents(eventsOf(events));
    return { ticket: ticket!, message: message!, confirmationToken: null };
  }
  const confirmation = newSenderConfirmation(id, now);
  const [[ticket], [message], events] = await db.batch([insertTicket, insertMessage, created, db.insert(ticketSenderConfirmations).values(confirmation.row)]);
  await publishTicketEvents(eventsOf(events));
  return { ticket: ticket!, message: message!, confirmationToken: confirmation.token };
}

export type AddMessageResult =
  | { ok: true; message: TicketMessage }
  | { ok: false; reason: 'not-found' | 'closed' }
  | { ok: false; reason: 'invalid'; problem: TextProblem | 'internal-not-agent' };

/**
 * T2 / S2: a message on a ticket. T4: a customer's reply reopens a pending or resolved ticket;
 * a closed ticket takes no more messages. Internal notes are for agents only (S2).
 */
export async function addMessage(
  db: Db,
  input: { ticketId: string; authorId: string | null; authorKind: MessageAuthorKind; body: unknown; internal?: boolean },
  now = Date.now(),
): Promise<AddMessageResult> {
  const internal = input.internal ?? false;
  if (internal && input.authorKind !== 'agent') return { ok: false, reason: 'invalid', problem: 'internal-not-agent' };
  const body = checkText(input.body, MESSAGE_MAX_LENGTH);
  if (!body.ok) return { ok: false, reason: 'invalid', problem: body.problem };
  const ticket = (await db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, input.ticketId)).limit(1))[0];
  if (!ticket) return { ok: false, reason: 'not-found' };
  if (ticket.status === 'closed') return { ok: false, reason: 'closed' };

  const reopens = input.authorKind === 'customer' && !internal;
  const statusChanges = reopens && (ticket.status === 'pending' || ticket.status === 'resolved');
  const messageEvent = messageEventStatement(db, { ticketId: input.ticketId, authorId: input.authorId, authorKind: input.authorKind, internal, body: body.value, at: now });
  const statusEvent = ticketChangeEventStatement(db, { ticketId: input.ticketId, type: 'status', customerVisible: true, at: now, by: input.authorId });
  const [[message], , messageEvents, statusEvents] = await db.batch([
    db
      .insert(ticketMessages)
      .values({ ticketId: input.ticketId, authorId: input.authorId, authorKind: input.authorKind, internal, body: body.value, createdAt: now })
      .returning(),
    db
      .update(tickets)
      .set({
        updatedAt: now,
        ...(reopens
          ? {
              status: sql`CASE WHEN ${tickets.status} IN ('pending', 'resolved') THEN 'open' ELSE ${tickets.status} END`,
              resolvedAt: sql`CASE WHEN ${tickets.status} = 'resolved' THEN NULL ELSE ${tickets.resolvedAt} END`,
            }
          : {}),
      })
      .where(eq(tickets.id, input.ticketId)),
    messageEvent,
    // T4: a customer reply that reopens the ticket is a status change both sides see live.
    ...(statusChanges ? [statusEvent] : []),
  ]);
  await publishTicketEvents([...eventsOf(messageEvents), ...eventsOf(statusEvents ?? [])]);
  return { ok: true, message: message! };
}

export async function ticketById(db: Db, id: string): Promise<Ticket | null> {
  return (await db.select().from(tickets).where(eq(tickets.id, id)).limit(1))[0] ?? null;
}

export async function ticketByNumber(db: Db, number: number): Promise<Ticket | null> {
  if (!Number.isSafeInteger(number)) return null;
  return (await db.select().from(tickets).where(eq(tickets.number, number)).limit(1))[0] ?? null;
}

/** T2: a customer's own tickets, most recent activity first. */
export async function ticketsOfCustomer(db: Db, customerId: string, { limit = 50 }: { limit?: number } = {}): Promise<Ticket[]> {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.customerId, customerId))
    .orderBy(desc(tickets.updatedAt), desc(tickets.number))
    .limit(Math.max(1, Math.min(limit, 500)));
}

/**
 * The conversation in order. Customers never see internal notes (S2); `afterId` resumes a live
 * stream after the last message seen (T3: nothing lost, nothing twice).
 */
export async function messagesOf(
  db: Db,
  ticketId: string,
  { includeInternal = false, afterId = 0 }: { includeInternal?: boolean; afterId?: number } = {},
): Promise<TicketMessage[]> {
  return db
    .select()
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        afterId > 0 ? gt(ticketMessages.id, afterId) : undefined,
        includeInternal ? undefined : eq(ticketMessages.internal, false),
      ),
    )
    .orderBy(asc(ticketMessages.id));
}
