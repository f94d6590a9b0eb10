// E1 / E2 / E3: an entry as the editor sees it (nl, en and fr side by side, each with its
// published text and its draft) and every write the editor makes to it.
//
// Writes are single `db.batch` calls (atomic, never a transaction held across awaits: see
// STACK-NOTES, the libSQL concurrency trap). Every write to an entry's text names the
// `editRevision` it was made from; the batch's first statement bumps it only if it still matches
// and otherwise fails the whole batch (a NOT NULL violation), so a second editor saving over a
// change they have not seen is told so and nothing is overwritten (E1, safe input).
// A publish bumps the knowledge-base version, so pages, the page cache and the search index of
// every instance serve the new text on their next request (E3).
import type { BatchItem } from 'drizzle-orm/batch';
import { and, asc, desc, eq, inArray, max, ne, sql, type SQL } from 'drizzle-orm';
import { kbAreas, kbEntries, kbEntryDrafts, kbEntryRevisions, kbEntryTranslations, kbSlugRedirects, users } from '../../../db/schema/index.ts';
import { locales, type Locale } from '../../i18n/locales.ts';
import { slugify } from '../../lib/slug.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Db } from '../db/client.ts';
import { isConstraintError, isUniqueViolation } from '../db/errors.ts';
import { bumpKbVersion } from '../kb/import.ts';
import { markdownToText, renderMarkdown } from '../kb/markdown.ts';
import { noteKbChanged } from '../kb/snapshot.ts';
import type { TagId } from '../kb/tags.ts';
import { isBlankText, validateEntryText, validateSlug, type EntryText, type EntryTextInput, type FieldProblem } from './validate.ts';

export type Editor = Pick<SessionUser, 'id'>;

export interface PublishedText extends EntryText {
  version: number;
  publishedAt: number;
  sourceVersion: number | null;
}
export interface DraftText extends EntryText {
  updatedAt: number;
  updatedBy: string | null;
  updatedByName: string | null;
  ticketId: string | null;
}
/** E2: a translation's state against the entry's source language. */
export type TranslationStatus = 'source' | 'current' | 'outdated' | 'missing';

export interface EditorLang {
  lang: Locale;
  published: PublishedText | null;
  draft: DraftText | null;
  status: TranslationStatus;
}
export interface EditorEntry {
  id: number;
  slug: string;
  areaId: number;
  areaSlug: string;
  position: number;
  sourceLang: Locale;
  editRevision: number;
  createdAt: number;
  updatedAt: number;
  langs: Record<Locale, EditorLang>;
  /** Published in at least one language, so visitors can see it. */
  isPublic: boolean;
}

export type WriteFailure =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; editRevision: number }
  | { ok: false; reason: 'invalid'; problems: FieldProblem[] }
  | { ok: false; reason: 'nothing-to-publish' | 'not-published' | 'still-published' };
export type WriteResult<T = object> = ({ ok: true; editRevision: number } & T) | WriteFailure;

const nowMs = sql`(unixepoch('subsec') * 1000)`;
const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
export const sameText = (a: EntryText | null, b: EntryText | null) => !!a && !!b && a.question === b.question && a.answerMd === b.answerMd && sameTags(a.tags, b.tags);

/** E2: how one language stands against the source language. */
export function translationStatus(lang: Locale, sourceLang: Locale, published: Pick<PublishedText, 'sourceVersion'> | null, sourcePublished: Pick<PublishedText, 'version'> | null): TranslationStatus {
  if (!published) return 'missing';
  if (lang === sourceLang) return 'source';
  if (!sourcePublished) return 'current';
  return published.sourceVersion !== null && published.sourceVersion >= sourcePublished.version ? 'current' : 'outdated';
}

