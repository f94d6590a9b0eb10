// A1: the bare paths (/sign, /login, /signup, /account) redirect to the visitor's locale.
import type { APIRoute } from 'astro';
import { negotiateLocale } from '../i18n/locales.ts';

export function redirectToLocalized(path: string): APIRoute {
  return ({ request, url }) =>
    new Response(null, {
      status: 302,
      headers: {
        Location: `/${negotiateLocale(request.headers.get('accept-language'))}/${path}${url.search}`,
        Vary: 'Accept-Language',
        'Cache-Control': 'private, no-cache',
      },
    });
}
