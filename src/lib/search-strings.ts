// The search island's strings per language, built once (they only change with a deploy).
import { t } from '../i18n/index.ts';
import { locales, type Locale } from '../i18n/locales.ts';

const memo = new Map<Locale, ReturnType<typeof build>>();

function build(lang: Locale) {
  const tr = t(lang);
  return {
    label: tr('search.label'),
    placeholder: tr('search.placeholder'),
    submit: tr('search.submit'),
    noResults: tr('search.noResults', { query: '{query}' }),
    resultOne: tr('search.resultCount', { count: 1 }),
    resultMany: tr('search.resultCount', { count: 2 }).replace('2', '{count}'),
    keyboardHint: tr('search.keyboardHint'),
    loading: tr('search.loading'),
    loadError: tr('search.loadError'),
    showAll: tr('search.showAll'),
    inLanguage: Object.fromEntries(locales.map((l) => [l, tr('search.inLanguage', { language: tr(`languages.${l}`) })])),
  };
}

export function searchStrings(lang: Locale) {
  let strings = memo.get(lang);
  if (!strings) memo.set(lang, (strings = build(lang)));
  return strings;
}