/** The entry by slug (or id) with all three languages; null if there is none. */
export async function loadEditorEntry(db: Db, key: string | number): Promise<EditorEntry | null> {
  const [row] = await db
    .select({ entry: kbEntries, areaSlug: kbAreas.slug })
    .from(kbEntries)
    .innerJoin(kbAreas, eq(kbAreas.id, kbEntries.areaId))
    .where(typeof key === 'number' ? eq(kbEntries.id, key) : eq(kbEntries.slug, key))
    .limit(1);
  if (!row) return null;
  const { entry } = row;
  const [published, drafts] = await Promise.all([
    db.select().from(kbEntryTranslations).where(eq(kbEntryTranslations.entryId, entry.id)),
    db
      .select({ draft: kbEntryDrafts, name: users.name })
      .from(kbEntryDrafts)
      .leftJoin(users, eq(users.id, kbEntryDrafts.updatedBy))
      .where(eq(kbEntryDrafts.entryId, entry.id)),
  ]);
  const sourceLang = entry.sourceLang as Locale;
  const pub = new Map(published.map((p) => [p.lang, { question: p.question, answerMd: p.answerMd, tags: p.tags as TagId[], version: p.version, publishedAt: p.publishedAt, sourceVersion: p.sourceVersion }]));
  const dr = new Map(
    drafts.map(({ draft: d, name }) => [d.lang, { question: d.question, answerMd: d.answerMd, tags: d.tags as TagId[], updatedAt: d.updatedAt, updatedBy: d.updatedBy, updatedByName: name, ticketId: d.ticketId }]),
  );
  const langs = {} as Record<Locale, EditorLang>;
  for (const lang of locales) {
    const p = pub.get(lang) ?? null;
    langs[lang] = { lang, published: p, draft: dr.get(lang) ?? null, status: translationStatus(lang, sourceLang, p, pub.get(sourceLang) ?? null) };
  }
  return {
    id: entry.id,
    slug: entry.slug,
    areaId: entry.areaId,
    areaSlug: row.areaSlug,
    position: entry.position,
    sourceLang,
    editRevision: entry.editRevision,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    langs,
    isPublic: pub.size > 0,
  };
}

/** The first statement of every guarded write: bumps the revision, or fails the batch if it moved on. */
function guard(db: Db, entryId: number, expected: number) {
  return db
    .update(kbEntries)
    .set({ editRevision: sql`CASE WHEN ${kbEntries.editRevision} = ${expected} THEN ${kbEntries.editRevision} + 1 ELSE NULL END`, updatedAt: nowMs })
    .where(eq(kbEntries.id, entryId));
}

const isGuardFailure = (error: unknown) => isConstraintError(error, /NOT NULL constraint failed: kb_entries\.edit_revision/i);

async function currentRevision(db: Db, entryId: number): Promise<number> {
  const [row] = await db.select({ r: kbEntries.editRevision }).from(kbEntries).where(eq(kbEntries.id, entryId));
  return row?.r ?? 0;
}

