// E1 / N2: what an editor may save. The same limits as the content/ files (content-files.ts), so
// whatever the editor publishes, export writes and import reads back unchanged (E4).
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug, SLUG_MAX_LENGTH } from '../../lib/slug.ts';
import { RESERVED_AREA_SLUGS } from '../kb/content-files.ts';
import { isTagId, type TagId } from '../kb/tags.ts';

export const QUESTION_MIN_LENGTH = 3;
export const QUESTION_MAX_LENGTH = 160;
export const ANSWER_MAX_LENGTH = 20_000;
export const TAGS_MIN = 1;
export const TAGS_MAX = 6;
export const AREA_TITLE_MAX_LENGTH = 80;
export const AREA_DESCRIPTION_MAX_LENGTH = 200;

/** A problem with one field, in one language when the field is per language. Pages map `problem` to a localized message. */
export interface FieldProblem {
  field: 'question' | 'answer' | 'tags' | 'slug' | 'area' | 'lang' | 'title' | 'description' | 'sourceLang' | 'ticket';
  lang?: Locale;
  problem: 'required' | 'too-short' | 'too-long' | 'invalid' | 'taken' | 'reserved' | 'too-many' | 'duplicate';
}

export interface EntryText {
  question: string;
  answerMd: string;
  tags: TagId[];
}

/** Raw form or JSON input for one language: strings, tags as a list of strings. */
export interface EntryTextInput {
  question?: unknown;
  answer?: unknown;
  tags?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : null);

/** Line endings normalized and the whole text trimmed, as the content/ files store it (E4). */
export function normalizeAnswer(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/** True when a language column was left entirely empty (nothing to save for it). */
export function isBlankText(input: EntryTextInput): boolean {
  const q = str(input.question);
  const a = str(input.answer);
  const tags = Array.isArray(input.tags) ? input.tags : [];
  return q !== null && a !== null && q.trim() === '' && a.trim() === '' && tags.length === 0;
}

export function validateEntryText(input: EntryTextInput, lang: Locale): { ok: true; value: EntryText } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const q = str(input.question);
  const question = q === null ? '' : q.replace(/\s+/g, ' ').trim();
  if (q === null) problems.push({ field: 'question', lang, problem: 'invalid' });
  else if (question === '') problems.push({ field: 'question', lang, problem: 'required' });
  else if (question.length < QUESTION_MIN_LENGTH) problems.push({ field: 'question', lang, problem: 'too-short' });
  else if (question.length > QUESTION_MAX_LENGTH) problems.push({ field: 'question', lang, problem: 'too-long' });
  const a = str(input.answer);
  const answerMd = a === null ? '' : normalizeAnswer(a);
  if (a === null) problems.push({ field: 'answer', lang, problem: 'invalid' });
  else if (answerMd === '') problems.push({ field: 'answer', lang, problem: 'required' });
  else if (answerMd.length > ANSWER_MAX_LENGTH) problems.push({ field: 'answer', lang, problem: 'too-long' });
  const rawTags = input.tags === undefined || input.tags === null ? [] : input.tags;
  let tags: TagId[] = [];
  if (!Array.isArray(rawTags) || !rawTags.every(isTagId)) problems.push({ field: 'tags', lang, problem: 'invalid' });
  else if (rawTags.length < TAGS_MIN) problems.push({ field: 'tags', lang, problem: 'required' });
  else if (rawTags.length > TAGS_MAX) problems.push({ field: 'tags', lang, problem: 'too-many' });
  else if (new Set(rawTags).size !== rawTags.length) problems.push({ field: 'tags', lang, problem: 'duplicate' });
  else tags = rawTags as TagId[];
  return problems.length ? { ok: false, problems } : { ok: true, value: { question, answerMd, tags } };
}

export function validateSlug(value: unknown, field: 'slug' | 'area' = 'slug', { area = false } = {}): { ok: true; value: string } | { ok: false; problem: FieldProblem } {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, problem: { field, problem: 'required' } };
  const slug = value.trim();
  if (slug.length > SLUG_MAX_LENGTH) return { ok: false, problem: { field, problem: 'too-long' } };
  if (!isSlug(slug)) return { ok: false, problem: { field, problem: 'invalid' } };
  if (area && (RESERVED_AREA_SLUGS.has(slug) || isLocale(slug))) return { ok: false, problem: { field, problem: 'reserved' } };
  return { ok: true, value: slug };
}

export function validateLang(value: unknown, field: 'lang' | 'sourceLang' = 'lang'): { ok: true; value: Locale } | { ok: false; problem: FieldProblem } {
  return isLocale(value) ? { ok: true, value } : { ok: false, problem: { field, problem: 'invalid' } };
}

export function validateAreaText(input: { title?: unknown; description?: unknown }, lang: Locale): { ok: true; value: { title: string; description: string } } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const one = (v: unknown, field: 'title' | 'description', max: number) => {
    if (v !== undefined && v !== null && typeof v !== 'string') {
      problems.push({ field, lang, problem: 'invalid' });
      return '';
    }
    const s = (v ?? '').replace(/\s+/g, ' ').trim();
    if (s === '') problems.push({ field, lang, problem: 'required' });
    else if (s.length > max) problems.push({ field, lang, problem: 'too-long' });
    return s;
  };
  const title = one(input.title, 'title', AREA_TITLE_MAX_LENGTH);
  const description = one(input.description, 'description', AREA_DESCRIPTION_MAX_LENGTH);
  return problems.length ? { ok: false, problems } : { ok: true, value: { title, description } };
}
