// E1 / E2: what the entry editor page (/editor/entries/[slug]) does with a request — find the entry
// (an old slug redirects), run the posted action through src/server/editor, and build what each
// language column shows. Every write names the revision the editor loaded; a refusal writes nothing.
import { and, eq } from 'drizzle-orm';
import { kbEntries, kbSlugRedirects } from '../../db/schema/index.ts';
import { isLocale, locales, type Locale } from '../i18n/locales.ts';
import type { SessionUser } from '../server/auth/session.ts';
import type { Db } from '../server/db/client.ts';
import { deleteEntry, moveEntryToArea, publishDraft, renameEntry, revisionsOf, saveDrafts, setSourceLang, unpublish, type EditorEntry, type TranslationStatus, type WriteFailure } from '../server/editor/entries.ts';
import { isBlankText, validateLang, type EntryTextInput, type FieldProblem } from '../server/editor/validate.ts';
import { renderMarkdown } from '../server/kb/markdown.ts';
import { ticketById } from '../server/tickets/tickets.ts';
import { idFrom, revisionFromForm, textFromForm, valuesOf, type ColumnValues } from './editor-forms.ts';

export const editorEntryUrl = (slug: string, query = '') => `/editor/entries/${slug}${query}`;
export const editorHistoryUrl = (slug: string, lang: Locale, query = '') => `/editor/entries/${slug}/history?lang=${lang}${query}`;

/** E1: the entry's current slug when `slug` is one it had before a rename; null if none. */
export async function renamedEntrySlug(db: Db, slug: string): Promise<string | null> {
  const [row] = await db
    .select({ slug: kbEntries.slug })
    .from(kbSlugRedirects)
    .innerJoin(kbEntries, eq(kbEntries.id, kbSlugRedirects.targetId))
    .where(and(eq(kbSlugRedirects.kind, 'entry'), eq(kbSlugRedirects.oldSlug, slug)))
    .limit(1);
  return row?.slug ?? null;
}

/** Which form on the page a refusal belongs to: its fields keep what was typed. */
export type EntryForm = 'texts' | 'unpublish' | 'rename' | 'move' | 'source' | 'delete';
export type EntryError = 'invalid' | 'conflict' | 'not-published' | 'still-published' | 'unknown-action' | 'not-found';

export type EntryOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'render'; status: 200 | 400 | 404 | 409; form: EntryForm; error?: EntryError; problems: FieldProblem[]; lang?: Locale };

const PUBLISH = /^publish-(nl|en|fr)$/;

function refused(failure: WriteFailure, form: EntryForm, lang?: Locale): EntryOutcome {
  switch (failure.reason) {
    case 'conflict':
      return { kind: 'render', status: 409, form, error: 'conflict', problems: [], lang };
    case 'invalid':
      return { kind: 'render', status: 400, form, error: 'invalid', problems: failure.problems, lang };
    case 'not-found':
      return { kind: 'render', status: 404, form, error: 'not-found', problems: [], lang };
    case 'still-published':
      return { kind: 'render', status: 409, form, error: 'still-published', problems: [], lang };
    default:
      return { kind: 'render', status: 400, form, error: 'not-published', problems: [], lang };
  }
}

/**
 * The three columns as posted. Checkboxes come in the vocabulary's order; tags the text already
 * had keep their saved order (new ones follow), so an unchanged form is an unchanged text.
 */
export function postedTexts(form: Record<string, string>, entry: EditorEntry): Partial<Record<Locale, EntryTextInput>> {
  const out: Partial<Record<Locale, EntryTextInput>> = {};
  for (const lang of locales) {
    const text = textFromForm(form, lang);
    if (!text) continue;
    const saved: readonly string[] = (entry.langs[lang].draft ?? entry.langs[lang].published)?.tags ?? [];
    const posted = text.tags as string[];
    out[lang] = { ...text, tags: [...saved.filter((t) => posted.includes(t)), ...posted.filter((t) => !saved.includes(t))] };
  }
  return out;
}

