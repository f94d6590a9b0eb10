// E3: pages read the knowledge base through Astro live collections backed by the database,
// so a publish is visible on the next request — no rebuild, no restart.
// E1: one entry or area is also found by an old slug it was renamed from; its data carries the
// current slug, so the page sees the difference and redirects to the one current URL.
import type { LiveLoader } from 'astro/loaders';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { getDb } from '../db/client.ts';
import { getKb, type Area, type KbSnapshot, type LocalizedArea, type LocalizedEntry } from './snapshot.ts';

export interface EntryFilter {
  lang: Locale;
  slug: string;
}
export interface EntriesFilter {
  lang: Locale;
  area?: string;
}
export interface AreaData extends LocalizedArea {
  position: number;
  entryCount: number;
}
export interface AreaFilter {
  lang: Locale;
  slug: string;
}
export interface AreasFilter {
  lang: Locale;
}

class KbLoaderError extends Error {}

export function kbEntriesLoader(): LiveLoader<LocalizedEntry, EntryFilter, EntriesFilter, KbLoaderError> {
  return {
    name: 'loket-kb-entries',
    async loadCollection({ filter }) {
      if (!filter || !isLocale(filter.lang)) return { error: new KbLoaderError('a locale filter is required') };
      const kb = await getKb(await getDb());
      const area = filter.area === undefined ? undefined : kb.area(filter.area);
      if (filter.area !== undefined && !area) return { entries: [] };
      const entries = kb.localizedEntries(filter.lang, area);
      return {
        entries: entries.map((data) => ({ id: `${filter.lang}/${data.slug}`, data, rendered: { html: data.answerHtml } })),
        cacheHint: { tags: [`kb:${kb.version}`] },
      };
    },
    async loadEntry({ filter }) {
      if (!isLocale(filter.lang)) return { error: new KbLoaderError('a locale filter is required') };
      const kb = await getKb(await getDb());
      const entry = kb.entryBySlugOrOld(filter.slug);
      const data = entry && kb.localizeEntry(entry, filter.lang);
      if (!data) return undefined;
      return { id: `${filter.lang}/${data.slug}`, data, rendered: { html: data.answerHtml }, cacheHint: { tags: [`kb:${kb.version}`] } };
    },
  };
}

export function kbAreasLoader(): LiveLoader<AreaData, AreaFilter, AreasFilter, KbLoaderError> {
  const toData = (kb: KbSnapshot, area: Area, lang: Locale) => {
    const text = kb.localizeArea(area, lang);
    return text && { id: `${lang}/${area.slug}`, data: { ...text, position: area.position, entryCount: kb.entriesOf(area).length } };
  };
  return {
    name: 'loket-kb-areas',
    async loadCollection({ filter }) {
      if (!filter || !isLocale(filter.lang)) return { error: new KbLoaderError('a locale filter is required') };
      const kb = await getKb(await getDb());
      const entries = kb.areas.map((area) => toData(kb, area, filter.lang)).filter((a) => a !== undefined);
      return { entries, cacheHint: { tags: [`kb:${kb.version}`] } };
    },
    async loadEntry({ filter }) {
      if (!isLocale(filter.lang)) return { error: new KbLoaderError('a locale filter is required') };
      const kb = await getKb(await getDb());
      const area = kb.areaBySlugOrOld(filter.slug);
      return area && toData(kb, area, filter.lang);
    },
  };
}
