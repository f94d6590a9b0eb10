// E1 / E2 / E5: what the workspace's home, area and report pages share — the gate and the posted
// form, turning the editor module's field problems into localized messages, and the words for each
// language's state (text, never colour alone: N3).
import type { AstroGlobal } from 'astro';
import type { TFunction } from 'i18next';
import { t } from '../i18n/index.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { getDb, type Db } from '../server/db/client.ts';
import { editorGate, type EditorGate } from '../server/editor/access.ts';
import type { AreaTextsInput } from '../server/editor/areas.ts';
import type { EntrySummary } from '../server/editor/entries.ts';
import { AREA_DESCRIPTION_MAX_LENGTH, AREA_TITLE_MAX_LENGTH, type FieldProblem } from '../server/editor/validate.ts';
import { readForm } from './forms.ts';
import { SLUG_MAX_LENGTH } from './slug.ts';

/** The language's name as a label ("Dutch", "Néerlandais"): the shared names are written for running text. */
export function languageName(tr: TFunction, uiLang: Locale, lang: Locale): string {
  const name = tr(`languages.${lang}`);
  return name.charAt(0).toLocaleUpperCase(uiLang) + name.slice(1);
}

/**
 * E1: a posted Up/Down (`id` a positive integer, `direction` up or down) carried out by `move`;
 * an unknown direction (400) or id (404) is refused before anything is written.
 */
export async function postedMove(
  id: string | undefined,
  direction: string | undefined,
  move: (id: number, direction: 'up' | 'down') => Promise<boolean>,
): Promise<{ ok: true; id: number } | { ok: false; status: 400 | 404 }> {
  if (direction !== 'up' && direction !== 'down') return { ok: false, status: 400 };
  const n = id && /^[1-9]\d{0,8}$/.test(id) ? Number(id) : null;
  if (n === null || !(await move(n, direction))) return { ok: false, status: 404 };
  return { ok: true, id: n };
}

/** The area form's fields: `slug`, and `title_<lang>` / `description_<lang>` for each language. */
export function areaTextsFromForm(form: Record<string, string>): AreaTextsInput {
  return Object.fromEntries(locales.map((l) => [l, { title: form[`title_${l}`] ?? '', description: form[`description_${l}`] ?? '' }]));
}

export type AreaField = 'slug' | `title_${Locale}` | `description_${Locale}`;

/** One localized message per form field (`slug`, `title_nl`, …) for the area form. */
export function areaProblemMessages(tr: TFunction, problems: FieldProblem[]): Partial<Record<AreaField, string>> {
  const out: Partial<Record<AreaField, string>> = {};
  for (const p of problems) {
    if (p.field !== 'slug' && p.field !== 'title' && p.field !== 'description') continue;
    const key = (p.field === 'slug' ? 'slug' : `${p.field}_${p.lang ?? 'en'}`) as AreaField;
    const max = p.field === 'slug' ? SLUG_MAX_LENGTH : p.field === 'title' ? AREA_TITLE_MAX_LENGTH : AREA_DESCRIPTION_MAX_LENGTH;
    const language = p.lang ? tr(`languages.${p.lang}`) : '';
    out[key] ??= tr(`editor.areas.problems.${p.field}.${p.problem}`, { max, language });
  }
  return out;
}

/** E1 / E2: the words for one language of an entry — published vN, source or outdated, missing, draft pending. */
export function languageStates(tr: TFunction, state: EntrySummary['langs'][Locale]): Array<{ kind: 'published' | 'source' | 'outdated' | 'missing' | 'draft'; text: string }> {
  const out: Array<{ kind: 'published' | 'source' | 'outdated' | 'missing' | 'draft'; text: string }> = [];
  if (state.version !== null) {
    out.push({ kind: 'published', text: tr('editor.status.published', { version: state.version }) });
    if (state.status === 'source' || state.status === 'outdated') out.push({ kind: state.status, text: tr(`editor.status.${state.status}`) });
  } else if (!state.hasDraft) {
    out.push({ kind: 'missing', text: tr('editor.status.missing') });
  }
  if (state.hasDraft) out.push({ kind: 'draft', text: tr('editor.status.draft') });
  return out;
}

/** The language the summary's question is written in (the same choice listEntrySummaries makes). */
export function questionLang(entry: EntrySummary, uiLang: Locale): Locale {
  const has = (l: Locale) => entry.langs[l].version !== null || entry.langs[l].hasDraft;
  return [uiLang, entry.sourceLang, ...locales].find(has) ?? uiLang;
}

/** Case- and accent-insensitive, for the home page's filter. */
const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export const FILTER_MAX_LENGTH = 200;

export function matchesFilter(entry: Pick<EntrySummary, 'question' | 'slug'>, q: string): boolean {
  const needle = fold(q.trim());
  return needle === '' || fold(entry.question).includes(needle) || entry.slug.includes(needle);
}

/** A ticket number as typed ("#1042", " 1042 "), else null. */
export function ticketNumberFrom(value: string | undefined): number | null {
  const m = /^\s*#?\s*(\d{1,9})\s*$/.exec(value ?? '');
  return m ? Number(m[1]) : null;
}

export type WorkspacePage =
  | { redirect: Response }
  | { redirect: null; gate: Exclude<EditorGate, { status: 303 }>; lang: Locale; tr: TFunction; db: Db; form: Record<string, string>; posted: boolean };

/**
 * E1: what every workspace page does first — the gate (signed out → sign-in and back, 303;
 * customers and agents → the 403 page; A9: staff without 2FA never get here, the middleware sends
 * them to enrol), the editor's language, the database, and for an editor's POST its form.
 */
export async function workspacePage(astro: AstroGlobal, formMaxLength = 4096): Promise<WorkspacePage> {
  const gate = editorGate(astro.locals.user, astro.locals.lang, astro.url);
  if (!gate.ok && gate.status === 303) return { redirect: astro.redirect(gate.location, 303) };
  const posted = gate.ok && astro.request.method === 'POST';
  return { redirect: null, gate, lang: gate.lang, tr: t(gate.lang), db: await getDb(), form: posted ? await readForm(astro.request, formMaxLength) : {}, posted };
}