/** Runs `statements` after the revision guard; maps a moved-on revision to `conflict`. */
async function guarded(db: Db, entryId: number, expected: number, statements: BatchItem<'sqlite'>[], { published = false } = {}): Promise<WriteResult> {
  try {
    await db.batch([guard(db, entryId, expected), ...statements] as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (error) {
    if (isGuardFailure(error)) return { ok: false, reason: 'conflict', editRevision: await currentRevision(db, entryId) };
    throw error;
  }
  if (published) noteKbChanged(db);
  return { ok: true, editRevision: expected + 1 };
}

/** Loads the entry and checks the revision the editor worked from, before any validation work. */
async function entryFor(db: Db, entryId: number, expected: number): Promise<{ ok: true; entry: EditorEntry } | WriteFailure> {
  const entry = await loadEditorEntry(db, entryId);
  if (!entry) return { ok: false, reason: 'not-found' };
  if (entry.editRevision !== expected) return { ok: false, reason: 'conflict', editRevision: entry.editRevision };
  return { ok: true, entry };
}

/**
 * E1: saves the working text of each language given. A language left entirely blank discards its
 * draft; a text equal to the published one needs no draft (it is removed). Any invalid language
 * refuses the whole save (N2).
 */
export async function saveDrafts(db: Db, editor: Editor, entryId: number, expected: number, input: Partial<Record<Locale, EntryTextInput>>): Promise<WriteResult> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  const { entry } = found;
  const problems: FieldProblem[] = [];
  const statements: BatchItem<'sqlite'>[] = [];
  for (const lang of locales) {
    const raw = input[lang];
    if (raw === undefined) continue;
    const { published, draft } = entry.langs[lang];
    if (isBlankText(raw)) {
      if (draft) statements.push(db.delete(kbEntryDrafts).where(and(eq(kbEntryDrafts.entryId, entryId), eq(kbEntryDrafts.lang, lang))));
      continue;
    }
    const checked = validateEntryText(raw, lang);
    if (!checked.ok) {
      problems.push(...checked.problems);
      continue;
    }
    const text = checked.value;
    if (sameText(text, published)) {
      if (draft) statements.push(db.delete(kbEntryDrafts).where(and(eq(kbEntryDrafts.entryId, entryId), eq(kbEntryDrafts.lang, lang))));
      continue;
    }
    if (sameText(text, draft)) continue;
    statements.push(
      db
        .insert(kbEntryDrafts)
        .values({ entryId, lang, ...text, updatedBy: editor.id })
        .onConflictDoUpdate({ target: [kbEntryDrafts.entryId, kbEntryDrafts.lang], set: { ...text, updatedBy: editor.id, updatedAt: nowMs } }),
    );
  }
  if (problems.length) return { ok: false, reason: 'invalid', problems };
  if (statements.length === 0) return { ok: true, editRevision: expected };
  return guarded(db, entryId, expected, statements);
}

/** The next version number of a translation: past every version ever published (unpublished ones included). */
async function nextVersion(db: Db, entryId: number, lang: Locale): Promise<number> {
  const [row] = await db
    .select({ v: max(kbEntryRevisions.version) })
    .from(kbEntryRevisions)
    .where(and(eq(kbEntryRevisions.entryId, entryId), eq(kbEntryRevisions.lang, lang)));
  return (row?.v ?? 0) + 1;
}

/** The statements that make `text` the published version `version` of one language. */
function publishStatements(
  db: Db,
  editor: Editor,
  entry: EditorEntry,
  lang: Locale,
  text: EntryText,
  version: number,
  how: { action: 'publish' | 'restore'; restoredFrom?: number; keepTranslationsCurrent?: boolean },
): BatchItem<'sqlite'>[] {
  const isSource = lang === entry.sourceLang;
  const sourceVersion = isSource ? version : (entry.langs[entry.sourceLang].published?.version ?? null);
  const values = { ...text, answerHtml: renderMarkdown(text.answerMd), answerText: markdownToText(text.answerMd), version, sourceVersion };
  const statements: BatchItem<'sqlite'>[] = [
    db
      .insert(kbEntryTranslations)
      .values({ entryId: entry.id, lang, ...values })
      .onConflictDoUpdate({ target: [kbEntryTranslations.entryId, kbEntryTranslations.lang], set: { ...values, publishedAt: nowMs } }),
    db.insert(kbEntryRevisions).values({ entryId: entry.id, lang, version, ...text, author: editor.id, action: how.action, restoredFrom: how.restoredFrom ?? null, sourceVersion }),
  ];
  const before = entry.langs[lang].published;
  // A small fix to the source (a typo) need not send every translation back to the translators.
  if (isSource && how.keepTranslationsCurrent && before) {
    statements.push(
      db
        .update(kbEntryTranslations)
        .set({ sourceVersion: version })
        .where(and(eq(kbEntryTranslations.entryId, entry.id), ne(kbEntryTranslations.lang, lang), sql`${kbEntryTranslations.sourceVersion} >= ${before.version}`)),
    );
  }
  statements.push(bumpKbVersion(db));
  return statements;
}

/**
 * E1 / E3: publishes the draft of one language as a new version (author and time kept), removes
 * the draft, and makes it live for visitors and search on the next request.
 */
export async function publishDraft(db: Db, editor: Editor, entryId: number, lang: Locale, expected: number, options: { keepTranslationsCurrent?: boolean } = {}): Promise<WriteResult<{ version: number }>> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  const { entry } = found;
  const draft = entry.langs[lang].draft;
  if (!draft) return { ok: false, reason: 'nothing-to-publish' };
  // Drafts from a ticket (E5) are saved unchecked; nothing is published that the rules refuse.
  const checked = validateEntryText({ question: draft.question, answer: draft.answerMd, tags: draft.tags }, lang);
  if (!checked.ok) return { ok: false, reason: 'invalid', problems: checked.problems };
  const version = await nextVersion(db, entryId, lang);
  const statements = publishStatements(db, editor, entry, lang, checked.value, version, { action: 'publish', keepTranslationsCurrent: options.keepTranslationsCurrent });
  statements.push(db.delete(kbEntryDrafts).where(and(eq(kbEntryDrafts.entryId, entryId), eq(kbEntryDrafts.lang, lang))));
  const result = await guarded(db, entryId, expected, statements, { published: true });
  return result.ok ? { ...result, version } : result;
}

