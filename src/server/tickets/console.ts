// S1: the staff console's queue — views (unassigned, mine, all open, pending, resolved) with their
// counts, filters (area, language, status), search by text (subject, messages) and by customer
// email (the ticket's sender address or the account's), and paging. Reads only; framework-free.
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { ticketMessages, tickets, ticketStatuses, users, type TicketStatus } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import type { Db } from '../db/client.ts';
import type { Ticket } from './tickets.ts';

export const queueViews = ['unassigned', 'mine', 'open', 'pending', 'resolved'] as const;
export type QueueView = (typeof queueViews)[number];
export const isQueueView = (v: unknown): v is QueueView => typeof v === 'string' && (queueViews as readonly string[]).includes(v);

export const QUEUE_PAGE_SIZE = 25;
export const QUEUE_SEARCH_MAX_LENGTH = 200;

/** Statuses a ticket that still needs work can have ("all open" in S1). */
const WORKING: TicketStatus[] = ['new', 'open', 'pending'];

export interface QueueFilters {
  view: QueueView;
  area: string | null;
  locale: Locale | null;
  status: TicketStatus | null;
  /** Text or (part of) an email address. */
  q: string;
  page: number;
}

export type QueueFilterProblem = 'view' | 'area' | 'locale' | 'status' | 'q' | 'page';

/** N2: reads the queue's query string; an unknown value is a problem, never silently widened. */
export function parseQueueFilters(params: URLSearchParams): { ok: true; filters: QueueFilters } | { ok: false; problem: QueueFilterProblem } {
  const view = params.get('view') || 'unassigned';
  if (!isQueueView(view)) return { ok: false, problem: 'view' };
  const area = params.get('area') || null;
  if (area !== null && !isSlug(area)) return { ok: false, problem: 'area' };
  const locale = params.get('lang') || null;
  if (locale !== null && !isLocale(locale)) return { ok: false, problem: 'locale' };
  const status = params.get('status') || null;
  if (status !== null && !(ticketStatuses as readonly string[]).includes(status)) return { ok: false, problem: 'status' };
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim();
  if ([...q].length > QUEUE_SEARCH_MAX_LENGTH) return { ok: false, problem: 'q' };
  const rawPage = params.get('page') || '1';
  if (!/^\d{1,6}$/.test(rawPage) || Number(rawPage) < 1) return { ok: false, problem: 'page' };
  return { ok: true, filters: { view, area, locale: locale as Locale | null, status: status as TicketStatus | null, q, page: Number(rawPage) } };
}

/** LIKE pattern for a literal piece of text (`\` escapes % and _). */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function viewCondition(view: QueueView, meId: string): SQL {
  switch (view) {
    case 'unassigned':
      return and(isNull(tickets.assigneeId), inArray(tickets.status, WORKING))!;
    case 'mine':
      return and(eq(tickets.assigneeId, meId), inArray(tickets.status, WORKING))!;
    case 'open':
      return inArray(tickets.status, WORKING);
    case 'pending':
      return eq(tickets.status, 'pending');
    case 'resolved':
      return eq(tickets.status, 'resolved');
  }
}

/** The filters every view shares (area, language, status, search). */
function filterConditions(f: Pick<QueueFilters, 'area' | 'locale' | 'status' | 'q'>): SQL[] {
  const out: SQL[] = [];
  if (f.area) out.push(eq(tickets.areaSlug, f.area));
  if (f.locale) out.push(eq(tickets.locale, f.locale));
  if (f.status) out.push(eq(tickets.status, f.status));
  if (f.q) {
    const p = likePattern(f.q);
    out.push(
      or(
        sql`lower(${tickets.subject}) LIKE ${p} ESCAPE '\\'`,
        sql`${tickets.senderEmail} LIKE ${p} ESCAPE '\\'`,
        sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${tickets.customerId} AND ${users.email} LIKE ${p} ESCAPE '\\')`,
        sql`EXISTS (SELECT 1 FROM ${ticketMessages} WHERE ${ticketMessages.ticketId} = ${tickets.id} AND lower(${ticketMessages.body}) LIKE ${p} ESCAPE '\\')`,
      )!,
    );
  }
  return out;
}

export interface QueueRow {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  locale: string;
  areaSlug: string | null;
  senderEmail: string;
  senderName: string;
  unverifiedSender: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  updatedAt: number;
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  page: number;
  pages: number;
  counts: Record<QueueView, number>;
}

/** S1: one page of a view (newest activity first), its total, and the count of every view under the same filters. */
export async function queuePage(db: Db, meId: string, f: QueueFilters): Promise<QueuePage> {
  const shared = filterConditions(f);
  const where = and(viewCondition(f.view, meId), ...shared);
  const offset = (f.page - 1) * QUEUE_PAGE_SIZE;
  const assignee = sql<string | null>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${tickets.assigneeId})`;
  const countOf = (view: QueueView) => sql<number>`COALESCE(SUM(CASE WHEN ${viewCondition(view, meId)} THEN 1 ELSE 0 END), 0)`;
  const [rows, countRows] = await Promise.all([
    db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        locale: tickets.locale,
        areaSlug: tickets.areaSlug,
        senderEmail: tickets.senderEmail,
        senderName: tickets.senderName,
        unverifiedSender: tickets.unverifiedSender,
        assigneeId: tickets.assigneeId,
        assigneeName: assignee,
        updatedAt: tickets.updatedAt,
      })
      .from(tickets)
      .where(where)
      .orderBy(desc(tickets.updatedAt), desc(tickets.number))
      .limit(QUEUE_PAGE_SIZE)
      .offset(offset),
    db
      .select({
        unassigned: countOf('unassigned'),
        mine: countOf('mine'),
        open: countOf('open'),
        pending: countOf('pending'),
        resolved: countOf('resolved'),
      })
      .from(tickets)
      .where(shared.length ? and(...shared) : undefined),
  ]);
  const c = countRows[0] ?? { unassigned: 0, mine: 0, open: 0, pending: 0, resolved: 0 };
  const counts = { unassigned: Number(c.unassigned), mine: Number(c.mine), open: Number(c.open), pending: Number(c.pending), resolved: Number(c.resolved) };
  const total = counts[f.view];
  return { rows, total, page: f.page, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)), counts };
}

/** The query string of a queue URL (defaults left out), for links, paging and the island's refresh. */
export function queueQuery(f: Partial<QueueFilters>): string {
  const p = new URLSearchParams();
  if (f.view && f.view !== 'unassigned') p.set('view', f.view);
  if (f.area) p.set('area', f.area);
  if (f.locale) p.set('lang', f.locale);
  if (f.status) p.set('status', f.status);
  if (f.q) p.set('q', f.q);
  if (f.page && f.page > 1) p.set('page', String(f.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** S2: the people a ticket can be assigned to — active agents and admins. */
export async function assignableStaff(db: Db): Promise<Array<{ id: string; name: string; role: string }>> {
  return db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(inArray(users.role, ['agent', 'admin']), isNull(users.deletedAt), isNull(users.suspendedAt)))
    .orderBy(users.name);
}

export type { Ticket };
