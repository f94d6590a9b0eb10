// Sign out: a POST ends the session (V7.4.1); a GET changes nothing.
import type { APIRoute } from 'astro';
import { isLocale } from '../../i18n/locales.ts';
import { recordEvent } from '../../server/audit/events.ts';
import { invalidateSession, sessionCookieName } from '../../server/auth/session.ts';
import { getDb } from '../../server/db/client.ts';
import { requestMeta } from '../../server/http/request-meta.ts';

export const POST: APIRoute = async ({ params, locals, cookies, request, clientAddress }) => {
  const lang = isLocale(params.lang) ? params.lang : locals.lang;
  if (locals.session) {
    const db = await getDb();
    await invalidateSession(db, locals.session.id);
    await recordEvent(db, { type: 'sign-out', userId: locals.session.userId, ...requestMeta(request, clientAddress) });
  }
  cookies.delete(sessionCookieName(locals.secure), { path: '/' });
  return new Response(null, { status: 303, headers: { Location: `/${lang}/`, 'Cache-Control': 'no-store' } });
};
