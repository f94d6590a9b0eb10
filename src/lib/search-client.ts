// K5 / T2 / E3: the browser side of search — loads the page language's index once per page, shared
// by the header search and the ticket start form's suggestions (same options as the server's build).
// A page left open keeps up with publishing: when the search box is used again after
// REVALIDATE_MS, the index is asked for again with its ETag — a 304 (no body) keeps the loaded
// one, a 200 replaces it with what was published since.
import type MiniSearch from 'minisearch';
import { miniSearchOptions, type SearchDoc } from './search.ts';

export const REVALIDATE_MS = 5_000;

interface Loaded {
  index: MiniSearch<SearchDoc>;
  etag: string | null;
  checkedAt: number;
}
let loading: Promise<Loaded> | undefined;

async function fetchIndex(url: string, previous?: Loaded): Promise<Loaded> {
  const [mod, res] = await Promise.all([
    import('minisearch'),
    fetch(url, { credentials: 'same-origin', ...(previous?.etag ? { cache: 'no-store' as const, headers: { 'If-None-Match': previous.etag } } : {}) }),
  ]);
  if (previous && res.status === 304) return { ...previous, checkedAt: Date.now() };
  if (!res.ok) throw new Error(`search index: HTTP ${res.status}`);
  return { index: mod.default.loadJSON<SearchDoc>(await res.text(), miniSearchOptions), etag: res.headers.get('etag'), checkedAt: Date.now() };
}

/** The index (the same object while nothing was published; a new one after a publish). */
export function loadSearchIndex(url: string): Promise<MiniSearch<SearchDoc>> {
  const current = loading;
  loading = current
    ? current.then((loaded) => (Date.now() - loaded.checkedAt < REVALIDATE_MS ? loaded : fetchIndex(url.replace(/\?.*$/, ''), loaded).catch(() => loaded)))
    : fetchIndex(url);
  loading.catch(() => (loading = undefined));
  return loading.then((l) => l.index);
}
