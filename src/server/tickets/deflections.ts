// T2: deflection — knowledge-base entries suggested while a customer writes a ticket. Opening a
// suggestion records one row per draft and entry; sending that draft stamps its ticket on them.
// An opened suggestion whose draft was never sent (after a grace period) counts as a deflection.
import { and, count, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { ticketDeflections } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { consume, type RateLimit } from '../auth/rate-limit.ts';
import type { Db } from '../db/client.ts';

/** A draft id made by the browser: 16–64 url-safe characters (crypto.randomUUID fits). */
export const DRAFT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const isDraftId = (value: unknown): value is string => typeof value === 'string' && DRAFT_ID_PATTERN.test(value);

/** A draft not sent this long after a suggestion was opened is a deflection. */
export const DEFLECTION_AFTER_MS = 30 * 60_000;
/** A21: opening suggestions writes rows, so it is limited per account. */
export const DEFLECTION_LIMIT: RateLimit = { limit: 60, windowMs: 60 * 60_000 };

export type RecordDeflectionResult = { ok: true; recorded: boolean } | { ok: false; reason: 'invalid' | 'unknown-entry' | 'rate-limited'; retryAfter?: number };

/** T2: the customer opened a suggested entry while writing draft `draftId`; once per draft and entry. */
export async function recordDeflection(
  db: Db,
  input: { draftId: unknown; slug: unknown; locale: unknown; userId: string },
  entryExists: (slug: string) => boolean,
  now = Date.now(),
): Promise<RecordDeflectionResult> {
  const { draftId, slug, locale } = input;
  if (!isDraftId(draftId) || !isSlug(slug) || !isLocale(locale)) return { ok: false, reason: 'invalid' };
  if (!entryExists(slug)) return { ok: false, reason: 'unknown-entry' };
  const limit = await consume(db, `deflection:${input.userId}`, DEFLECTION_LIMIT, now);
  if (!limit.ok) return { ok: false, reason: 'rate-limited', retryAfter: limit.retryAfter };
  // One statement: the same entry opened twice in one draft is one row (no read-then-write race).
  const inserted = await db.run(sql`INSERT INTO ticket_deflections (draft_id, user_id, entry_slug, locale, opened_at)
    SELECT ${draftId}, ${input.userId}, ${slug}, ${locale}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM ticket_deflections WHERE draft_id = ${draftId} AND entry_slug = ${slug} AND user_id = ${input.userId})`);
  return { ok: true, recorded: inserted.rowsAffected === 1 };
}

/** T2: the draft was sent as a ticket — its opened suggestions did not deflect it (only the author's rows). */
export function stampDraftStatement(db: Db, draftId: string, userId: string, ticketId: string) {
  return db
    .update(ticketDeflections)
    .set({ ticketId })
    .where(and(eq(ticketDeflections.draftId, draftId), eq(ticketDeflections.userId, userId), isNull(ticketDeflections.ticketId)));
}

export interface DeflectionReportRow {
  entrySlug: string;
  locale: Locale;
  /** Suggestions opened whose draft was never sent. */
  deflections: number;
}

/** T2 (for the console): per entry and language, how many opened suggestions ended a draft. */
export async function deflectionReport(db: Db, { since = 0, now = Date.now() }: { since?: number; now?: number } = {}): Promise<DeflectionReportRow[]> {
  // A draft counts as sent when any of its rows carries a ticket.
  const sent = sql`EXISTS (SELECT 1 FROM ticket_deflections AS d2 WHERE d2.draft_id = ${ticketDeflections.draftId} AND d2.ticket_id IS NOT NULL)`;
  const rows = await db
    .select({ entrySlug: ticketDeflections.entrySlug, locale: ticketDeflections.locale, deflections: count() })
    .from(ticketDeflections)
    .where(and(isNull(ticketDeflections.ticketId), sql`NOT ${sent}`, gte(ticketDeflections.openedAt, since), lt(ticketDeflections.openedAt, now - DEFLECTION_AFTER_MS)))
    .groupBy(ticketDeflections.entrySlug, ticketDeflections.locale)
    .orderBy(desc(count()), ticketDeflections.entrySlug);
  return rows.map((r) => ({ entrySlug: r.entrySlug, locale: r.locale as Locale, deflections: Number(r.deflections) }));
}