/** E1: brings back the text of an earlier version as a new published version (a draft in progress is kept). */
export async function restoreVersion(db: Db, editor: Editor, entryId: number, lang: Locale, fromVersion: number, expected: number): Promise<WriteResult<{ version: number }>> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  const [old] = await db
    .select()
    .from(kbEntryRevisions)
    .where(and(eq(kbEntryRevisions.entryId, entryId), eq(kbEntryRevisions.lang, lang), eq(kbEntryRevisions.version, fromVersion)));
  if (!old) return { ok: false, reason: 'not-found' };
  const text: EntryText = { question: old.question, answerMd: old.answerMd, tags: old.tags as TagId[] };
  const version = await nextVersion(db, entryId, lang);
  const result = await guarded(db, entryId, expected, publishStatements(db, editor, found.entry, lang, text, version, { action: 'restore', restoredFrom: fromVersion }), { published: true });
  return result.ok ? { ...result, version } : result;
}

/** E1: takes one language off the public site; its text stays as the draft (unless one exists) and in the history. */
export async function unpublish(db: Db, editor: Editor, entryId: number, lang: Locale, expected: number): Promise<WriteResult> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  const { published, draft } = found.entry.langs[lang];
  if (!published) return { ok: false, reason: 'not-published' };
  const statements: BatchItem<'sqlite'>[] = [];
  if (!draft) {
    statements.push(db.insert(kbEntryDrafts).values({ entryId, lang, question: published.question, answerMd: published.answerMd, tags: published.tags, updatedBy: editor.id }));
  }
  statements.push(db.delete(kbEntryTranslations).where(and(eq(kbEntryTranslations.entryId, entryId), eq(kbEntryTranslations.lang, lang))), bumpKbVersion(db));
  return guarded(db, entryId, expected, statements, { published: true });
}

/**
 * E1 / E5: deletes an entry no visitor can see (a draft never published, a draft from a ticket that
 * should not become an article, or one unpublished in every language) with its drafts, history and
 * old slugs. A public entry is refused: unpublish its languages first.
 */
export async function deleteEntry(db: Db, entryId: number, expected: number): Promise<WriteResult> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  if (found.entry.isPublic) return { ok: false, reason: 'still-published' };
  const result = await guarded(db, entryId, expected, [
    db.delete(kbSlugRedirects).where(and(eq(kbSlugRedirects.kind, 'entry'), eq(kbSlugRedirects.targetId, entryId))),
    // drafts, revisions and feedback go with it (ON DELETE CASCADE)
    db.delete(kbEntries).where(eq(kbEntries.id, entryId)),
  ]);
  return result;
}

/** E2: which language the others are translated from. The current texts count as up to date with the new source. */
export async function setSourceLang(db: Db, entryId: number, sourceLang: Locale, expected: number): Promise<WriteResult> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  if (found.entry.sourceLang === sourceLang) return { ok: true, editRevision: expected };
  const sourceVersion = found.entry.langs[sourceLang].published?.version ?? null;
  return guarded(db, entryId, expected, [
    db.update(kbEntries).set({ sourceLang }).where(eq(kbEntries.id, entryId)),
    db.update(kbEntryTranslations).set({ sourceVersion }).where(eq(kbEntryTranslations.entryId, entryId)),
  ]);
}

/** Statements that point `oldSlug` at `targetId` and free `newSlug` from any redirect (a live slug wins). */
export function redirectStatements(db: Db, kind: 'entry' | 'area', oldSlug: string, newSlug: string, targetId: number): BatchItem<'sqlite'>[] {
  return [
    db.delete(kbSlugRedirects).where(and(eq(kbSlugRedirects.kind, kind), eq(kbSlugRedirects.oldSlug, newSlug))),
    db
      .insert(kbSlugRedirects)
      .values({ kind, oldSlug, targetId })
      .onConflictDoUpdate({ target: [kbSlugRedirects.kind, kbSlugRedirects.oldSlug], set: { targetId, createdAt: nowMs } }),
  ];
}

