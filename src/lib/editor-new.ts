// E1: the new-entry form (/editor/new) — area, source language, optional slug and the first text,
// created as a draft (not public until a language is published). Bad input writes nothing (N2).
import type { SessionUser } from '../server/auth/session.ts';
import type { Db } from '../server/db/client.ts';
import { createEntry } from '../server/editor/entries.ts';
import { validateEntryText, validateLang, type FieldProblem } from '../server/editor/validate.ts';
import { editorEntryUrl } from './editor-entry.ts';
import { idFrom, textFromForm } from './editor-forms.ts';

export type CreateOutcome = { ok: true; location: string } | { ok: false; problems: FieldProblem[] };

export async function runCreateEntry(db: Db, user: SessionUser, form: Record<string, string>): Promise<CreateOutcome> {
  const sourceLang = validateLang(form.sourceLang, 'sourceLang');
  const text = textFromForm(form) ?? {};
  if (!sourceLang.ok) {
    const checked = validateEntryText(text, 'en');
    return { ok: false, problems: [sourceLang.problem, ...(checked.ok ? [] : checked.problems)] };
  }
  const areaId = idFrom(form.area);
  // An id that is no number names no area: createEntry reports it with any other problem.
  const result = await createEntry(db, user, { areaId: Number.isNaN(areaId) ? -1 : areaId, slug: form.slug, sourceLang: sourceLang.value, text });
  return result.ok ? { ok: true, location: editorEntryUrl(result.slug, '?done=created') } : { ok: false, problems: result.problems };
}
