// K5 / T2: the browser side of search — loads the page language's index once per page, shared by
// the header search and the ticket start form's suggestions (same options as the server's build).
import type MiniSearch from 'minisearch';
import { miniSearchOptions, type SearchDoc } from './search.ts';

let loading: Promise<MiniSearch<SearchDoc>> | undefined;

export function loadSearchIndex(url: string): Promise<MiniSearch<SearchDoc>> {
  loading ??= Promise.all([import('minisearch'), fetch(url, { credentials: 'same-origin' })]).then(async ([mod, res]) => {
    if (!res.ok) throw new Error(`search index: HTTP ${res.status}`);
    return mod.default.loadJSON<SearchDoc>(await res.text(), miniSearchOptions);
  });
  loading.catch(() => (loading = undefined));
  return loading;
}
