// T1 / T2 / K6: what the live-support box and /{lang}/support/tickets/new share — read the request,
// call the customer-tickets module, hand the start form its values, localized errors (N2), the
// support areas, the entry it is about and where the suggestions come from.
import type { AstroGlobal } from 'astro';
import { inArray } from 'drizzle-orm';
import { ticketStatuses, users } from '../../db/schema/index.ts';
import { t } from '../i18n/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import type { SessionUser } from '../server/auth/session.ts';
import { getDb, type Db } from '../server/db/client.ts';
import { getKb } from '../server/kb/snapshot.ts';
import { searchIndexVersion } from '../server/kb/search-index.ts';
import { isPresent } from '../server/live/presence.ts';
import { replyAsCustomer, startTicket, type StartErrors, type StartField } from '../server/tickets/customer-tickets.ts';
import { latestPosition } from '../server/tickets/live-events.ts';
import { messagesOf, MESSAGE_MAX_LENGTH, type Ticket } from '../server/tickets/tickets.ts';
import { rateTicket } from '../server/tickets/workflow.ts';
import { readForm } from './forms.ts';
import { personalPage } from './page-headers.ts';
import { isSlug } from './slug.ts';
import { entryUrl, searchIndexUrl } from './urls.ts';

export interface StartFormProps {
  lang: Locale;
  action: string;
  values: Record<StartField, string>;
  errors: Partial<Record<StartField, string>>;
  formError?: string;
  areas: { slug: string; title: string }[];
  entry?: { slug: string; question: string; href: string };
  indexUrl: string;
  deflectionUrl: string;
  strings: Record<string, string>;
}

export const ticketUrl = (lang: Locale, number: number) => `/${lang}/support/tickets/${number}`;
export const ticketsUrl = (lang: Locale) => `/${lang}/support/tickets`;
export const newTicketUrl = (lang: Locale) => `/${lang}/support/tickets/new`;

/** T3: whether an agent has the console open right now. */
export async function agentOnline(): Promise<boolean> {
  return isPresent(await getDb(), 'staff');
}

/** The start form as first shown (GET); `?entry=` (K6) carries the entry read before asking. */
export async function startFormProps(lang: Locale, url: URL, state: { values?: Partial<Record<StartField, string>>; errors?: Partial<Record<StartField, string>>; formError?: string } = {}): Promise<StartFormProps> {
  const tr = t(lang);
  const db = await getDb();
  const kb = await getKb(db);
  const values: Record<StartField, string> = { subject: '', area: '', message: '', entry: url.searchParams.get('entry') ?? '', ...state.values };
  const entry = isSlug(values.entry) ? kb.entry(values.entry) : undefined;
  const text = entry && kb.localizeEntry(entry, lang);
  if (!entry || !text) values.entry = '';
  else if (!values.area) values.area = entry.area.slug;
  const indexVersion = await searchIndexVersion(db, lang);
  return {
    lang,
    action: newTicketUrl(lang),
    values,
    errors: state.errors ?? {},
    formError: state.formError,
    areas: kb.areas.flatMap((a) => {
      const localized = kb.localizeArea(a, lang);
      return localized ? [{ slug: a.slug, title: localized.title }] : [];
    }),
    entry: entry && text ? { slug: entry.slug, question: text.question, href: entryUrl(lang, entry.area.slug, entry.slug) } : undefined,
    indexUrl: searchIndexUrl(lang, indexVersion),
    deflectionUrl: '/api/tickets/deflections',
    strings: {
      title: tr('tickets.startTitle'),
      subject: tr('tickets.subject'),
      area: tr('tickets.area'),
      areaPlaceholder: tr('tickets.areaPlaceholder'),
      message: tr('tickets.message'),
      messageHint: tr('tickets.messageHint'),
      submit: tr('tickets.submit'),
      suggestionsTitle: tr('tickets.suggestionsTitle'),
      entryContext: tr('tickets.entryContext'),
      newTab: tr('tickets.newTab'),
    },
  };
}

function localizedErrors(errors: StartErrors, lang: Locale): Partial<Record<StartField, string>> {
  const tr = t(lang);
  const out: Partial<Record<StartField, string>> = {};
  for (const [field, problem] of Object.entries(errors) as [StartField, string][]) {
    if (field === 'entry') continue;
    if (field === 'area') out.area = problem === 'required' ? tr('tickets.errors.areaRequired') : tr('tickets.errors.areaInvalid');
    else out[field] = problem === 'required' ? tr('errors.required') : tr(`contact.errors.${field}TooLong`);
  }
  return out;
}

export type StartOutcome = { created: number } | { form: StartFormProps };

