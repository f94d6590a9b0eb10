// T3 fan-out fast path: the two Server-Sent Events URLs answered on the socket itself, in front of
// Astro, so each event costs one `res.write` per connection instead of a web-stream read and a
// write (bench/RESULTS.md, section 5). The same session rules as the middleware (a valid session
// whose second factor is done; mandatory 2FA), the same opening rules (src/server/tickets/
// live-streams.ts) and the same headers; anything else — no or a dead session, 2FA still owed, a
// refusal, an error — is handed to Astro, which answers it as always.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sessionCookieName, validateSessionToken } from '../auth/session.ts';
import { twoFactorRequiredFor } from '../auth/two-factor-policy.ts';
import { configuredOrigin, isSecureOrigin } from '../config.ts';
import type { Db } from '../db/client.ts';
import { runLiveStream, SSE_HEADERS } from '../live/stream.ts';
import { openQueueStream, openTicketStream } from '../tickets/live-streams.ts';
import { DEFAULT_REFERRER_POLICY, SECURITY_HEADERS } from './security-headers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const TICKET_EVENTS = /^\/api\/tickets\/([^/]+)\/events$/;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

async function serveLive(db: Db, req: IncomingMessage, res: ServerResponse, url: URL, ticketId: string | undefined): Promise<boolean> {
  const secure = isSecureOrigin(configuredOrigin() ?? 'http:');
  const found = await validateSessionToken(db, cookieValue(req.headers.cookie, sessionCookieName(secure)));
  if (!found || !found.session.twoFactorVerified) return false;
  if (found.user.totpEnabledAt === null && (await twoFactorRequiredFor(db, found.user))) return false;
  const header = req.headers['last-event-id'];
  const resume = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId');
  const gone = new AbortController();
  const opening = ticketId === undefined ? await openQueueStream(db, found.user, resume, gone.signal) : await openTicketStream(db, found.user, ticketId, resume, gone.signal);
  if (!opening.ok) return false;
  res.writeHead(200, { ...SSE_HEADERS, ...SECURITY_HEADERS, 'Referrer-Policy': DEFAULT_REFERRER_POLICY });
  const stop = runLiveStream(opening.options, {
    enqueue: (bytes) => {
      if (res.destroyed || res.writableEnded) throw new Error('the client is gone');
      res.write(bytes);
    },
    close: () => res.end(),
  });
  res.on('close', () => {
    gone.abort();
    stop();
  });
  return true;
}

export function withLiveStreams(handler: Handler, db: Db): Handler {
  return (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/api/')) return handler(req, res);
    const url = new URL(req.url, 'http://localhost');
    const ticket = TICKET_EVENTS.exec(url.pathname);
    if (!ticket && url.pathname !== '/api/staff/events') return handler(req, res);
    serveLive(db, req, res, url, ticket ? decodeURIComponent(ticket[1]!) : undefined).then(
      (served) => {
        if (!served) handler(req, res);
      },
      (error: Error) => {
        console.error(`loket: live stream fast path: ${error.message}`);
        if (!res.headersSent) handler(req, res);
        else res.destroy();
      },
    );
  };
}
