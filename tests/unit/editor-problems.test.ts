// N2 / N4: every problem the editor's validation can report has its own message in nl, en and fr
// (editor.problems.<field>.<problem>), with the limit it names filled in.
import { describe, expect, test } from 'vitest';
import { problemKey, problemMessage } from '../../src/components/editor/problems.ts';
import { t } from '../../src/i18n/index.ts';
import { locales } from '../../src/i18n/locales.ts';
import { ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, validateAreaText, validateEntryText, validateLang, validateSlug, type FieldProblem } from '../../src/server/editor/validate.ts';

const long = (n: number) => 'x'.repeat(n + 1);
const text = (over: Record<string, unknown>) => ({ question: 'A fine question?', answer: 'An answer.', tags: ['account'], ...over });

function everyProblem(): Pick<FieldProblem, 'field' | 'problem'>[] {
  const found: Pick<FieldProblem, 'field' | 'problem'>[] = [];
  const entryInputs = [
    text({ question: 5 }),
    text({ question: ' ' }),
    text({ question: 'ab' }),
    text({ question: long(QUESTION_MAX_LENGTH) }),
    text({ answer: 5 }),
    text({ answer: '' }),
    text({ answer: long(ANSWER_MAX_LENGTH) }),
    text({ tags: 'account' }),
    text({ tags: ['nope'] }),
    text({ tags: [] }),
    text({ tags: ['account', 'password', 'security', 'sessions', 'login', 'verification', 'recovery'] }),
    text({ tags: ['account', 'account'] }),
  ];
  for (const input of entryInputs) {
    const r = validateEntryText(input, 'en');
    if (!r.ok) found.push(...r.problems);
  }
  for (const field of ['slug', 'area'] as const) {
    for (const value of [undefined, '', long(80), 'Not a slug', 'search']) {
      const r = validateSlug(value, field, { area: true });
      if (!r.ok) found.push(r.problem);
    }
  }
  for (const field of ['lang', 'sourceLang'] as const) {
    const r = validateLang('de', field);
    if (!r.ok) found.push(r.problem);
  }
  for (const input of [{ title: 5, description: 5 }, { title: '', description: '' }, { title: long(80), description: long(200) }]) {
    const r = validateAreaText(input, 'en');
    if (!r.ok) found.push(...r.problems);
  }
  // Reported by the domain module (entries.ts, areas.ts) rather than validate.ts.
  found.push({ field: 'slug', problem: 'taken' }, { field: 'area', problem: 'invalid' });
  return found;
}

describe('N2 / N4: editor problem messages', () => {
  const problems = everyProblem();

  test('the validation reports each field and kind of problem the pages must explain', () => {
    const kinds = new Set(problems.map(problemKey));
    for (const key of ['question.too-short', 'answer.too-long', 'tags.too-many', 'tags.duplicate', 'slug.reserved', 'area.reserved', 'sourceLang.invalid', 'title.too-long', 'description.invalid'])
      expect(kinds, key).toContain(`editor.problems.${key}`);
  });

  test.each(locales)('%s has a message for every problem, with its limits filled in', (lang) => {
    const tr = t(lang);
    for (const p of problems) {
      expect(tr(problemKey(p), { defaultValue: '' }), `${lang} ${problemKey(p)}`).not.toBe('');
      expect(problemMessage(tr, lang, p), `${lang} ${problemKey(p)}`).not.toMatch(/\{\{|\}\}/);
    }
    expect(problemMessage(tr, lang, { field: 'answer', problem: 'too-long' })).toContain(ANSWER_MAX_LENGTH.toLocaleString(lang));
  });
});
