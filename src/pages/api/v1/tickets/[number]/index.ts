// A17 / T2: GET /api/v1/tickets/{number} — one of the key owner's tickets with its conversation
// (never an internal note). Another customer's ticket is a 404, as if it did not exist.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../../server/db/client.ts';
import { clientIp } from '../../../../../server/http/request-meta.ts';
import { apiJson, authorizeCustomer, ownTicket, ownTicketWithMessages } from '../../../../../server/tickets/api.ts';

export const GET: APIRoute = async ({ params, request, clientAddress }) => {
  const db = await getDb();
  const auth = await authorizeCustomer(db, request, clientIp(request, clientAddress));
  if (!auth.ok) return auth.response;
  const found = await ownTicket(db, auth.customer, params.number);
  if (!found.ok) return found.response;
  return apiJson(await ownTicketWithMessages(db, found.ticket));
};
