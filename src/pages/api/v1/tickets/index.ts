// A17 / T2: GET /api/v1/tickets — the key owner's own tickets; POST — open a new ticket.
// Bearer key only (no cookies), rate-limited, never cached; errors are `{ error, message }`.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../server/db/client.ts';
import { clientIp } from '../../../../server/http/request-meta.ts';
import { authorizeCustomer, createOwnTicket, listOwnTickets, apiJson, readJsonObject } from '../../../../server/tickets/api.ts';

export const GET: APIRoute = async ({ request, clientAddress }) => {
  const db = await getDb();
  const auth = await authorizeCustomer(db, request, clientIp(request, clientAddress));
  if (!auth.ok) return auth.response;
  return apiJson(await listOwnTickets(db, auth.customer));
};

export const POST: APIRoute = async ({ request, clientAddress }) => {
  const db = await getDb();
  const auth = await authorizeCustomer(db, request, clientIp(request, clientAddress));
  if (!auth.ok) return auth.response;
  const input = await readJsonObject(request);
  if (!input.ok) return input.response;
  return createOwnTicket(db, auth.customer, input.value);
};
