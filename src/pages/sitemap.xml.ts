// K1: every public page in every language, with its hreflang alternates.
import type { APIRoute } from 'astro';
import { locales } from '../i18n/locales.ts';
import { absoluteUrl, areaUrl, entryUrl, homeUrl } from '../lib/urls.ts';
import { publicOrigin } from '../server/config.ts';
import { getDb } from '../server/db/client.ts';
import { getKb } from '../server/kb/snapshot.ts';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const GET: APIRoute = async ({ url }) => {
  const origin = publicOrigin(url);
  const kb = await getKb(await getDb());
  const pages: Array<{ paths: Record<string, string>; lastmod?: number }> = [
    { paths: Object.fromEntries(locales.map((l) => [l, homeUrl(l)])) },
    // A18: the terms of use are a public page too.
    { paths: Object.fromEntries(locales.map((l) => [l, `/${l}/terms`])) },
    ...kb.areas.map((a) => ({ paths: Object.fromEntries(locales.map((l) => [l, areaUrl(l, a.slug)])) })),
    ...kb.entries.map((e) => ({
      paths: Object.fromEntries(locales.map((l) => [l, entryUrl(l, e.area.slug, e.slug)])),
      lastmod: Math.max(...[...e.texts.values()].map((t) => t.publishedAt)),
    })),
  ];
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...pages.flatMap(({ paths, lastmod }) =>
      Object.values(paths).map((path) =>
        [
          '<url>',
          `<loc>${escapeXml(absoluteUrl(origin, path))}</loc>`,
          lastmod ? `<lastmod>${new Date(lastmod).toISOString()}</lastmod>` : '',
          ...Object.entries(paths).map(
            ([l, p]) => `<xhtml:link rel="alternate" hreflang="${l}" href="${escapeXml(absoluteUrl(origin, p))}"/>`,
          ),
          `<xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(absoluteUrl(origin, paths.en!))}"/>`,
          '</url>',
        ].join(''),
      ),
    ),
    '</urlset>',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
};
