// E1: what the history page (/editor/entries/[slug]/history?lang=xx) does — the versions of one
// language, the two compared (by default a version against the one before it), and the guarded
// restore of an earlier version as a new one.
import type { Locale } from '../i18n/locales.ts';
import type { SessionUser } from '../server/auth/session.ts';
import type { Db } from '../server/db/client.ts';
import { diffTexts, type TextDiff } from '../server/editor/diff.ts';
import { restoreVersion, type EditorEntry, type RevisionRow } from '../server/editor/entries.ts';
import { editorHistoryUrl } from './editor-entry.ts';
import { idFrom, revisionFromForm } from './editor-forms.ts';

export type RestoreOutcome = { kind: 'redirect'; location: string } | { kind: 'render'; status: 400 | 404 | 409; error: 'conflict' | 'version-not-found' | 'unknown-action'; version: number };

export async function runRestore(db: Db, user: SessionUser, entry: EditorEntry, lang: Locale, form: Record<string, string>): Promise<RestoreOutcome> {
  const version = idFrom(form.version);
  if (form.action !== 'restore') return { kind: 'render', status: 400, error: 'unknown-action', version };
  if (Number.isNaN(version)) return { kind: 'render', status: 404, error: 'version-not-found', version };
  const result = await restoreVersion(db, user, entry.id, lang, version, revisionFromForm(form));
  if (result.ok) return { kind: 'redirect', location: editorHistoryUrl(entry.slug, lang, `&done=restored&restored=${version}&as=${result.version}`) };
  if (result.reason === 'conflict') return { kind: 'render', status: 409, error: 'conflict', version };
  return { kind: 'render', status: 404, error: 'version-not-found', version };
}

export interface Comparison {
  from: RevisionRow | null;
  to: RevisionRow;
  diff: TextDiff;
}

/** The two versions to compare: the ones asked for if they exist, else the newest against the one before it. */
export function compareVersions(revisions: RevisionRow[], fromParam: string | null, toParam: string | null): Comparison | null {
  if (revisions.length === 0) return null;
  const find = (v: string | null) => revisions.find((r) => r.version === idFrom(v));
  const to = find(toParam) ?? revisions[0]!;
  const before = revisions.find((r) => r.version < to.version) ?? null;
  const from = fromParam === null ? before : (find(fromParam) ?? before);
  return { from, to, diff: diffTexts(from, to) };
}
