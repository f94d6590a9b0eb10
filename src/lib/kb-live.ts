// Pages read the knowledge base through the live collections (src/live.config.ts).
// Not found is `undefined`; any other loader error is thrown (a 500, never a wrong page).
import { getLiveCollection, getLiveEntry } from 'astro:content';
import type { Locale } from '../i18n/locales.ts';

const notFound = (error: Error) => error.name === 'LiveEntryNotFoundError' || /was not found/.test(error.message);

export async function kbEntries(lang: Locale, area?: string) {
  const { entries, error } = await getLiveCollection('entries', area === undefined ? { lang } : { lang, area });
  if (error) throw error;
  return (entries ?? []).map((e) => e.data);
}

export async function kbEntry(lang: Locale, slug: string) {
  const { entry, error } = await getLiveEntry('entries', { lang, slug });
  if (error && !notFound(error)) throw error;
  return entry?.data;
}

export async function kbAreas(lang: Locale) {
  const { entries, error } = await getLiveCollection('areas', { lang });
  if (error) throw error;
  return (entries ?? []).map((e) => e.data);
}

export async function kbArea(lang: Locale, slug: string) {
  const { entry, error } = await getLiveEntry('areas', { lang, slug });
  if (error && !notFound(error)) throw error;
  return entry?.data;
}
