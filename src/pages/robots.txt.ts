import type { APIRoute } from 'astro';
import { publicOrigin } from '../server/config.ts';

export const GET: APIRoute = ({ url }) =>
  new Response(`User-agent: *\nDisallow: /api/\nDisallow: /*/search?\nSitemap: ${publicOrigin(url)}/sitemap.xml\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
