// K1: `/` picks the locale from Accept-Language (fallback en) and redirects.
import type { APIRoute } from 'astro';
import { negotiateLocale } from '../i18n/locales.ts';
import { homeUrl } from '../lib/urls.ts';

export const GET: APIRoute = ({ request }) =>
  new Response(null, {
    status: 302,
    headers: {
      Location: homeUrl(negotiateLocale(request.headers.get('accept-language'))),
      Vary: 'Accept-Language',
      'Cache-Control': 'private, no-cache',
    },
  });
