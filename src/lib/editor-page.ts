// E1: what the pages of one entry do first — the workspace's start (workspacePage), then the entry by slug; an old slug
// (renamed entry) answers 301 to the same page under the current slug; no entry is a 404.
import type { AstroGlobal } from 'astro';
import { loadEditorEntry, type EditorEntry } from '../server/editor/entries.ts';
import { workspacePage, type WorkspacePage } from './editor-admin.ts';
import { editorEntryUrl, renamedEntrySlug } from './editor-entry.ts';

/** The entry pages' start (workspacePage, then the entry); `below` is the path under the entry's URL ('' or '/history'). */
export async function editorEntryPage(Astro: AstroGlobal, below: '' | '/history', formMaxLength?: number): Promise<{ redirect: Response } | (Extract<WorkspacePage, { redirect: null }> & { entry: EditorEntry | null })> {
  const page = await workspacePage(Astro, formMaxLength);
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
