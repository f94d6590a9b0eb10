// Marks a response as depending only on the published knowledge base and its URL, so the
// HTML cache in front of the app may keep it until the next publish (src/server/http/page-cache.ts).
export function cacheAsKbPage(headers: Headers): void {
  headers.set('Loket-Cache', 'kb');
  headers.set('Cache-Control', 'no-cache');
}

/**
 * E1: a 301 from an old (renamed), moved or mistyped knowledge-base URL to the page's current one.
 * Revalidated like the pages themselves, so a browser follows a later rename or a reused slug
 * instead of replaying a stale permanent redirect. The HTML cache keeps only 200s.
 */
export function kbRedirect(location: string): Response {
  return new Response(null, { status: 301, headers: { Location: location, 'Cache-Control': 'no-cache' } });
}
