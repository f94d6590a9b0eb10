// E1: what every page of the entry editor does first — the workspace gate (signed out → sign-in,
// customers and agents → 403), and for the pages of one entry: find it by slug; an old slug
// (renamed entry) answers 301 to the same page under the current slug; no entry is a 404.
import type { AstroGlobal } from 'astro';
import type { Locale } from '../i18n/locales.ts';
import { getDb, type Db } from '../server/db/client.ts';
import { editorGate, type EditorGate } from '../server/editor/access.ts';
import { loadEditorEntry, type EditorEntry } from '../server/editor/entries.ts';
import { editorEntryUrl, renamedEntrySlug } from './editor-entry.ts';

export type WorkspaceGate = Exclude<EditorGate, { status: 303 }>;
export type EditorPage = { redirect: Response } | { redirect?: undefined; gate: WorkspaceGate; lang: Locale; db: Db };

export async function editorPage(Astro: AstroGlobal): Promise<EditorPage> {
  const gate = editorGate(Astro.locals.user, Astro.locals.lang, Astro.url);
  if (!gate.ok && gate.status === 303) return { redirect: Astro.redirect(gate.location, 303) };
  return { gate, lang: gate.lang, db: await getDb() };
}

/** The entry page's start; `below` is the path under the entry's URL ('' or '/history'). */
export async function editorEntryPage(Astro: AstroGlobal, below: '' | '/history'): Promise<{ redirect: Response } | (Exclude<EditorPage, { redirect: Response }> & { entry: EditorEntry | null })> {
  const page = await editorPage(Astro);
  if (page.redirect) return page;
  const slug = Astro.params.slug ?? '';
  const entry = page.gate.ok ? await loadEditorEntry(page.db, slug) : null;
  if (page.gate.ok && !entry) {
    const current = await renamedEntrySlug(page.db, slug);
    if (current) return { redirect: Astro.redirect(`${editorEntryUrl(current)}${below}${Astro.url.search}`, 301) };
    Astro.response.status = 404;
  }
  return { ...page, entry };
}
