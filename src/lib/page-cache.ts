// Marks a response as depending only on the published knowledge base and its URL, so the
// HTML cache in front of the app may keep it until the next publish (src/server/http/page-cache.ts).
export function cacheAsKbPage(headers: Headers): void {
  headers.set('Loket-Cache', 'kb');
  headers.set('Cache-Control', 'no-cache');
}
