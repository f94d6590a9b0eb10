// E5: "Draft an entry from this ticket". From a resolved (or since closed) ticket, an agent or an
// editor starts a draft entry in the ticket's language: the subject as the question, the answers
// the customer was given (never an internal note) as the answer. It is a draft only — no
// published text, so no page, no search hit — until an editor has cleaned it of personal data
// and published it. Asking twice for the same ticket opens the same draft.
import { asc, eq } from 'drizzle-orm';
import { kbAreas, kbEntries, type Role } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { isAgent } from '../tickets/access.ts';
import { messagesOf, type Ticket } from '../tickets/tickets.ts';
import { freeEntrySlug, insertEntry } from './entries.ts';
import { isEditor } from './access.ts';
import { ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH } from './validate.ts';

export const DRAFTABLE_STATUSES: readonly Ticket['status'][] = ['resolved', 'closed'];

export type DraftFromTicketResult =
  | { ok: true; slug: string; created: boolean }
  | { ok: false; reason: 'forbidden' | 'not-resolved' | 'no-answer' | 'no-area' };

/** The subject as a question: whitespace collapsed, cut at a word to the question limit. */
function questionFrom(subject: string): string {
  const q = subject.replace(/\s+/g, ' ').trim();
  if (q.length <= QUESTION_MAX_LENGTH) return q;
  const cut = q.slice(0, QUESTION_MAX_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 80 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The slug of the entry drafted from this ticket, if there is one — a draft still, or published since (E5). */
export async function draftOfTicket(db: Db, ticketId: string): Promise<string | null> {
  const [row] = await db.select({ slug: kbEntries.slug }).from(kbEntries).where(eq(kbEntries.fromTicketId, ticketId)).limit(1);
  return row?.slug ?? null;
}

export async function draftFromTicket(db: Db, user: { id: string; role: Role }, ticket: Ticket, attempt = 0): Promise<DraftFromTicketResult> {
  if (!isAgent(user) && !isEditor(user)) return { ok: false, reason: 'forbidden' };
  if (!DRAFTABLE_STATUSES.includes(ticket.status)) return { ok: false, reason: 'not-resolved' };
  const existing = await draftOfTicket(db, ticket.id);
  if (existing) return { ok: true, slug: existing, created: false };
  const answers = (await messagesOf(db, ticket.id, { includeInternal: false })).filter((m) => m.authorKind === 'agent' && !m.internal).map((m) => m.body.trim());
  if (answers.length === 0) return { ok: false, reason: 'no-answer' };
  const [area] = ticket.areaSlug
    ? await db.select({ id: kbAreas.id }).from(kbAreas).where(eq(kbAreas.slug, ticket.areaSlug))
    : [];
  const [fallbackArea] = area ? [area] : await db.select({ id: kbAreas.id }).from(kbAreas).orderBy(asc(kbAreas.position), asc(kbAreas.slug)).limit(1);
  if (!fallbackArea) return { ok: false, reason: 'no-area' };
  const lang: Locale = isLocale(ticket.locale) ? ticket.locale : 'en';
  const question = questionFrom(ticket.subject);
  const slug = await freeEntrySlug(db, question, `ticket-${ticket.number}`);
  const result = await insertEntry(db, {
    areaId: fallbackArea.id,
    slug,
    sourceLang: lang,
    fromTicketId: ticket.id,
    // Tags are the editor's choice: the draft cannot be published until at least one is picked.
    draft: { question, answerMd: answers.join('\n\n').slice(0, ANSWER_MAX_LENGTH), tags: [], updatedBy: user.id, ticketId: ticket.id },
  });
  // The slug was taken a moment ago, or another agent drafted this ticket at the same time.
  if (!result.ok) {
    if (attempt < 3) return draftFromTicket(db, user, ticket, attempt + 1);
    throw new Error(`no free slug for a draft from ticket #${ticket.number}`);
  }
  return { ok: true, slug: result.slug, created: true };
}
