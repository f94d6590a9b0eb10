// S2 / T3: the collision warning's moments — an agent viewing a ticket, leaving it, or typing.
// Not stored, never replayed. Typing a reply also reaches the customer ("Support is typing…");
// typing an internal note and viewing reach staff only.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../../server/db/client.ts';
import { isAgent } from '../../../../../server/tickets/access.ts';
import { publishEphemeral } from '../../../../../server/tickets/live-events.ts';
import { ticketById } from '../../../../../server/tickets/tickets.ts';

const text = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const POST: APIRoute = async ({ params, locals, request }) => {
  const user = locals.user;
  if (!user) return text(401, 'Sign in first');
  if (!isAgent(user)) return text(403, 'Forbidden');
  const id = params.id ?? '';
  if (!/^[a-z2-7]{16,64}$/.test(id)) return text(404, 'Not found');
  let body: { kind?: unknown; internal?: unknown };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return text(400, 'Expected JSON');
  }
  const kind = body?.kind;
  if (kind !== 'typing' && kind !== 'viewing' && kind !== 'left') return text(400, 'kind must be typing, viewing or left');
  const db = await getDb();
  if (!(await ticketById(db, id))) return text(404, 'Not found');
  if (kind === 'typing') {
    const audiences = body.internal === true ? (['staff'] as const) : (['staff', 'customer'] as const);
    await publishEphemeral(id, [...audiences], { type: 'typing', data: { who: 'agent', userId: user.id, name: user.name } });
  } else {
    await publishEphemeral(id, ['staff'], { type: kind, data: { userId: user.id, name: user.name } });
  }
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
};
