// S1: the staff queue's live stream — every change of every ticket, for agents and admins. Starts
// at the newest event unless the client resumes (`Last-Event-ID` or `?lastEventId=`). While it is
// open the agent counts as online (T3).
import type { APIRoute } from 'astro';
import { livePollMs } from '../../../server/config.ts';
import { getDb } from '../../../server/db/client.ts';
import { enterPresence } from '../../../server/live/presence.ts';
import { liveStream, parseLastEventId, SSE_HEADERS } from '../../../server/live/stream.ts';
import { isAgent } from '../../../server/tickets/access.ts';
import { latestPosition, queueSource } from '../../../server/tickets/live-events.ts';

const text = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ locals, request, url }) => {
  const user = locals.user;
  if (!user) return text(401, 'Sign in first');
  if (!isAgent(user)) return text(403, 'Forbidden');
  const db = await getDb();
  const resume = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  const lastSeq = resume ? parseLastEventId(resume) : await latestPosition(db, 'queue');
  const leave = await enterPresence(db, 'staff', user.id);
  const stream = liveStream({ source: queueSource(db), lastSeq, signal: request.signal, pollMs: livePollMs(), onClose: () => void leave().catch(() => {}) });
  return new Response(stream, { headers: SSE_HEADERS });
};
