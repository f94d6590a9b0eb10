// E1 / N2: how the editor's entry forms name their fields, and reading them back. One language
// column is `q-<lang>`, `a-<lang>` and a checkbox `tag-<lang>-<tag id>` per tag (so the form
// reader's one-value-per-name rule holds); the new-entry form uses the same names without a language.
import type { Locale } from '../i18n/locales.ts';
import { ANSWER_MAX_LENGTH, type EntryTextInput } from '../server/editor/validate.ts';

/** Longest field value read from an editor form: an answer at the limit even with every newline sent as \r\n, plus one to see it is over. */
export const EDITOR_FORM_MAX_LENGTH = ANSWER_MAX_LENGTH * 2 + 1;

export const fieldIds = (lang?: Locale) => {
  const suffix = lang ? `-${lang}` : '';
  return { question: `q${suffix}`, answer: `a${suffix}`, tags: `tags${suffix}`, tag: (id: string) => `tag${suffix}-${id}` };
};

/** Every checked tag box, in the order the form sent them; unknown ids are kept so validation refuses them. */
export function tagsFromForm(form: Record<string, string>, lang?: Locale): string[] {
  const prefix = lang ? `tag-${lang}-` : 'tag-';
  return Object.keys(form)
    .filter((k) => k.startsWith(prefix) && (lang !== undefined || !/^tag-(nl|en|fr)-/.test(k)))
    .map((k) => k.slice(prefix.length));
}

/** One column's text as posted, or undefined if the form had no such column. */
export function textFromForm(form: Record<string, string>, lang?: Locale): EntryTextInput | undefined {
  const ids = fieldIds(lang);
  if (!(ids.question in form) && !(ids.answer in form)) return undefined;
  return { question: form[ids.question] ?? '', answer: form[ids.answer] ?? '', tags: tagsFromForm(form, lang) };
}

/** The revision the form was loaded with; anything else is -1, which never matches (a conflict, nothing written). */
export function revisionFromForm(form: Record<string, string>): number {
  return /^\d{1,12}$/.test(form.revision ?? '') ? Number(form.revision) : -1;
}

/** A row id from a form or query value; NaN when it is not one. */
export function idFrom(value: string | null | undefined): number {
  return /^\d{1,9}$/.test(value ?? '') ? Number(value) : NaN;
}

/** What a column shows in its fields: strings and the list of checked tags. */
export interface ColumnValues {
  question: string;
  answer: string;
  tags: string[];
}

export function valuesOf(input: EntryTextInput | { question: string; answerMd: string; tags: readonly string[] } | null | undefined): ColumnValues {
  if (!input) return { question: '', answer: '', tags: [] };
  if ('answerMd' in input) return { question: input.question, answer: input.answerMd, tags: [...input.tags] };
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return { question: s(input.question), answer: s(input.answer), tags: Array.isArray(input.tags) ? input.tags.filter((t): t is string => typeof t === 'string') : [] };
}
