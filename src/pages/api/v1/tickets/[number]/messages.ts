// A17 / T4 / T7: POST /api/v1/tickets/{number}/messages `{"body": "…"}` — the customer's reply
// (201 with the message once it is in the database); reopens a pending or resolved ticket;
// a closed ticket answers 409. Bad input is a 4xx and writes nothing.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../../server/db/client.ts';
import { clientIp } from '../../../../../server/http/request-meta.ts';
import { authorizeCustomer, ownTicket, postOwnMessage, readJsonObject } from '../../../../../server/tickets/api.ts';

export const POST: APIRoute = async ({ params, request, clientAddress }) => {
  const db = await getDb();
  const auth = await authorizeCustomer(db, request, clientIp(request, clientAddress));
  if (!auth.ok) return auth.response;
  const found = await ownTicket(db, auth.customer, params.number);
  if (!found.ok) return found.response;
  const input = await readJsonObject(request);
  if (!input.ok) return input.response;
  return postOwnMessage(db, auth.customer, found.ticket, input.value);
};
