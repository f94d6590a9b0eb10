// Runtime configuration from the environment (read at run time, never baked into the build).

/** PUBLIC_ORIGIN, e.g. https://help.example.com — canonical URLs, sitemap, origin check. */
export function configuredOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.PUBLIC_ORIGIN?.trim();
  if (!raw) return undefined;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('PUBLIC_ORIGIN must be an http(s) URL');
  return url.origin;
}

let cachedOrigin: string | undefined | null = null;

/** The site's public origin: PUBLIC_ORIGIN when set, else the origin the request came to. */
export function publicOrigin(requestUrl: URL): string {
  if (cachedOrigin === null) cachedOrigin = configuredOrigin();
  return cachedOrigin ?? requestUrl.origin;
}

export function isSecureOrigin(origin: string): boolean {
  return origin.startsWith('https:');
}

/**
 * N5: LIVE_POLL_MS — with several instances and no shared bus, each live stream also reads the
 * stored record this often (milliseconds), so events written through another instance arrive
 * within that time. 0 (default): one instance, the in-process bus delivers everything at once.
 */
export function livePollMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LIVE_POLL_MS?.trim();
  if (!raw) return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`LIVE_POLL_MS must be a whole number of milliseconds (got "${raw}")`);
  return value === 0 ? 0 : Math.max(250, value);
}