/** E1: a new slug for the entry; the old URL keeps working (301) in every language. */
export async function renameEntry(db: Db, entryId: number, rawSlug: unknown, expected: number): Promise<WriteResult<{ slug: string }>> {
  const slug = validateSlug(rawSlug);
  if (!slug.ok) return { ok: false, reason: 'invalid', problems: [slug.problem] };
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  const oldSlug = found.entry.slug;
  if (oldSlug === slug.value) return { ok: true, editRevision: expected, slug: oldSlug };
  const taken = { ok: false as const, reason: 'invalid' as const, problems: [{ field: 'slug' as const, problem: 'taken' as const }] };
  if ((await db.select({ id: kbEntries.id }).from(kbEntries).where(eq(kbEntries.slug, slug.value))).length) return taken;
  try {
    const result = await guarded(db, entryId, expected, [db.update(kbEntries).set({ slug: slug.value }).where(eq(kbEntries.id, entryId)), ...redirectStatements(db, 'entry', oldSlug, slug.value, entryId), bumpKbVersion(db)], { published: true });
    return result.ok ? { ...result, slug: slug.value } : result;
  } catch (error) {
    if (isUniqueViolation(error)) return taken; // taken between the check and the write
    throw error;
  }
}

async function nextPosition(db: Db, areaId: number): Promise<number> {
  const [row] = await db.select({ p: max(kbEntries.position) }).from(kbEntries).where(eq(kbEntries.areaId, areaId));
  return row?.p === null || row?.p === undefined ? 0 : row.p + 1;
}

/** E1: moves the entry to the end of another area; its public URL follows (the old one redirects). */
export async function moveEntryToArea(db: Db, entryId: number, areaId: number, expected: number): Promise<WriteResult> {
  const found = await entryFor(db, entryId, expected);
  if (!found.ok) return found;
  if (found.entry.areaId === areaId) return { ok: true, editRevision: expected };
  const [area] = await db.select({ id: kbAreas.id }).from(kbAreas).where(eq(kbAreas.id, areaId));
  if (!area) return { ok: false, reason: 'invalid', problems: [{ field: 'area', problem: 'invalid' }] };
  const position = await nextPosition(db, areaId);
  return guarded(db, entryId, expected, [db.update(kbEntries).set({ areaId, position }).where(eq(kbEntries.id, entryId)), bumpKbVersion(db)], { published: true });
}

/**
 * E1: one step up or down among the entries of its area. Positions are renumbered 0, 1, 2 …
 * in one batch; the order is not text, so it needs no revision check.
 */
export async function moveEntryStep(db: Db, entryId: number, direction: 'up' | 'down'): Promise<boolean> {
  const [entry] = await db.select({ areaId: kbEntries.areaId }).from(kbEntries).where(eq(kbEntries.id, entryId));
  if (!entry) return false;
  const siblings = await db.select({ id: kbEntries.id, position: kbEntries.position }).from(kbEntries).where(eq(kbEntries.areaId, entry.areaId)).orderBy(asc(kbEntries.position), asc(kbEntries.slug));
  const ids = siblings.map((s) => s.id);
  const i = ids.indexOf(entryId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= ids.length) return true; // already first / last
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  const statements: BatchItem<'sqlite'>[] = ids.flatMap((id, position) => (siblings.find((s) => s.id === id)!.position === position ? [] : [db.update(kbEntries).set({ position }).where(eq(kbEntries.id, id))]));
  statements.push(bumpKbVersion(db));
  await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  noteKbChanged(db);
  return true;
}

