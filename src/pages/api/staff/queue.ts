// S1: one page of a queue view with every view's count, as JSON, for the queue island's live refresh.
import type { APIRoute } from 'astro';
import { getDb } from '../../../server/db/client.ts';
import { isAgent } from '../../../server/tickets/access.ts';
import { parseQueueFilters, queuePage } from '../../../server/tickets/console.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ locals, url }) => {
  const user = locals.user;
  if (!user) return json(401, { error: 'sign-in-required' });
  if (!isAgent(user)) return json(403, { error: 'forbidden' });
  const parsed = parseQueueFilters(url.searchParams);
  if (!parsed.ok) return json(400, { error: 'invalid', field: parsed.problem });
  const page = await queuePage(await getDb(), user.id, parsed.filters);
  return json(200, { ...page, rows: page.rows.map(({ id: _id, assigneeId: _a, ...row }) => row) });
};