/** E1: runs one posted action of the entry editor. */
export async function runEntryAction(db: Db, user: SessionUser, entry: EditorEntry, form: Record<string, string>): Promise<EntryOutcome> {
  const revision = revisionFromForm(form);
  const action = form.action ?? '';
  const back = (query: string) => ({ kind: 'redirect' as const, location: editorEntryUrl(entry.slug, query) });
  if (action === 'preview') return { kind: 'render', status: 200, form: 'texts', problems: [] };
  if (action === 'save' || PUBLISH.test(action)) {
    const saved = await saveDrafts(db, user, entry.id, revision, postedTexts(form, entry));
    if (!saved.ok) return refused(saved, 'texts');
    const lang = PUBLISH.exec(action)?.[1] as Locale | undefined;
    if (!lang) return back('?done=saved');
    // E2: a small fix of the source language keeps the translations current.
    const published = await publishDraft(db, user, entry.id, lang, saved.editRevision, { keepTranslationsCurrent: form['small-fix'] === 'on' && lang === entry.sourceLang });
    if (published.ok) return back(`?done=published&lang=${lang}`);
    if (published.reason === 'nothing-to-publish') return back(`?done=nothing&lang=${lang}`);
    return refused(published, 'texts', lang);
  }
  if (action === 'unpublish') {
    if (!isLocale(form.lang)) return { kind: 'render', status: 400, form: 'unpublish', error: 'unknown-action', problems: [] };
    const result = await unpublish(db, user, entry.id, form.lang, revision);
    return result.ok ? back(`?done=unpublished&lang=${form.lang}`) : refused(result, 'unpublish', form.lang);
  }
  if (action === 'delete') {
    const result = await deleteEntry(db, entry.id, revision);
    return result.ok ? { kind: 'redirect', location: `/editor?done=deleted&slug=${encodeURIComponent(entry.slug)}` } : refused(result, 'delete');
  }
  if (action === 'rename') {
    const result = await renameEntry(db, entry.id, form.slug ?? '', revision);
    return result.ok ? { kind: 'redirect', location: editorEntryUrl(result.slug, '?done=renamed') } : refused(result, 'rename');
  }
  if (action === 'move') {
    const areaId = idFrom(form.area);
    if (Number.isNaN(areaId)) return { kind: 'render', status: 400, form: 'move', error: 'invalid', problems: [{ field: 'area', problem: 'invalid' }] };
    const result = await moveEntryToArea(db, entry.id, areaId, revision);
    return result.ok ? back('?done=moved') : refused(result, 'move');
  }
  if (action === 'source') {
    const lang = validateLang(form.sourceLang, 'sourceLang');
    if (!lang.ok) return { kind: 'render', status: 400, form: 'source', error: 'invalid', problems: [lang.problem] };
    const result = await setSourceLang(db, entry.id, lang.value, revision);
    return result.ok ? back('?done=source') : refused(result, 'source');
  }
  return { kind: 'render', status: 400, form: 'texts', error: 'unknown-action', problems: [] };
}

export interface ColumnView {
  lang: Locale;
  status: TranslationStatus;
  published: { version: number; at: number; by: string | null; imported: boolean } | null;
  draft: { at: number; by: string | null } | null;
  /** E5: the number of the ticket the draft was made from (null: not from a ticket; 0: that ticket is gone). */
  fromTicket: number | null;
  values: ColumnValues;
  previewHtml: string;
  /** After a conflict: what is saved now (someone else's work), when it differs from what was posted. */
  theirs: (ColumnValues & { kind: 'draft' | 'published' | 'removed' }) | null;
}

const same = (a: ColumnValues, b: ColumnValues) => a.question.replace(/\s+/g, ' ').trim() === b.question && a.answer.replace(/\r\n?/g, '\n').trim() === b.answer.trim() && [...a.tags].sort().join() === [...b.tags].sort().join();

/** What each language column shows: the saved state, and the fields (the posted text after a refusal or a preview). */
export async function entryColumns(db: Db, entry: EditorEntry, posted: Partial<Record<Locale, EntryTextInput>> | null, conflict: boolean): Promise<ColumnView[]> {
  return Promise.all(
    locales.map(async (lang): Promise<ColumnView> => {
      const { published, draft, status } = entry.langs[lang];
      const latest = published ? (await revisionsOf(db, entry.id, lang)).find((r) => r.version === published.version) : undefined;
      const saved = valuesOf(draft ?? published);
      const mine = posted?.[lang];
      const values = mine ? valuesOf(mine) : saved;
      let theirs: ColumnView['theirs'] = null;
      if (conflict && mine && !same(values, saved)) theirs = { ...saved, kind: draft ? 'draft' : published ? 'published' : 'removed' };
      if (conflict && mine && isBlankText(mine) && !draft && !published) theirs = null;
      const ticket = draft?.ticketId ? await ticketById(db, draft.ticketId) : null;
      return {
        lang,
        status,
        published: published ? { version: published.version, at: published.publishedAt, by: latest?.authorName ?? null, imported: latest?.author === 'import' } : null,
        draft: draft ? { at: draft.updatedAt, by: draft.updatedByName } : null,
        fromTicket: draft?.ticketId ? (ticket?.number ?? 0) : null,
        values,
        previewHtml: values.answer.trim() ? renderMarkdown(values.answer) : '',
        theirs,
      };
    }),
  );
}
