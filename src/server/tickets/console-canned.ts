// S2: canned replies per language — agents and admins create, edit and delete them on /staff/canned
// and pick one for a ticket in the ticket's language. Plain text like every message (T7).
import { and, asc, eq } from 'drizzle-orm';
import { cannedReplies } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { checkText, MESSAGE_MAX_LENGTH, type TextProblem } from './tickets.ts';

export const CANNED_TITLE_MAX_LENGTH = 100;
export type CannedReply = typeof cannedReplies.$inferSelect;

export type CannedInputProblem = { field: 'locale'; problem: 'invalid' } | { field: 'title' | 'body'; problem: TextProblem };
export type CannedResult = { ok: true; reply: CannedReply } | { ok: false; reason: 'invalid'; problems: CannedInputProblem[] } | { ok: false; reason: 'not-found' };

function validate(input: { locale: unknown; title: unknown; body: unknown }): { ok: true; locale: Locale; title: string; body: string } | { ok: false; problems: CannedInputProblem[] } {
  const problems: CannedInputProblem[] = [];
  if (!isLocale(input.locale)) problems.push({ field: 'locale', problem: 'invalid' });
  const title = checkText(input.title, CANNED_TITLE_MAX_LENGTH);
  if (!title.ok) problems.push({ field: 'title', problem: title.problem });
  const body = checkText(input.body, MESSAGE_MAX_LENGTH);
  if (!body.ok) problems.push({ field: 'body', problem: body.problem });
  if (problems.length || !title.ok || !body.ok) return { ok: false, problems };
  return { ok: true, locale: input.locale as Locale, title: title.value, body: body.value };
}

export async function cannedRepliesFor(db: Db, locale?: Locale): Promise<CannedReply[]> {
  return db
    .select()
    .from(cannedReplies)
    .where(locale ? eq(cannedReplies.locale, locale) : undefined)
    .orderBy(asc(cannedReplies.locale), asc(cannedReplies.title), asc(cannedReplies.id));
}

export async function cannedReplyById(db: Db, id: number): Promise<CannedReply | null> {
  if (!Number.isSafeInteger(id)) return null;
  return (await db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).limit(1))[0] ?? null;
}

export async function createCannedReply(db: Db, actorId: string, input: { locale: unknown; title: unknown; body: unknown }, now = Date.now()): Promise<CannedResult> {
  const v = validate(input);
  if (!v.ok) return { ok: false, reason: 'invalid', problems: v.problems };
  const [reply] = await db.insert(cannedReplies).values({ locale: v.locale, title: v.title, body: v.body, createdBy: actorId, createdAt: now, updatedAt: now }).returning();
  return { ok: true, reply: reply! };
}

export async function updateCannedReply(db: Db, id: number, input: { locale: unknown; title: unknown; body: unknown }, now = Date.now()): Promise<CannedResult> {
  const v = validate(input);
  if (!v.ok) return { ok: false, reason: 'invalid', problems: v.problems };
  if (!Number.isSafeInteger(id)) return { ok: false, reason: 'not-found' };
  const [reply] = await db.update(cannedReplies).set({ locale: v.locale, title: v.title, body: v.body, updatedAt: now }).where(eq(cannedReplies.id, id)).returning();
  return reply ? { ok: true, reply } : { ok: false, reason: 'not-found' };
}

export async function deleteCannedReply(db: Db, id: number): Promise<boolean> {
  if (!Number.isSafeInteger(id)) return false;
  const result = await db.delete(cannedReplies).where(and(eq(cannedReplies.id, id)));
  return result.rowsAffected === 1;
}
