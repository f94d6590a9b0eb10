// T4 / T5 / S2: what agents and customers do to a ticket after it exists — status changes,
// claiming and assigning, agent replies and notes (with the email to a customer who is not
// watching), rating after resolution, and closing resolved tickets after 7 days. Each change and
// its live event are one `db.batch`; the streams hear of it after the commit.
import { and, eq, inArray, lt, ne } from 'drizzle-orm';
import { tickets, users, type TicketStatus } from '../../../db/schema/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { isLocale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { isPresent } from '../live/presence.ts';
import { sendMail } from '../mail/mailer.ts';
import { isAgent } from './access.ts';
import { channels, eventsOf, publishTicketEvents, ticketChangeEventStatement } from './live-events.ts';
import { addMessage, checkText, ticketById, type AddMessageResult, type Ticket } from './tickets.ts';

const DAY = 24 * 60 * 60_000;
/** T4: a resolved ticket closes this long after it was resolved (unless the customer replies first). */
export const AUTO_CLOSE_AFTER_MS = 7 * DAY;
export const RATING_COMMENT_MAX_LENGTH = 1000;

/** T4: the statuses an agent sets by hand; `new` is where tickets start, `closed` is the job's. */
export const agentStatuses = ['open', 'pending', 'resolved'] as const satisfies readonly TicketStatus[];
export type AgentStatus = (typeof agentStatuses)[number];
export const isAgentStatus = (value: unknown): value is AgentStatus => typeof value === 'string' && (agentStatuses as readonly string[]).includes(value);

export interface Actor {
  id: string;
  role: 'customer' | 'agent' | 'editor' | 'admin';
}

type Refusal = 'forbidden' | 'not-found' | 'closed' | 'invalid';
export type WorkflowResult<T = object> = ({ ok: true } & T) | { ok: false; reason: Refusal };

/** T4 / S2: an agent sets open, pending (waiting on the customer) or resolved. Closed tickets stay closed. */
export async function setTicketStatus(db: Db, actor: Actor, ticketId: string, status: unknown, now = Date.now()): Promise<WorkflowResult<{ changed: boolean }>> {
  if (!isAgent(actor)) return { ok: false, reason: 'forbidden' };
  if (!isAgentStatus(status)) return { ok: false, reason: 'invalid' };
  const ticket = await ticketById(db, ticketId);
  if (!ticket) return { ok: false, reason: 'not-found' };
  if (ticket.status === 'closed') return { ok: false, reason: 'closed' };
  if (ticket.status === status) return { ok: true, changed: false };
  const [updated, events] = await db.batch([
    db
      .update(tickets)
      .set({ status, resolvedAt: status === 'resolved' ? now : null, updatedAt: now })
      .where(and(eq(tickets.id, ticketId), ne(tickets.status, 'closed'))),
    ticketChangeEventStatement(db, { ticketId, type: 'status', customerVisible: true, at: now, by: actor.id, onlyIfChanged: true }),
  ]);
  if (updated.rowsAffected !== 1) return { ok: false, reason: 'closed' };
  await publishTicketEvents(eventsOf(events));
  return { ok: true, changed: true };
}

/**
 * S2: claim (assign to yourself) or assign to another agent or admin; null unassigns. A new
 * ticket that gets an agent is open from then on, which the customer sees.
 */
export async function assignTicket(db: Db, actor: Actor, ticketId: string, assigneeId: string | null, now = Date.now()): Promise<WorkflowResult> {
  if (!isAgent(actor)) return { ok: false, reason: 'forbidden' };
  if (assigneeId !== null) {
    const assignee = (await db.select({ role: users.role, deletedAt: users.deletedAt, suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, assigneeId)).limit(1))[0];
    if (!assignee || !isAgent(assignee) || assignee.deletedAt !== null || assignee.suspendedAt !== null) return { ok: false, reason: 'invalid' };
  }
  const ticket = await ticketById(db, ticketId);
  if (!ticket) return { ok: false, reason: 'not-found' };
  if (ticket.status === 'closed') return { ok: false, reason: 'closed' };
  const opens = assigneeId !== null && ticket.status === 'new';
  const [, assigned, statusEvents] = await db.batch([
    db
      .update(tickets)
      .set({ assigneeId, updatedAt: now, ...(opens ? { status: 'open' as const } : {}) })
      .where(eq(tickets.id, ticketId)),
    ticketChangeEventStatement(db, { ticketId, type: 'assigned', customerVisible: false, at: now, by: actor.id }),
    ...(opens ? [ticketChangeEventStatement(db, { ticketId, type: 'status', customerVisible: true, at: now, by: actor.id })] : []),
  ]);
  await publishTicketEvents([...eventsOf(assigned), ...eventsOf(statusEvents ?? [])]);
  return { ok: true };
}

export interface AgentReplyOptions {
  internal?: boolean;
  /** The public origin, for the link in the email (T5). */
  origin: string;
}

/**
 * S2 / T5: an agent's reply or internal note. A reply to a new ticket opens it. When the customer
 * has no live view of the ticket open, the reply also goes by email in the customer's language,
 * with a link back (T5); for a public sender (T6) email is the only way, so it always goes.
 */
