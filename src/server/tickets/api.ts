// A17 / T2 / T4 / T7: the tickets API for personal API keys — a customer's own tickets as JSON.
// Framework-free: the endpoints under src/pages/api/v1/tickets/ read the request, call these and
// return what they give. Errors are `{ error, message }` with a 4xx status; nothing is written
// unless the whole input is valid (N2). The API is for customers: a staff member's key is
// refused (403), so internal notes can never leave through it (S2).
import { eq, inArray } from 'drizzle-orm';
import { kbAreas, users, type Role } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { authorizeApiRequest } from '../auth/api-keys.ts';
import { CLOSE_CONNECTION, parseJson, readBodyWithin } from '../http/body.ts';
import { consume } from '../auth/rate-limit.ts';
import type { Db } from '../db/client.ts';
import { addMessage, checkText, createTicket, MESSAGE_MAX_LENGTH, messagesOf, SUBJECT_MAX_LENGTH, ticketByNumber, ticketsOfCustomer, type Ticket, type TicketMessage } from './tickets.ts';
import { SUPPORT_LIMITS } from './support-request.ts';

/** Largest request body read (bytes): a 10,000-character message fits even with every character \u-escaped. */
export const API_BODY_MAX_BYTES = 256 * 1024;
/** How many tickets `GET /api/v1/tickets` lists (most recent activity first). */
export const API_TICKETS_LIST_LIMIT = 100;

const NO_STORE = { 'Cache-Control': 'no-store' };

export function apiError(status: number, error: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error, message, ...extra }, { status, headers: { ...NO_STORE, ...headers } });
}

export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export interface ApiCustomer {
  id: string;
  name: string;
  email: string;
  locale: string;
  role: Role;
}

/**
 * A17 / A21: the Bearer key (rate-limited per IP and per key, see api-keys.ts), then the role:
 * only customers use the tickets API. Cookies are never read here.
 */
export async function authorizeCustomer(db: Db, request: Request, ip: string): Promise<{ ok: true; customer: ApiCustomer } | { ok: false; response: Response }> {
  const auth = await authorizeApiRequest(db, request.headers.get('authorization'), ip);
  if (!auth.ok && auth.status === 429) {
    return { ok: false, response: apiError(429, 'rate_limited', 'Too many requests.', { 'Retry-After': String(auth.retryAfter) }) };
  }
  const user = auth.ok
    ? (await db.select({ id: users.id, name: users.name, email: users.email, locale: users.locale, role: users.role }).from(users).where(eq(users.id, auth.userId)).limit(1))[0]
    : undefined;
  if (!user) {
    const error = !auth.ok && auth.status === 401 ? auth.error : 'invalid_token';
    const challenge = error === 'missing_token' ? 'Bearer realm="loket"' : 'Bearer realm="loket", error="invalid_token"';
    const message = error === 'missing_token' ? 'An API key is required.' : 'The API key is not valid.';
    return { ok: false, response: apiError(401, error, message, { 'WWW-Authenticate': challenge }) };
  }
  // A17: the key is for the customer's own tickets; staff work tickets in the console (S1–S5).
  if (user.role !== 'customer') return { ok: false, response: apiError(403, 'forbidden', 'The tickets API is for customers and their own tickets; staff use the console.') };
  return { ok: true, customer: user };
}

/** The ticket number from the path: digits only (else 400); a ticket that is not the customer's is 404 — its existence is not revealed. */
export async function ownTicket(db: Db, customer: ApiCustomer, raw: string | undefined): Promise<{ ok: true; ticket: Ticket } | { ok: false; response: Response }> {
  if (!raw || !/^\d{1,12}$/.test(raw)) return { ok: false, response: apiError(400, 'invalid_number', 'A ticket number is a whole number, like 1001.') };
  const ticket = await ticketByNumber(db, Number(raw));
  if (!ticket || ticket.customerId !== customer.id) return { ok: false, response: apiError(404, 'not_found', 'There is no ticket with this number.') };
  return { ok: true, ticket };
}

/** N2: a JSON object body, within API_BODY_MAX_BYTES, sent as application/json — or the 415 / 413 / 400 that says why not. */
export async function readJsonObject(request: Request): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; response: Response }> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, response: apiError(415, 'unsupported_media_type', 'Send the body as JSON, with Content-Type: application/json.') };
  const read = await readBodyWithin(request, API_BODY_MAX_BYTES);
  if (!read.ok) return { ok: false, response: apiError(413, 'payload_too_large', `The request body is larger than ${API_BODY_MAX_BYTES} bytes.`, CLOSE_CONNECTION) };
  const json = parseJson(read.bytes);
  if (!json.ok) return { ok: false, response: apiError(400, 'invalid_json', 'The request body is not valid JSON.') };
  const parsed = json.value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, response: apiError(400, 'invalid_body', 'The request body must be a JSON object.') };
  return { ok: true, value: parsed as Record<string, unknown> };
}

