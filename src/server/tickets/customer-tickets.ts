// T1 / T2 / T4 / T7: what a signed-in customer does with tickets — start one from the live-support
// box (subject, area, first message; K6 the entry read before asking; T2 the draft whose opened
// suggestions it settles) and reply on their own ticket. Validation first, then one write path
// (createTicket / addMessage); bad input writes nothing (N2).
import type { Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { consume } from '../auth/rate-limit.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Db } from '../db/client.ts';
import { isDraftId, stampDraftStatement } from './deflections.ts';
import { SUPPORT_LIMITS } from './support-request.ts';
import { addMessage, checkText, createTicket, MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH, type Ticket, type TextProblem } from './tickets.ts';

export type StartField = 'subject' | 'area' | 'message' | 'entry';
export type StartProblem = TextProblem | 'invalid';
export type StartErrors = Partial<Record<StartField, StartProblem>>;

export interface StartTicketInput {
  subject?: unknown;
  area?: unknown;
  message?: unknown;
  entry?: unknown;
  draft?: unknown;
}

export interface StartTicketContext {
  user: Pick<SessionUser, 'id' | 'email' | 'name' | 'emailVerifiedAt'>;
  /** The page's language: the ticket's language (T2). */
  locale: Locale;
  areaExists: (slug: string) => boolean;
  entryExists: (slug: string) => boolean;
}

export type StartTicketResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'invalid'; errors: StartErrors }
  | { ok: false; reason: 'unverified' }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

/** T7 / N2: every field checked before anything is written; wrong types count as empty. */
export function validateStartTicket(input: StartTicketInput, ctx: Pick<StartTicketContext, 'areaExists' | 'entryExists'>) {
  const errors: StartErrors = {};
  const subject = checkText(input.subject, SUBJECT_MAX_LENGTH);
  if (!subject.ok) errors.subject = subject.problem;
  const message = checkText(input.message, MESSAGE_MAX_LENGTH);
  if (!message.ok) errors.message = message.problem;
  if (input.area === undefined || input.area === '') errors.area = 'required';
  else if (!isSlug(input.area) || !ctx.areaExists(input.area)) errors.area = 'invalid';
  let entry: string | null = null;
  if (input.entry !== undefined && input.entry !== '') {
    if (isSlug(input.entry) && ctx.entryExists(input.entry)) entry = input.entry;
    else errors.entry = 'invalid';
  }
  if (!subject.ok || !message.ok || Object.keys(errors).length) return { ok: false as const, errors };
  return { ok: true as const, value: { subject: subject.value, message: message.value, area: input.area as string, entry, draft: isDraftId(input.draft) ? input.draft : null } };
}

/** T1: only verified, active accounts open tickets (barred accounts have no session at all). */
export async function startTicket(db: Db, input: StartTicketInput, ctx: StartTicketContext, now = Date.now()): Promise<StartTicketResult> {
  if (ctx.user.emailVerifiedAt === null) return { ok: false, reason: 'unverified' };
  const checked = validateStartTicket(input, ctx);
  if (!checked.ok) return { ok: false, reason: 'invalid', errors: checked.errors };
  // Shared with the signed-in contact form: 10 requests per hour per account.
  const limit = await consume(db, `support:account:${ctx.user.id}`, SUPPORT_LIMITS.perAccount, now);
  if (!limit.ok) return { ok: false, reason: 'rate-limited', retryAfter: limit.retryAfter };
  const v = checked.value;
  const { ticket } = await createTicket(
    db,
    {
      customerId: ctx.user.id,
      senderEmail: ctx.user.email,
      senderName: ctx.user.name,
      unverifiedSender: false,
      subject: v.subject,
      body: v.message,
      topic: 'question',
      locale: ctx.locale,
      areaSlug: v.area,
      contextEntrySlug: v.entry,
    },
    now,
  );
  // T2: the draft was sent, so the suggestions opened while writing it did not deflect it.
  if (v.draft) await stampDraftStatement(db, v.draft, ctx.user.id, ticket.id);
  return { ok: true, ticket };
}

export type CustomerReplyResult = { ok: true } | { ok: false; reason: 'closed' | 'not-found' } | { ok: false; reason: 'invalid'; problem: TextProblem };

/** T4 / T7: the customer's reply on their own ticket (the caller checked ticketAudience); it reopens a resolved ticket. */
export async function replyAsCustomer(db: Db, customer: { id: string }, ticket: Pick<Ticket, 'id' | 'customerId'>, body: unknown, now = Date.now()): Promise<CustomerReplyResult> {
  if (ticket.customerId !== customer.id) return { ok: false, reason: 'not-found' };
  const result = await addMessage(db, { ticketId: ticket.id, authorId: customer.id, authorKind: 'customer', body }, now);
  if (result.ok) return { ok: true };
  if (result.reason === 'invalid') return { ok: false, reason: 'invalid', problem: result.problem === 'too-long' ? 'too-long' : 'required' };
  return { ok: false, reason: result.reason };
}