export async function replyAsAgent(
  db: Db,
  actor: Actor,
  ticketId: string,
  body: unknown,
  { internal = false, origin }: AgentReplyOptions,
  now = Date.now(),
): Promise<AddMessageResult & { emailed?: boolean }> {
  if (!isAgent(actor)) return { ok: false, reason: 'not-found' };
  const result = await addMessage(db, { ticketId, authorId: actor.id, authorKind: 'agent', body, internal }, now);
  if (!result.ok || internal) return result;
  const ticket = await ticketById(db, ticketId);
  if (!ticket) return result;
  if (ticket.status === 'new') await setTicketStatus(db, actor, ticketId, 'open', now);
  const watching = ticket.customerId !== null && (await isPresent(db, channels.ticket(ticketId, 'customer'), now));
  if (watching) return { ...result, emailed: false };
  await emailReply(db, ticket, actor.id, result.message.body, origin);
  return { ...result, emailed: true };
}

async function emailReply(db: Db, ticket: Ticket, agentId: string, reply: string, origin: string): Promise<void> {
  const customer = ticket.customerId
    ? (await db.select({ email: users.email, name: users.name, locale: users.locale, timeZone: users.timeZone, deletedAt: users.deletedAt }).from(users).where(eq(users.id, ticket.customerId)).limit(1))[0]
    : undefined;
  if (customer?.deletedAt) return;
  const agent = (await db.select({ name: users.name }).from(users).where(eq(users.id, agentId)).limit(1))[0];
  const locale: Locale = customer && isLocale(customer.locale) ? customer.locale : isLocale(ticket.locale) ? ticket.locale : 'en';
  const link = ticket.customerId ? `${origin}/${locale}/support/tickets/${ticket.number}` : `${origin}/${locale}/support`;
  await sendMail(db, {
    to: customer?.email ?? ticket.senderEmail,
    kind: 'ticket-reply',
    locale,
    vars: {
      name: customer?.name ?? ticket.senderName,
      timeZone: customer?.timeZone,
      ticketNumber: ticket.number,
      subject: ticket.subject,
      agentName: agent?.name ?? '',
      reply,
      link,
      signedIn: ticket.customerId !== null,
    },
  });
}

/** T4: after resolution the customer rates the help — good or bad, with an optional comment; a later rating replaces it. */
export async function rateTicket(
  db: Db,
  customer: { id: string },
  ticketId: string,
  input: { rating: unknown; comment?: unknown },
  now = Date.now(),
): Promise<WorkflowResult | { ok: false; reason: 'not-resolved' | 'comment-too-long' }> {
  const ticket = await ticketById(db, ticketId);
  if (!ticket || ticket.customerId !== customer.id) return { ok: false, reason: 'not-found' };
  if (input.rating !== 'good' && input.rating !== 'bad') return { ok: false, reason: 'invalid' };
  let comment: string | null = null;
  if (typeof input.comment === 'string' && input.comment.trim()) {
    const checked = checkText(input.comment, RATING_COMMENT_MAX_LENGTH);
    if (!checked.ok) return { ok: false, reason: 'comment-too-long' };
    comment = checked.value;
  }
  const [updated, events] = await db.batch([
    db
      .update(tickets)
      .set({ rating: input.rating, ratingComment: comment, ratedAt: now, updatedAt: now })
      .where(and(eq(tickets.id, ticketId), inArray(tickets.status, ['resolved', 'closed']))),
    ticketChangeEventStatement(db, { ticketId, type: 'rated', customerVisible: true, at: now, by: customer.id, onlyIfChanged: true }),
  ]);
  if (updated.rowsAffected !== 1) return { ok: false, reason: 'not-resolved' };
  await publishTicketEvents(eventsOf(events));
  return { ok: true };
}

/** T4: closes every ticket resolved 7 days ago or longer; returns how many. */
export async function closeResolvedTickets(db: Db, now = Date.now()): Promise<number> {
  const due = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.status, 'resolved'), lt(tickets.resolvedAt, now - AUTO_CLOSE_AFTER_MS + 1)))
    .limit(500);
  let closed = 0;
  for (const { id } of due) {
    // Per ticket: the status check and the close are one statement, so a reply that reopened it meanwhile wins.
    const [updated, events] = await db.batch([
      db
        .update(tickets)
        .set({ status: 'closed', closedAt: now, updatedAt: now })
        .where(and(eq(tickets.id, id), eq(tickets.status, 'resolved'))),
      ticketChangeEventStatement(db, { ticketId: id, type: 'status', customerVisible: true, at: now, by: null, onlyIfChanged: true }),
    ]);
    if (updated.rowsAffected !== 1) continue;
    closed++;
    await publishTicketEvents(eventsOf(events));
  }
  return closed;
}

const JOB = Symbol.for('loket.autoCloseJob');

/** T4: the scheduled job inside the server — runs now, then every `intervalMs`; returns its stop function. */
export function startAutoCloseJob(db: Db, { intervalMs = 10 * 60_000 }: { intervalMs?: number } = {}): () => void {
  const g = globalThis as typeof globalThis & { [JOB]?: ReturnType<typeof setInterval> };
  if (g[JOB]) clearInterval(g[JOB]);
  const run = () =>
    void closeResolvedTickets(db).catch((error) => console.error(`loket: closing resolved tickets failed: ${(error as Error).message}`));
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref?.();
  g[JOB] = timer;
  return () => {
    clearInterval(timer);
    if (g[JOB] === timer) delete g[JOB];
  };
}