/** T7: one text field — a string of 1..max characters after trimming; the error names the field. */
function textField(input: Record<string, unknown>, field: string, max: number): { ok: true; value: string } | { ok: false; response: Response } {
  const raw = input[field];
  if (raw === undefined || raw === null) return { ok: false, response: apiError(400, 'required', `"${field}" is required.`, {}, { field }) };
  if (typeof raw !== 'string') return { ok: false, response: apiError(400, 'invalid_type', `"${field}" must be a string.`, {}, { field }) };
  const checked = checkText(raw, max);
  if (!checked.ok && checked.problem === 'required') return { ok: false, response: apiError(400, 'required', `"${field}" is empty.`, {}, { field }) };
  if (!checked.ok) return { ok: false, response: apiError(400, 'too_long', `"${field}" is longer than ${max.toLocaleString('en')} characters.`, {}, { field, max }) };
  return { ok: true, value: checked.value };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function ticketJson(ticket: Ticket) {
  return {
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    area: ticket.areaSlug,
    locale: ticket.locale,
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
  };
}

export function messageJson(message: TicketMessage, authorName: string | null) {
  return { id: message.id, author: message.authorKind, authorName, body: message.body, createdAt: iso(message.createdAt) };
}

/** T2: the customer's own tickets, most recent activity first. */
export async function listOwnTickets(db: Db, customer: ApiCustomer) {
  const list = await ticketsOfCustomer(db, customer.id, { limit: API_TICKETS_LIST_LIMIT });
  return { tickets: list.map(ticketJson) };
}

/** T2 / S2: one own ticket with its conversation — never an internal note (messagesOf's customer view). */
export async function ownTicketWithMessages(db: Db, ticket: Ticket) {
  const messages = await messagesOf(db, ticket.id, { includeInternal: false });
  const authorIds = [...new Set(messages.map((m) => m.authorId).filter((id): id is string => id !== null))];
  const names = new Map(
    authorIds.length ? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, authorIds))).map((u) => [u.id, u.name] as const) : [],
  );
  return { ...ticketJson(ticket), messages: messages.map((m) => messageJson(m, m.authorId ? (names.get(m.authorId) ?? null) : null)) };
}

/** T4 / T7: the customer's reply; reopens a pending or resolved ticket (addMessage); a closed ticket answers 409. */
export async function postOwnMessage(db: Db, customer: ApiCustomer, ticket: Ticket, input: Record<string, unknown>): Promise<Response> {
  const body = textField(input, 'body', MESSAGE_MAX_LENGTH);
  if (!body.ok) return body.response;
  if (ticket.status === 'closed') return apiError(409, 'ticket_closed', 'This ticket is closed and takes no more messages; open a new ticket.');
  const result = await addMessage(db, { ticketId: ticket.id, authorId: customer.id, authorKind: 'customer', body: body.value });
  if (!result.ok && result.reason === 'closed') return apiError(409, 'ticket_closed', 'This ticket is closed and takes no more messages; open a new ticket.');
  if (!result.ok && result.reason === 'not-found') return apiError(404, 'not_found', 'There is no ticket with this number.');
  if (!result.ok) return apiError(400, 'invalid', 'The message was refused.');
  return apiJson({ ticket: ticket.number, message: messageJson(result.message, customer.name) }, 201);
}

/** T2: a new ticket (subject, first message, optional area and language), counted like the signed-in support form. */
export async function createOwnTicket(db: Db, customer: ApiCustomer, input: Record<string, unknown>, now = Date.now()): Promise<Response> {
  const subject = textField(input, 'subject', SUBJECT_MAX_LENGTH);
  if (!subject.ok) return subject.response;
  const body = textField(input, 'body', MESSAGE_MAX_LENGTH);
  if (!body.ok) return body.response;
  let area: string | null = null;
  if (input.area !== undefined && input.area !== null) {
    if (typeof input.area !== 'string' || !isSlug(input.area)) return apiError(400, 'invalid_area', '"area" must be the slug of a support area, like "account-security".', {}, { field: 'area' });
    const found = await db.select({ id: kbAreas.id }).from(kbAreas).where(eq(kbAreas.slug, input.area)).limit(1);
    if (!found.length) return apiError(400, 'invalid_area', `There is no support area "${input.area}".`, {}, { field: 'area' });
    area = input.area;
  }
  let locale: Locale = isLocale(customer.locale) ? customer.locale : 'en';
  if (input.locale !== undefined && input.locale !== null) {
    if (!isLocale(input.locale)) return apiError(400, 'invalid_locale', '"locale" must be one of "nl", "en", "fr".', {}, { field: 'locale' });
    locale = input.locale;
  }
  // A21: the same limit as opening a ticket from the signed-in support form.
  const limit = await consume(db, `support:account:${customer.id}`, SUPPORT_LIMITS.perAccount, now);
  if (!limit.ok) return apiError(429, 'rate_limited', 'Too many new tickets; try again later.', { 'Retry-After': String(limit.retryAfter) });
  const created = await createTicket(
    db,
    { customerId: customer.id, senderEmail: customer.email, senderName: customer.name, unverifiedSender: false, subject: subject.value, body: body.value, topic: 'question', locale, areaSlug: area },
    now,
  );
  return apiJson({ ...ticketJson(created.ticket), messages: [messageJson(created.message, customer.name)] }, 201);
}
