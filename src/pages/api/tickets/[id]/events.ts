// T3: the live stream of one ticket (Server-Sent Events) — see openTicketStream. scripts/serve.ts
// answers this URL itself on the socket (same rules, same module); this endpoint serves `astro dev`
// and every request the fast path hands over.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../server/db/client.ts';
import { liveStream, SSE_HEADERS } from '../../../../server/live/stream.ts';
import { openTicketStream } from '../../../../server/tickets/live-streams.ts';

export const GET: APIRoute = async ({ params, locals, request, url }) => {
  const opening = await openTicketStream(await getDb(), locals.user, params.id ?? '', request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'), request.signal);
  if (!opening.ok) return new Response(opening.message, { status: opening.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  return new Response(liveStream(opening.options), { headers: SSE_HEADERS });
};
