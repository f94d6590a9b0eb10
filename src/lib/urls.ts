// K1/K4: every public URL starts with the locale. One place builds them.
import type { Locale } from '../i18n/locales.ts';

export const homeUrl = (lang: Locale) => `/${lang}/`;
export const areaUrl = (lang: Locale, area: string, tag?: string) =>
  `/${lang}/${area}/${tag ? `?tag=${encodeURIComponent(tag)}` : ''}`;
export const entryUrl = (lang: Locale, area: string, slug: string) => `/${lang}/${area}/${slug}`;
export const searchUrl = (lang: Locale, query?: string) =>
  `/${lang}/search${query ? `?q=${encodeURIComponent(query)}` : ''}`;
export const searchIndexUrl = (lang: Locale, hash: string) => `/${lang}/search-index.json?v=${hash}`;
export const signInUrl = (lang: Locale) => `/${lang}/login`;

/** The same page in another locale: swaps the first path segment, keeps the rest and the query. */
export function localizedPath(path: string, lang: Locale): string {
  const [pathname = '/', query] = path.split('?');
  const parts = pathname.split('/');
  parts[1] = lang;
  const swapped = parts.length > 2 ? parts.join('/') : `/${lang}/`;
  return query ? `${swapped}?${query}` : swapped;
}

export function absoluteUrl(origin: string, path: string): string {
  return new URL(path, origin).href;
}
