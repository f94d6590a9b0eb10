// T2: POST draft=<id>&entry=<slug>&lang=<locale> — the signed-in customer opened a suggested entry
// while writing a ticket. Same origin (middleware), signed in, validated, rate-limited; 204 when done.
import type { APIRoute } from 'astro';
import { t } from '../../../i18n/index.ts';
import { readForm } from '../../../lib/forms.ts';
import { getDb } from '../../../server/db/client.ts';
import { getKb } from '../../../server/kb/snapshot.ts';
import { recordDeflection } from '../../../server/tickets/deflections.ts';

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });

export const POST: APIRoute = async ({ request, locals }) => {
  const tr = t(locals.lang);
  const user = locals.user;
  if (!user) return text(401, tr('support.signedOut'));
  const form = await readForm(request);
  const db = await getDb();
  const kb = await getKb(db);
  const result = await recordDeflection(db, { draftId: form.draft, slug: form.entry, locale: form.lang, userId: user.id }, (slug) => kb.entry(slug) !== undefined);
  if (result.ok) return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  if (result.reason === 'rate-limited') return text(429, tr('errors.rateLimited', { minutes: Math.ceil((result.retryAfter ?? 60) / 60) }), { 'Retry-After': String(result.retryAfter ?? 60) });
  return text(result.reason === 'unknown-entry' ? 404 : 400, tr('errors.badRequest'));
};

export const ALL: APIRoute = ({ locals }) =>
  new Response(t(locals.lang)('errors.methodNotAllowed'), { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' } });
