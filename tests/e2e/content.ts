// Expected texts for the e2e tests, read from the same sources the app ships
// (content/ Markdown front matter and the i18n bundles), so the tests follow content edits.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { t } from '../../src/i18n/index.ts';
import { locales, localeNames, type Locale } from '../../src/i18n/locales.ts';

export { locales, localeNames, t, type Locale };

const CONTENT_ROOT = resolve(import.meta.dirname, '../../content');

/** The `question:` of content/{lang}/{area}/{slug}.md. */
export function entryQuestion(lang: Locale, area: string, slug: string): string {
  const text = readFileSync(join(CONTENT_ROOT, lang, area, `${slug}.md`), 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) throw new Error(`no front matter in ${lang}/${area}/${slug}.md`);
  const question = (parse(match[1]!) as { question?: unknown }).question;
  if (typeof question !== 'string') throw new Error(`no question in ${lang}/${area}/${slug}.md`);
  return question.trim();
}

/** Accent- and case-insensitive form, to compare highlighted words with query words. */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

/** Per language: a query a visitor would type and a page of each kind (N3 covers all of them). */
export const QUERIES: Record<Locale, string> = { nl: 'wachtwoord', en: 'password', fr: 'mot de passe' };
export const AREA = 'account-security';
export const ENTRY = 'password-requirements';

export function pagesOf(lang: Locale): { name: string; path: string }[] {
  return [
    { name: 'home', path: `/${lang}/` },
    { name: 'area', path: `/${lang}/${AREA}/` },
    { name: 'entry', path: `/${lang}/${AREA}/${ENTRY}` },
    { name: 'search results', path: `/${lang}/search?q=${encodeURIComponent(QUERIES[lang])}` },
    // T6: the public support and contact forms (the contact form with a K6 entry as context).
    { name: 'support', path: `/${lang}/support` },
    { name: 'contact', path: `/${lang}/contact?entry=${ENTRY}` },
  ];
}
