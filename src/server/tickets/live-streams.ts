// T3 / S1 / S2: opening the live streams — who may open which, where each starts, the presence it
// registers and its first `hello`. One place for the Astro endpoints (src/pages/api/…/events.ts)
// and the socket-level fast path of scripts/serve.ts, so both answer exactly alike.
import type { Role } from '../../../db/schema/index.ts';
import { livePollMs } from '../config.ts';
import type { Db } from '../db/client.ts';
import { enterPresence, isPresent, presentUsers } from '../live/presence.ts';
import { parseLastEventId, type LiveStreamOptions } from '../live/stream.ts';
import { isAgent, ticketAudience } from './access.ts';
import { latestPosition, queueSource, ticketSource } from './live-events.ts';
import { ticketById } from './tickets.ts';

export type StreamOpening = { ok: true; options: LiveStreamOptions } | { ok: false; status: 401 | 403 | 404; message: string };

const refused = (status: 401 | 403 | 404): StreamOpening => ({ ok: false, status, message: status === 401 ? 'Sign in first' : status === 403 ? 'Forbidden' : 'Not found' });

/**
 * T3: one ticket — its customer gets their copy (never an internal note), agents and admins get
 * everything, anyone else a 404 (as if it did not exist). Resumes after `resume` (Last-Event-ID).
 */
export async function openTicketStream(db: Db, user: { id: string; role: Role } | null, ticketId: string, resume: string | null, signal?: AbortSignal): Promise<StreamOpening> {
  if (!user) return refused(401);
  if (!/^[a-z2-7]{16,64}$/.test(ticketId)) return refused(404);
  const ticket = await ticketById(db, ticketId);
  const audience = ticket ? ticketAudience(user, ticket) : null;
  if (!ticket || !audience) return refused(404);
  const leave = await enterPresence(db, `ticket:${ticketId}:${audience}`, user.id);
  // T3: the customer sees whether an agent is online; S2: an agent sees who else has the ticket open.
  const hello =
    audience === 'customer'
      ? { type: 'hello', data: { agentOnline: await isPresent(db, 'staff') } }
      : { type: 'hello', data: { viewers: await presentUsers(db, `ticket:${ticketId}:staff`, { except: user.id }) } };
  return {
    ok: true,
    options: { source: ticketSource(db, ticketId, audience), lastSeq: parseLastEventId(resume), signal, pollMs: livePollMs(), hello, onClose: () => void leave().catch(() => {}) },
  };
}

/** S1: the staff queue, for agents and admins; starts at the newest event unless resumed. While open, the agent is online (T3). */
export async function openQueueStream(db: Db, user: { id: string; role: Role } | null, resume: string | null, signal?: AbortSignal): Promise<StreamOpening> {
  if (!user) return refused(401);
  if (!isAgent(user)) return refused(403);
  const lastSeq = resume ? parseLastEventId(resume) : await latestPosition(db, 'queue');
  const leave = await enterPresence(db, 'staff', user.id);
  return { ok: true, options: { source: queueSource(db), lastSeq, signal, pollMs: livePollMs(), onClose: () => void leave().catch(() => {}) } };
}
