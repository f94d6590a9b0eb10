// Who is asking: the client's IP (X-Forwarded-For only behind a configured proxy) and user agent.
import type { RequestMeta } from '../audit/events.ts';

/** TRUST_PROXY=1 when Loket runs behind a reverse proxy that sets X-Forwarded-For. */
export function clientIp(request: Request, socketAddress: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true') {
    const forwarded = request.headers.get('x-forwarded-for');
    // The proxy appends the address it saw: the last entry is the one we can trust.
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return last.slice(0, 64);
  }
  return (socketAddress ?? '').slice(0, 64);
}

export function requestMeta(request: Request, socketAddress: string | undefined): RequestMeta {
  return { ip: clientIp(request, socketAddress), userAgent: (request.headers.get('user-agent') ?? '').slice(0, 300) };
}
