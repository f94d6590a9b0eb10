// A17: the smallest API-key endpoint — who the key belongs to. Bearer key only (no cookies);
// 401 with `WWW-Authenticate: Bearer`, 429 with Retry-After; never cached.
import type { APIRoute } from 'astro';
import { apiUserOf, authorizeApiRequest } from '../../../server/auth/api-keys.ts';
import { getDb } from '../../../server/db/client.ts';
import { clientIp } from '../../../server/http/request-meta.ts';

const headers = { 'Cache-Control': 'no-store' };

export const GET: APIRoute = async ({ request, clientAddress }) => {
  const db = await getDb();
  const auth = await authorizeApiRequest(db, request.headers.get('authorization'), clientIp(request, clientAddress));
  if (!auth.ok && auth.status === 429) {
    return Response.json({ error: 'rate_limited', message: 'Too many requests.' }, { status: 429, headers: { ...headers, 'Retry-After': String(auth.retryAfter) } });
  }
  const user = auth.ok ? await apiUserOf(db, auth.userId) : null;
  if (!user) {
    const error = !auth.ok && auth.status === 401 ? auth.error : 'invalid_token';
    const challenge = error === 'missing_token' ? 'Bearer realm="loket"' : 'Bearer realm="loket", error="invalid_token"';
    const message = error === 'missing_token' ? 'An API key is required.' : 'The API key is not valid.';
    return Response.json({ error, message }, { status: 401, headers: { ...headers, 'WWW-Authenticate': challenge } });
  }
  return Response.json(user, { headers });
};