/** A free slug made from `text`: `-2`, `-3` … appended when taken (by an entry or an old slug). */
export async function freeEntrySlug(db: Db, text: string, fallback: string): Promise<string> {
  const base = (slugify(text) || fallback).slice(0, 72).replace(/-+$/, '') || fallback;
  const used = new Set([
    ...(await db.select({ s: kbEntries.slug }).from(kbEntries).where(sql`${kbEntries.slug} = ${base} OR ${kbEntries.slug} LIKE ${`${base}-%`}`)).map((r) => r.s),
    ...(await db
      .select({ s: kbSlugRedirects.oldSlug })
      .from(kbSlugRedirects)
      .where(and(eq(kbSlugRedirects.kind, 'entry'), sql`${kbSlugRedirects.oldSlug} = ${base} OR ${kbSlugRedirects.oldSlug} LIKE ${`${base}-%`}`))).map((r) => r.s),
  ]);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * E1: a new entry in an area, with its first text as a draft in the source language. It is not
 * public until a language is published. The slug is given, or made from the question.
 */
export async function createEntry(
  db: Db,
  editor: Editor,
  input: { areaId: number; slug?: unknown; sourceLang: Locale; text: EntryTextInput },
): Promise<{ ok: true; id: number; slug: string } | Extract<WriteFailure, { reason: 'invalid' }>> {
  const problems: FieldProblem[] = [];
  const checked = validateEntryText(input.text, input.sourceLang);
  if (!checked.ok) problems.push(...checked.problems);
  const [area] = await db.select({ id: kbAreas.id }).from(kbAreas).where(eq(kbAreas.id, input.areaId));
  if (!area) problems.push({ field: 'area', problem: 'invalid' });
  let slug = '';
  const given = typeof input.slug === 'string' && input.slug.trim() !== '';
  if (given) {
    const s = validateSlug(input.slug);
    if (!s.ok) problems.push(s.problem);
    else if ((await db.select({ id: kbEntries.id }).from(kbEntries).where(eq(kbEntries.slug, s.value))).length) problems.push({ field: 'slug', problem: 'taken' });
    else slug = s.value;
  } else if (checked.ok) {
    slug = await freeEntrySlug(db, checked.value.question, 'entry');
  }
  if (problems.length || !checked.ok) return { ok: false, reason: 'invalid', problems };
  return insertEntry(db, { areaId: input.areaId, slug, sourceLang: input.sourceLang, draft: { ...checked.value, updatedBy: editor.id, ticketId: null } });
}

/** Inserts the entry row and its first draft in one batch (used by createEntry and the E5 ticket draft). */
export async function insertEntry(
  db: Db,
  input: { areaId: number; slug: string; sourceLang: Locale; fromTicketId?: string; draft: EntryText & { updatedBy: string | null; ticketId: string | null } },
): Promise<{ ok: true; id: number; slug: string } | Extract<WriteFailure, { reason: 'invalid' }>> {
  const position = await nextPosition(db, input.areaId);
  const { draft } = input;
  try {
    const [inserted] = await db.batch([
      db.insert(kbEntries).values({ slug: input.slug, areaId: input.areaId, position, sourceLang: input.sourceLang, fromTicketId: input.fromTicketId ?? null }).returning({ id: kbEntries.id }),
      db.insert(kbEntryDrafts).values({
        entryId: sql`(SELECT id FROM kb_entries WHERE slug = ${input.slug})`,
        lang: input.sourceLang,
        question: draft.question,
        answerMd: draft.answerMd,
        tags: draft.tags,
        updatedBy: draft.updatedBy,
        ticketId: draft.ticketId,
      }),
      // A live slug wins over an old one that redirected elsewhere.
      db.delete(kbSlugRedirects).where(and(eq(kbSlugRedirects.kind, 'entry'), eq(kbSlugRedirects.oldSlug, input.slug))),
    ]);
    return { ok: true, id: inserted[0]!.id, slug: input.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'taken' }] };
    throw error;
  }
}

export interface EntrySummary {
  id: number;
  slug: string;
  areaId: number;
  position: number;
  sourceLang: Locale;
  /** The question to show: in the wanted language if it has one, else the source's, else any; drafts count. */
  question: string;
  /** Per language: its state against the source (E2), a pending draft, and its published version with the source version it was made against. */
  langs: Record<Locale, { status: TranslationStatus; hasDraft: boolean; version: number | null; publishedAt: number | null; sourceVersion: number | null }>;
  isPublic: boolean;
  /** E5: the id of the ticket the entry was drafted from. */
  fromTicket: string | null;
  updatedAt: number;
}

