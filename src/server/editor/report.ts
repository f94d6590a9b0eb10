// E2: the translation report — per entry and language: missing, or older than the most recent
// published change of the entry's source language; filterable by area, language and state.
import { locales, type Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { listAreas } from './areas.ts';
import { listEntrySummaries, type EntrySummary } from './entries.ts';

export const reportStates = ['problems', 'missing', 'outdated', 'all'] as const;
export type ReportState = (typeof reportStates)[number];

export interface ReportFilters {
  area: string | null;
  lang: Locale | null;
  state: ReportState;
}

export interface ReportRow extends EntrySummary {
  areaSlug: string;
}

export interface TranslationReport {
  rows: ReportRow[];
  /** Over the whole knowledge base (not only the filtered rows): how many translations are missing or outdated per language. */
  totals: Record<Locale, { missing: number; outdated: number }>;
}

/** Query-string filters; anything unknown falls back to the default (problems in every language and area). */
export function parseReportFilters(params: URLSearchParams): ReportFilters {
  const area = params.get('area');
  const lang = params.get('lang');
  const state = params.get('state');
  return {
    area: area && /^[a-z0-9-]{1,80}$/.test(area) ? area : null,
    lang: (locales as readonly string[]).includes(lang ?? '') ? (lang as Locale) : null,
    state: (reportStates as readonly string[]).includes(state ?? '') ? (state as ReportState) : 'problems',
  };
}

const isProblem = (s: string) => s === 'missing' || s === 'outdated';

export async function translationReport(db: Db, uiLang: Locale, filters: ReportFilters): Promise<TranslationReport> {
  const [areas, all] = await Promise.all([listAreas(db), listEntrySummaries(db, uiLang)]);
  const slugOf = new Map(areas.map((a) => [a.id, a.slug]));
  const totals = Object.fromEntries(locales.map((l) => [l, { missing: 0, outdated: 0 }])) as TranslationReport['totals'];
  for (const e of all) for (const l of locales) if (isProblem(e.langs[l].status)) totals[l][e.langs[l].status as 'missing' | 'outdated']++;
  const langs = filters.lang ? [filters.lang] : [...locales];
  const rows = all
    .map((e) => ({ ...e, areaSlug: slugOf.get(e.areaId) ?? '' }))
    .filter((e) => !filters.area || e.areaSlug === filters.area)
    .filter((e) => {
      if (filters.state === 'all') return true;
      return langs.some((l) => (filters.state === 'problems' ? isProblem(e.langs[l].status) : e.langs[l].status === filters.state));
    });
  return { rows, totals };
}
