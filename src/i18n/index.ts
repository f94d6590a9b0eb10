// N4: every UI string in nl, en and fr through one i18next instance; `t(lang)` per request.
import i18next, { type TFunction } from 'i18next';
import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import nl from './nl.json' with { type: 'json' };
import mailEn from './mail/en.json' with { type: 'json' };
import mailFr from './mail/fr.json' with { type: 'json' };
import mailNl from './mail/nl.json' with { type: 'json' };
import { defaultLocale, locales, type Locale } from './locales.ts';

/** UI strings (default namespace) and email texts (`mail` namespace), per language. */
export const resources = { nl, en, fr } as const;
export const mailResources = { nl: mailNl, en: mailEn, fr: mailFr } as const;

const instance = i18next.createInstance();
void instance.init({
  resources: {
    nl: { translation: nl, mail: mailNl },
    en: { translation: en, mail: mailEn },
    fr: { translation: fr, mail: mailFr },
  },
  ns: ['translation', 'mail'],
  defaultNS: 'translation',
  supportedLngs: [...locales],
  fallbackLng: defaultLocale,
  initAsync: false,
  interpolation: { escapeValue: false }, // Astro and Preact escape on output.
  returnNull: false,
});

const fixed = new Map<Locale, TFunction>();

export function t(lang: Locale): TFunction {
  let fn = fixed.get(lang);
  if (!fn) {
    fn = instance.getFixedT(lang);
    fixed.set(lang, fn);
  }
  return fn;
}

const fixedMail = new Map<Locale, TFunction>();

/** Email texts: `tMail(lang)('verifyEmail.subject')`. */
export function tMail(lang: Locale): TFunction {
  let fn = fixedMail.get(lang);
  if (!fn) {
    fn = instance.getFixedT(lang, 'mail');
    fixedMail.set(lang, fn);
  }
  return fn;
}

export { locales, type Locale } from './locales.ts';
