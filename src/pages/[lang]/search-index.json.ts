// K5: the page language's MiniSearch index. The URL carries the content hash (?v=), so a
// matching request may be cached for a year; any other gets a short cache and the ETag (E3).
import type { APIRoute } from 'astro';
import { isLocale } from '../../i18n/locales.ts';
import { getDb } from '../../server/db/client.ts';
import { getSearchIndex } from '../../server/kb/search-index.ts';
import { pickEncoding } from '../../server/http/compress.ts';

export const GET: APIRoute = async ({ params, request, url }) => {
  if (!isLocale(params.lang)) return new Response('Not found', { status: 404 });
  const index = await getSearchIndex(await getDb(), params.lang);
  const etag = `"${index.hash}"`;
  const versioned = url.searchParams.get('v') === index.urlVersion;
  const headers: Record<string, string> = {
    ETag: etag,
    Vary: 'Accept-Encoding',
    'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
    'Content-Type': 'application/json; charset=utf-8',
  };
  const match = request.headers.get('if-none-match');
  if (match && match.split(',').some((m) => m.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers });
  }
  const { body, encoding } = await index.compressed.bodyOffThread(pickEncoding(request.headers.get('accept-encoding')));
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  return new Response(new Uint8Array(body), { status: 200, headers });
};
