// E3: builds one language's MiniSearch index off the server's event loop. The server
// (src/server/kb/index-worker.ts) posts the search documents; this thread answers the index as
// JSON, built exactly as buildIndex() does in-process (same options, same pruning).
import { parentPort } from 'node:worker_threads';
import MiniSearch from 'minisearch';
import { miniSearchOptions, pruneCommonTerms, type SearchDoc } from '../src/lib/search.ts';

parentPort!.once('message', (docs: SearchDoc[]) => {
  try {
    const search = new MiniSearch<SearchDoc>(miniSearchOptions);
    search.addAll(pruneCommonTerms(docs));
    parentPort!.postMessage({ ok: true, json: JSON.stringify(search) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: (error as Error).message });
  }
});