/** Every entry (or one area's) for the workspace's lists and the translation report, in area order. */
export async function listEntrySummaries(db: Db, lang: Locale, filter: { areaId?: number } = {}): Promise<EntrySummary[]> {
  const where: SQL | undefined = filter.areaId === undefined ? undefined : eq(kbEntries.areaId, filter.areaId);
  const entries = await db
    .select({ e: kbEntries })
    .from(kbEntries)
    .innerJoin(kbAreas, eq(kbAreas.id, kbEntries.areaId))
    .where(where)
    .orderBy(asc(kbAreas.position), asc(kbAreas.slug), asc(kbEntries.position), asc(kbEntries.slug));
  if (entries.length === 0) return [];
  const ids = entries.map((r) => r.e.id);
  const chunks = <T>(list: T[], size = 500) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));
  const [pubs, drafts] = await Promise.all([
    Promise.all(
      chunks(ids).map((part) =>
        db
          .select({ entryId: kbEntryTranslations.entryId, lang: kbEntryTranslations.lang, question: kbEntryTranslations.question, version: kbEntryTranslations.version, publishedAt: kbEntryTranslations.publishedAt, sourceVersion: kbEntryTranslations.sourceVersion })
          .from(kbEntryTranslations)
          .where(inArray(kbEntryTranslations.entryId, part)),
      ),
    ).then((r) => r.flat()),
    Promise.all(
      chunks(ids).map((part) =>
        db.select({ entryId: kbEntryDrafts.entryId, lang: kbEntryDrafts.lang, question: kbEntryDrafts.question }).from(kbEntryDrafts).where(inArray(kbEntryDrafts.entryId, part)),
      ),
    ).then((r) => r.flat()),
  ]);
  const key = (id: number, l: string) => `${id}/${l}`;
  const pubBy = new Map(pubs.map((p) => [key(p.entryId, p.lang), p]));
  const draftBy = new Map(drafts.map((d) => [key(d.entryId, d.lang), d]));
  return entries.map(({ e }) => {
    const sourceLang = e.sourceLang as Locale;
    const source = pubBy.get(key(e.id, sourceLang)) ?? null;
    const langs = {} as EntrySummary['langs'];
    let isPublic = false;
    for (const l of locales) {
      const p = pubBy.get(key(e.id, l)) ?? null;
      const d = draftBy.get(key(e.id, l));
      if (p) isPublic = true;
      langs[l] = { status: translationStatus(l, sourceLang, p, source), hasDraft: !!d, version: p?.version ?? null, publishedAt: p?.publishedAt ?? null, sourceVersion: p?.sourceVersion ?? null };
    }
    const textOf = (l: Locale) => pubBy.get(key(e.id, l))?.question ?? draftBy.get(key(e.id, l))?.question;
    const question = textOf(lang) ?? textOf(sourceLang) ?? locales.map(textOf).find(Boolean) ?? e.slug;
    return { id: e.id, slug: e.slug, areaId: e.areaId, position: e.position, sourceLang, question, langs, isPublic, fromTicket: e.fromTicketId, updatedAt: e.updatedAt };
  });
}

export interface RevisionRow {
  version: number;
  question: string;
  answerMd: string;
  tags: TagId[];
  author: string;
  authorName: string | null;
  action: string;
  restoredFrom: number | null;
  createdAt: number;
}

/** E1: every published version of one language, newest first, with who published it and when. */
export async function revisionsOf(db: Db, entryId: number, lang: Locale): Promise<RevisionRow[]> {
  const rows = await db
    .select({ r: kbEntryRevisions, name: users.name })
    .from(kbEntryRevisions)
    .leftJoin(users, eq(users.id, kbEntryRevisions.author))
    .where(and(eq(kbEntryRevisions.entryId, entryId), eq(kbEntryRevisions.lang, lang)))
    .orderBy(desc(kbEntryRevisions.version));
  return rows.map(({ r, name }) => ({
    version: r.version,
    question: r.question,
    answerMd: r.answerMd,
    tags: r.tags as TagId[],
    author: r.author,
    authorName: name,
    action: r.action,
    restoredFrom: r.restoredFrom,
    createdAt: r.createdAt,
  }));
}
