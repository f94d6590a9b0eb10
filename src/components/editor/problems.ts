// N2: one localized message per FieldProblem (editor.problems.<field>.<problem>), with the limit
// it names. Shared by the entry and area forms of the editor workspace.
import type { TFunction } from 'i18next';
import type { Locale } from '../../i18n/locales.ts';
import { SLUG_MAX_LENGTH } from '../../lib/slug.ts';
import {
  ANSWER_MAX_LENGTH,
  AREA_DESCRIPTION_MAX_LENGTH,
  AREA_TITLE_MAX_LENGTH,
  QUESTION_MAX_LENGTH,
  QUESTION_MIN_LENGTH,
  TAGS_MAX,
  TAGS_MIN,
  type FieldProblem,
} from '../../server/editor/validate.ts';

const LIMITS: Partial<Record<FieldProblem['field'], { min?: number; max: number }>> = {
  question: { min: QUESTION_MIN_LENGTH, max: QUESTION_MAX_LENGTH },
  answer: { max: ANSWER_MAX_LENGTH },
  tags: { min: TAGS_MIN, max: TAGS_MAX },
  slug: { max: SLUG_MAX_LENGTH },
  area: { max: SLUG_MAX_LENGTH },
  title: { max: AREA_TITLE_MAX_LENGTH },
  description: { max: AREA_DESCRIPTION_MAX_LENGTH },
};

export function problemKey(problem: Pick<FieldProblem, 'field' | 'problem'>): string {
  return `editor.problems.${problem.field}.${problem.problem}`;
}

export function problemMessage(tr: TFunction, lang: Locale, problem: Pick<FieldProblem, 'field' | 'problem'>): string {
  const limits = LIMITS[problem.field] ?? { max: 0 };
  return tr(problemKey(problem), { min: (limits.min ?? 0).toLocaleString(lang), max: limits.max.toLocaleString(lang), defaultValue: tr('editor.problems.other') });
}

/** The messages for one field (in one language, for per-language fields), joined for an error line. */
export function messagesFor(tr: TFunction, lang: Locale, problems: readonly FieldProblem[], field: FieldProblem['field'], inLang?: Locale): string[] {
  return problems.filter((p) => p.field === field && (inLang === undefined || p.lang === inLang)).map((p) => problemMessage(tr, lang, p));
}

/** The ARIA of a field: invalid when it has errors, described by its hint and its error line (`<id>-hint`, `<id>-error`). */
export function fieldAria(id: string, errors: readonly string[], { hint = false } = {}): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const describedBy = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(errors.length ? { 'aria-invalid': 'true' as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) };
}
