// S1: the staff queue's live stream (Server-Sent Events) — see openQueueStream. scripts/serve.ts
// answers this URL itself on the socket; this endpoint serves `astro dev` and handed-over requests.
import type { APIRoute } from 'astro';
import { getDb } from '../../../server/db/client.ts';
import { liveStream, SSE_HEADERS } from '../../../server/live/stream.ts';
import { openQueueStream } from '../../../server/tickets/live-streams.ts';

export const GET: APIRoute = async ({ locals, request, url }) => {
  const opening = await openQueueStream(await getDb(), locals.user, request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'), request.signal);
  if (!opening.ok) return new Response(opening.message, { status: opening.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  return new Response(liveStream(opening.options), { headers: SSE_HEADERS });
};
