// T6 / A13 / A18 / A19: the public support and contact forms. People who cannot sign in give
// their email; the request becomes a ticket marked "unverified sender" and an acknowledgement
// with a single-use confirmation link goes to that address in the page's language. Signed in,
// the ticket belongs to the account and needs no confirmation. The answer never depends on
// whether the address has an account (no lookup is made), and both IP and address are rate-limited.
import { ticketTopics, type TicketTopic } from '../../../db/schema/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import type { RequestMeta } from '../audit/events.ts';
import { isValidEmail, normalizeEmail } from '../auth/email.ts';
import { consume, type RateLimit } from '../auth/rate-limit.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Db } from '../db/client.ts';
import { MailDeliveryError, sendMail } from '../mail/mailer.ts';
import { checkText, createTicket, MESSAGE_MAX_LENGTH, SENDER_NAME_MAX_LENGTH, SUBJECT_MAX_LENGTH } from './tickets.ts';

/** The topics a person picks on the form (`question` is the live box's). */
export const formTopics = ticketTopics.filter((t) => t !== 'question') as Exclude<TicketTopic, 'question'>[];
export type FormTopic = (typeof formTopics)[number];

export function isFormTopic(value: unknown): value is FormTopic {
  return typeof value === 'string' && (formTopics as string[]).includes(value);
}

/** A21: requests send email to any address typed in, so both the sender's network and the address are limited. */
export const SUPPORT_LIMITS = {
  perIp: { limit: 5, windowMs: 60 * 60_000 },
  perEmail: { limit: 3, windowMs: 60 * 60_000 },
  perAccount: { limit: 10, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimit>;

export type FieldProblem = 'required' | 'invalid' | 'too-long';
export type SupportField = 'email' | 'name' | 'topic' | 'subject' | 'message' | 'entry';
export type SupportRequestErrors = Partial<Record<SupportField, FieldProblem>>;

export interface SupportRequestInput {
  email?: unknown;
  name?: unknown;
  topic?: unknown;
  subject?: unknown;
  message?: unknown;
  /** K6: the slug of the entry the visitor read ("no" → contact support). */
  entry?: unknown;
}

export interface SupportRequestContext {
  /** The signed-in account, if any: its ticket needs no address confirmation. */
  user: Pick<SessionUser, 'id' | 'email' | 'name' | 'locale' | 'emailVerifiedAt'> | null;
  /** The page's language: the ticket's and the acknowledgement's (the account's preferred language when signed in, A16). */
  locale: Locale;
  meta: RequestMeta & { origin: string };
  /** Whether a published entry has this slug. */
  entryExists: (slug: string) => boolean;
}

export type SupportRequestResult =
  | { ok: true; ticketNumber: number; verified: boolean }
  | { ok: false; reason: 'invalid'; errors: SupportRequestErrors }
  | { ok: false; reason: 'rate-limited'; retryAfter: number };

interface ValidRequest {
  email: string;
  name: string;
  topic: FormTopic;
  subject: string;
  message: string;
  entry: string | null;
}

/** T7 / N2: every field checked before anything is written; wrong types count as empty. */
export function validateSupportRequest(input: SupportRequestInput, ctx: Pick<SupportRequestContext, 'user' | 'entryExists'>): { ok: true; value: ValidRequest } | { ok: false; errors: SupportRequestErrors } {
  const errors: SupportRequestErrors = {};
  let email = ctx.user?.email ?? '';
  let name = ctx.user?.name ?? '';
  if (!ctx.user) {
    email = normalizeEmail(input.email);
    if (!email) errors.email = 'required';
    else if (!isValidEmail(email)) errors.email = 'invalid';
    name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) errors.name = 'required';
    else if ([...name].length > SENDER_NAME_MAX_LENGTH) errors.name = 'too-long';
  }
  if (input.topic === undefined || input.topic === '') errors.topic = 'required';
  else if (!isFormTopic(input.topic)) errors.topic = 'invalid';
  const subject = checkText(input.subject, SUBJECT_MAX_LENGTH);
  if (!subject.ok) errors.subject = subject.problem;
  const message = checkText(input.message, MESSAGE_MAX_LENGTH);
  if (!message.ok) errors.message = message.problem;
  let entry: string | null = null;
  if (input.entry !== undefined && input.entry !== '') {
    if (isSlug(input.entry) && ctx.entryExists(input.entry)) entry = input.entry;
    else errors.entry = 'invalid';
  }
  if (Object.keys(errors).length || !subject.ok || !message.ok) return { ok: false, errors };
  return { ok: true, value: { email, name, topic: input.topic as FormTopic, subject: subject.value, message: message.value, entry } };
}

export async function submitSupportRequest(db: Db, input: SupportRequestInput, ctx: SupportRequestContext, now = Date.now()): Promise<SupportRequestResult> {
  const checked = validateSupportRequest(input, ctx);
  if (!checked.ok) return { ok: false, reason: 'invalid', errors: checked.errors };
  const request = checked.value;
  const user = ctx.user && ctx.user.emailVerifiedAt !== null ? ctx.user : null;
  if (ctx.user && !user) return { ok: false, reason: 'invalid', errors: { email: 'invalid' } }; // T1: only verified accounts

  // Both limits are counted on every valid request, whoever owns the address.
  const limits = user
    ? [consume(db, `support:account:${user.id}`, SUPPORT_LIMITS.perAccount, now)]
    : [consume(db, `support:ip:${ctx.meta.ip}`, SUPPORT_LIMITS.perIp, now), consume(db, `support:email:${request.email}`, SUPPORT_LIMITS.perEmail, now)];
  const refused = (await Promise.all(limits)).filter((r) => !r.ok);
  if (refused.length) return { ok: false, reason: 'rate-limited', retryAfter: Math.max(...refused.map((r) => r.retryAfter)) };

  const locale = user ? (user.locale as Locale) : ctx.locale;
  const created = await createTicket(
    db,
    {
      customerId: user?.id ?? null,
      senderEmail: request.email,
      senderName: request.name,
      unverifiedSender: !user,
      subject: request.subject,
      body: request.message,
      topic: request.topic,
      locale: ctx.locale,
      contextEntrySlug: request.entry,
    },
    now,
  );
  const confirmLink = created.confirmationToken ? `${ctx.meta.origin}/${ctx.locale}/support/confirm?token=${created.confirmationToken}` : undefined;
  try {
    await sendMail(db, {
      to: created.ticket.senderEmail,
      kind: 'ticket-received',
      locale,
      vars: { name: created.ticket.senderName, ticketNumber: created.ticket.number, subject: created.ticket.subject, confirmLink },
    });
  } catch (error) {
    // The ticket stands; support sees it and can answer by email once delivery works again.
    if (!(error instanceof MailDeliveryError)) throw error;
    console.error(`loket: ${error.kind} email failed (outbox #${error.outboxId})`);
  }
  return { ok: true, ticketNumber: created.ticket.number, verified: !!user };
}
