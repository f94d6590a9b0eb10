// T3: the live stream of one ticket (Server-Sent Events) — its customer gets their copy (never an
// internal note), agents get everything. Resumes after `Last-Event-ID` (or `?lastEventId=`).
// A ticket that is not yours is a 404, as if it did not exist.
import type { APIRoute } from 'astro';
import { livePollMs } from '../../../../server/config.ts';
import { getDb } from '../../../../server/db/client.ts';
import { enterPresence, isPresent, presentUsers } from '../../../../server/live/presence.ts';
import { liveStream, parseLastEventId, SSE_HEADERS } from '../../../../server/live/stream.ts';
import { ticketAudience } from '../../../../server/tickets/access.ts';
import { ticketSource } from '../../../../server/tickets/live-events.ts';
import { ticketById } from '../../../../server/tickets/tickets.ts';

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ params, locals, request, url }) => {
  const user = locals.user;
  if (!user) return new Response('Sign in first', { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  const id = params.id ?? '';
  if (!/^[a-z2-7]{16,64}$/.test(id)) return notFound();
  const db = await getDb();
  const ticket = await ticketById(db, id);
  const audience = ticket ? ticketAudience(user, ticket) : null;
  if (!ticket || !audience) return notFound();

  const lastSeq = parseLastEventId(request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'));
  const leave = await enterPresence(db, `ticket:${id}:${audience}`, user.id);
  // T3: the customer sees whether an agent is online; S2: an agent sees who else has the ticket open.
  const hello =
    audience === 'customer'
      ? { type: 'hello', data: { agentOnline: await isPresent(db, 'staff') } }
      : { type: 'hello', data: { viewers: await presentUsers(db, `ticket:${id}:staff`, { except: user.id }) } };
  const stream = liveStream({
    source: ticketSource(db, id, audience),
    lastSeq,
    signal: request.signal,
    pollMs: livePollMs(),
    hello,
    onClose: () => void leave().catch(() => {}),
  });
  return new Response(stream, { headers: SSE_HEADERS });
};
