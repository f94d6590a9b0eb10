// T3: POST — the customer is typing a reply on their own ticket; the ticket's staff stream hears
// `typing {who: 'customer'}` (never stored, never replayed). At most one signal per second per
// ticket and customer; extra pings are accepted and dropped. Not your ticket: 404.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../server/db/client.ts';
import { ticketAudience } from '../../../../server/tickets/access.ts';
import { publishEphemeral } from '../../../../server/tickets/live-events.ts';
import { ticketById } from '../../../../server/tickets/tickets.ts';

const THROTTLE_MS = 1_000;
const lastSignal = new Map<string, number>();
const plain = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const POST: APIRoute = async ({ params, locals }) => {
  const user = locals.user;
  if (!user) return plain(401, 'Sign in first');
  const id = params.id ?? '';
  if (!/^[a-z2-7]{16,64}$/.test(id)) return plain(404, 'Not found');
  const ticket = await ticketById(await getDb(), id);
  if (!ticket || ticketAudience(user, ticket) !== 'customer' || ticket.status === 'closed') return plain(404, 'Not found');
  const key = `${id}:${user.id}`;
  const now = Date.now();
  if (now - (lastSignal.get(key) ?? 0) >= THROTTLE_MS) {
    lastSignal.set(key, now);
    if (lastSignal.size > 10_000) lastSignal.clear(); // bounded memory; a cleared entry costs one extra signal
    await publishEphemeral(id, ['staff'], { type: 'typing', data: { who: 'customer' } });
  }
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
};
