// K1: the three locales, and choosing one from the browser's Accept-Language.
export const locales = ['nl', 'en', 'fr'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** Native names, shown in the language switcher. */
export const localeNames: Record<Locale, string> = { nl: 'Nederlands', en: 'English', fr: 'Français' };

/** BCP 47 tags with region, for Intl formatting and Open Graph. */
export const localeTags: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB', fr: 'fr-FR' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * K1: picks the best supported locale from an Accept-Language header.
 * Honours q-values, matches `nl-BE` to `nl`, ignores `q=0`; falls back to English.
 */
export function negotiateLocale(header: string | null | undefined): Locale {
  if (!header) return defaultLocale;
  const ranges = header
    .split(',')
    .slice(0, 32)
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0, order };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranges) {
    if (tag === '*') return defaultLocale;
    const primary = tag.split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}

/** The fallback order when an entry is missing in a locale (K5). */
export function fallbackLocales(lang: Locale): Locale[] {
  const order: Locale[] = lang === 'en' ? ['en', 'nl', 'fr'] : [lang, 'en', ...locales.filter((l) => l !== lang && l !== 'en')];
  return order;
}
