// K6: POST entry=<slug>&lang=<locale>&helpful=yes|no. Forms get a 303 back to the entry;
// JSON clients get JSON. Bad input is refused with a 4xx and counts nothing.
import type { APIRoute } from 'astro';
import { t } from '../../i18n/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { entryUrl } from '../../lib/urls.ts';
import { isSecureOrigin, publicOrigin } from '../../server/config.ts';
import { getDb } from '../../server/db/client.ts';
import { newVoterId, recordFeedback, VOTER_PATTERN } from '../../server/kb/feedback.ts';
import { getKb } from '../../server/kb/snapshot.ts';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export const POST: APIRoute = async ({ request, cookies, locals, url }) => {
  const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
  const contentType = request.headers.get('content-type') ?? '';
  let fields: Record<string, unknown> = {};
  try {
    if (contentType.includes('application/json')) fields = (await request.json()) as Record<string, unknown>;
    else if (FORM_TYPES.some((type) => contentType.includes(type))) fields = Object.fromEntries(await request.formData());
  } catch {
    fields = {};
  }
  const lang: Locale = isLocale(fields.lang) ? fields.lang : locals.lang;
  const tr = t(lang);
  const refuse = (status: number, code: string, message: string) =>
    wantsJson
      ? Response.json({ ok: false, error: code, message }, { status })
      : new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

  const slug = fields.entry;
  const helpful = fields.helpful === 'yes' ? true : fields.helpful === 'no' ? false : undefined;
  if (!isLocale(fields.lang) || !isSlug(slug) || helpful === undefined) return refuse(400, 'invalid', tr('feedback.invalid'));

  const secure = isSecureOrigin(publicOrigin(url));
  const cookieName = secure ? '__Host-loket_voter' : 'loket_voter';
  let voter = cookies.get(cookieName)?.value;
  if (!voter || !VOTER_PATTERN.test(voter)) {
    voter = newVoterId();
    cookies.set(cookieName, voter, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 * 365 });
  }

  const db = await getDb();
  const outcome = await recordFeedback(db, { slug, lang, helpful, voter });
  if (outcome === 'unknown-entry') return refuse(404, 'unknown-entry', tr('feedback.unknownEntry'));
  const state = outcome === 'duplicate' ? 'duplicate' : helpful ? 'yes' : 'no';
  if (wantsJson) return Response.json({ ok: outcome === 'recorded', state }, { status: outcome === 'recorded' ? 200 : 409 });
  const entry = (await getKb(db)).entry(slug)!;
  return new Response(null, {
    status: 303,
    headers: { Location: `${entryUrl(lang, entry.area.slug, slug)}?feedback=${state}#feedback`, 'Cache-Control': 'no-store' },
  });
};

export const ALL: APIRoute = ({ locals }) =>
  new Response(t(locals.lang)('errors.methodNotAllowed'), {
    status: 405,
    headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' },
  });