/** POST of the start form: a new ticket (→ its page) or the form again with errors, status set on the response. */
export async function handleStartTicket(Astro: AstroGlobal, lang: Locale): Promise<StartOutcome> {
  const tr = t(lang);
  const user = Astro.locals.user!;
  const db = await getDb();
  const kb = await getKb(db);
  // T7: read more than the longest allowed message, so an over-long one is refused, not cut.
  const form = await readForm(Astro.request, MESSAGE_MAX_LENGTH * 2);
  const values = { subject: form.subject ?? '', area: form.area ?? '', message: form.message ?? '', entry: form.entry ?? '' };
  const result = await startTicket(db, form, { user, locale: lang, areaExists: (s) => kb.area(s) !== undefined, entryExists: (s) => kb.entry(s) !== undefined });
  if (result.ok) return { created: result.ticket.number };
  if (result.reason === 'rate-limited') {
    Astro.response.status = 429;
    Astro.response.headers.set('Retry-After', String(result.retryAfter));
    return { form: await startFormProps(lang, Astro.url, { values, formError: tr('errors.rateLimited', { minutes: Math.ceil(result.retryAfter / 60) }) }) };
  }
  if (result.reason === 'unverified') {
    Astro.response.status = 403;
    return { form: await startFormProps(lang, Astro.url, { values, formError: tr('tickets.errors.unverified') }) };
  }
  Astro.response.status = 400;
  const formError = result.errors.entry ? tr('contact.errors.entryUnknown') : tr('contact.errors.fix');
  if (result.errors.entry) values.entry = '';
  return { form: await startFormProps(lang, Astro.url, { values, errors: localizedErrors(result.errors, lang), formError }) };
}

/** What a POST on the ticket page did: back to the page (303) or the page with an error (4xx). */
export type TicketPostOutcome = { redirect: string } | { replyError?: string; replyValue?: string; rateError?: string };

/** T4 / T7: the customer's reply or rating on their own ticket (the page checked ticketAudience). */
export async function handleTicketPost(Astro: AstroGlobal, lang: Locale, ticket: Ticket): Promise<TicketPostOutcome> {
  const tr = t(lang);
  const user = Astro.locals.user!;
  const db = await getDb();
  const form = await readForm(Astro.request, MESSAGE_MAX_LENGTH * 2);
  const back = ticketUrl(lang, ticket.number);
  if (form.action === 'rate') {
    const result = await rateTicket(db, user, ticket.id, { rating: form.rating, comment: form.comment });
    if (result.ok) return { redirect: `${back}?rated=1#rating` };
    Astro.response.status = result.reason === 'not-found' ? 404 : result.reason === 'not-resolved' ? 409 : 400;
    const rateError = result.reason === 'comment-too-long' ? tr('tickets.errors.commentTooLong') : result.reason === 'not-resolved' ? tr('tickets.errors.notResolved') : tr('tickets.errors.ratingInvalid');
    return { rateError };
  }
  const result = await replyAsCustomer(db, user, ticket, form.message);
  if (result.ok) return { redirect: `${back}?sent=1#ticket-reply` };
  if (result.reason === 'closed') {
    Astro.response.status = 409;
    return { replyError: tr('tickets.errors.closed'), replyValue: form.message ?? '' };
  }
  if (result.reason !== 'invalid') {
    Astro.response.status = 404;
    return {};
  }
  Astro.response.status = 400;
  return { replyError: result.problem === 'too-long' ? tr('contact.errors.messageTooLong') : tr('errors.required'), replyValue: form.message ?? '' };
}

/** The thread island's props for a ticket as its customer sees it (never an internal note). */
export async function threadProps(lang: Locale, ticket: Ticket, user: { timeZone: string; region: string }, reply: { replyValue?: string; replyError?: string } = {}) {
  const tr = t(lang);
  const db = await getDb();
  // The position first: a message written meanwhile is then both rendered and replayed (deduplicated by id), never lost.
  const position = await latestPosition(db, { ticketId: ticket.id, audience: 'customer' });
  const [messages, online] = await Promise.all([messagesOf(db, ticket.id, { includeInternal: false }), isPresent(db, 'staff')]);
  const names = await authorNames(db, messages.map((m) => m.authorId));
  return {
    ticketId: ticket.id,
    status: ticket.status,
    position,
    agentOnline: online,
    timeZone: user.timeZone,
    region: user.region,
    replyAction: ticketUrl(lang, ticket.number),
    replyValue: reply.replyValue ?? '',
    replyError: reply.replyError,
    messages: messages.map((m) => ({ id: m.id, authorKind: m.authorKind, authorName: (m.authorId && names.get(m.authorId)) || '', body: m.body, at: m.createdAt })),
    statusLabels: Object.fromEntries(ticketStatuses.map((s) => [s, tr(`tickets.status.${s}`)])),
    strings: Object.fromEntries(
      ['rateNow', 'statusLabel', 'agentOnline', 'agentOffline', 'conversation', 'typing', 'reconnecting', 'closedNotice', 'reply', 'replySubmit', 'messageHint', 'you', 'support', 'system'].map((k) => [k, tr(`tickets.${k}`)]),
    ),
  };
}

async function authorNames(db: Db, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The start of every customer ticket page: its language, never cached, and the signed-in user.
 * T1: without a session a page view goes to sign-in and a post writes nothing (401).
 */
export async function customerPage(Astro: AstroGlobal): Promise<{ lang: Locale; user: SessionUser } | Response> {
  const lang = Astro.params.lang;
  if (!isLocale(lang)) return Astro.rewrite('/404');
  personalPage(Astro.response.headers);
  const user = Astro.locals.user;
  if (user) return { lang, user };
  if (Astro.request.method === 'GET' || Astro.request.method === 'HEAD') return Astro.redirect(`/${lang}/login?next=${encodeURIComponent(Astro.url.pathname + Astro.url.search)}`);
  return new Response(t(lang)('support.signedOut'), { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
