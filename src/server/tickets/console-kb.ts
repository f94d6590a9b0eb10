// S2: the knowledge-base link picker — entries searched in the ticket's language (K5's index and
// options), each with the absolute URL an agent inserts into a reply.
import type { Locale } from '../../i18n/locales.ts';
import { MAX_QUERY_LENGTH, normalizeQuery } from '../../lib/search.ts';
import { absoluteUrl, entryUrl } from '../../lib/urls.ts';
import type { Db } from '../db/client.ts';
import { getSearchIndex, runSearch } from '../kb/search-index.ts';
import { getKb } from '../kb/snapshot.ts';

export interface KbLink {
  slug: string;
  question: string;
  url: string;
}

export const KB_LINK_LIMIT = 8;

export async function kbLinks(db: Db, lang: Locale, rawQuery: unknown, origin: string): Promise<KbLink[]> {
  const query = normalizeQuery(rawQuery);
  if (!query || query.length > MAX_QUERY_LENGTH) return [];
  const hits = runSearch(await getSearchIndex(db, lang), query, KB_LINK_LIMIT);
  return hits.map((h) => ({ slug: h.id, question: h.q, url: absoluteUrl(origin, entryUrl(lang, h.s, h.id)) }));
}

/** The link of one entry (the no-JavaScript "insert" of the picker), or null for an unknown slug. */
export async function kbLinkOf(db: Db, lang: Locale, slug: string, origin: string): Promise<string | null> {
  const entry = (await getKb(db)).entry(slug);
  return entry ? absoluteUrl(origin, entryUrl(lang, entry.area.slug, entry.slug)) : null;
}
