// S2: the knowledge-base link picker's search (JSON), in the ticket's language.
import type { APIRoute } from 'astro';
import { isLocale } from '../../../i18n/locales.ts';
import { publicOrigin } from '../../../server/config.ts';
import { getDb } from '../../../server/db/client.ts';
import { isAgent } from '../../../server/tickets/access.ts';
import { kbLinks } from '../../../server/tickets/console-kb.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.user) return json(401, { error: 'sign-in-required' });
  if (!isAgent(locals.user)) return json(403, { error: 'forbidden' });
  const lang = url.searchParams.get('lang');
  if (!isLocale(lang)) return json(400, { error: 'invalid', field: 'lang' });
  return json(200, { hits: await kbLinks(await getDb(), lang, url.searchParams.get('q') ?? '', publicOrigin(url)) });
};
