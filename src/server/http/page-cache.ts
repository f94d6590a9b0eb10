// A shared-nothing HTML cache in front of the Astro handler, for anonymous GETs of pages that
// depend only on the published knowledge base. Pages opt in with `Loket-Cache: kb`; every entry
// is keyed on the knowledge-base version read from the database on each request, so a publish
// through any instance is served at once everywhere (E3, N5). A hit skips rendering entirely.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Compressed, pickEncoding } from './compress.ts';

export const CACHE_HEADER = 'loket-cache';
export const CACHEABLE = 'kb';

interface CachedPage {
  version: number;
  status: number;
  headers: Record<string, string | string[]>;
  body: Compressed;
  etag: string;
}

/** Query parameters that change what a knowledge-base page shows; any other (utm_…) is ignored. */
const MEANINGFUL_PARAMS = new Set(['tag', 'q', 'feedback', 'about', 'v']);

/** The cache key: the path plus the meaningful parameters, sorted. */
export function cacheKey(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  const kept = [...params].filter(([name]) => MEANINGFUL_PARAMS.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.length ? `${url.slice(0, at)}?${new URLSearchParams(kept)}` : url.slice(0, at);
}

export interface PageCacheOptions {
  /** Reads the current knowledge-base version (one indexed query). */
  readVersion: () => Promise<number>;
  /** Upper bound on cached bytes (LRU beyond it). */
  maxBytes?: number;
  /** Cookies whose presence makes a request personal (never served from or stored in the cache). */
  personalCookies?: RegExp;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withPageCache(handler: Handler, options: PageCacheOptions): Handler & { stats: () => { entries: number; bytes: number } } {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const personal = options.personalCookies ?? /(?:^|;\s*)(?:__Host-)?session=/;
  const cache = new Map<string, CachedPage>();
  let bytes = 0;

  const evict = () => {
    for (const [key, page] of cache) {
      if (bytes <= maxBytes) break;
      cache.delete(key);
      bytes -= page.body.identity.length;
    }
  };
  const store = (key: string, page: CachedPage) => {
    const old = cache.get(key);
    if (old) bytes -= old.body.identity.length;
    cache.delete(key);
    cache.set(key, page);
    bytes += page.body.identity.length;
    evict();
  };

  const serve = (req: IncomingMessage, res: ServerResponse, page: CachedPage) => {
    const { body, encoding } = page.body.body(pickEncoding(req.headers['accept-encoding']));
    // One ETag per representation, so a cache never swaps a compressed body for another.
    const etag = encoding === 'identity' ? page.etag : `${page.etag.slice(0, -1)}-${encoding}"`;
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim() === etag)) {
      res.writeHead(304, { etag, vary: 'Accept-Encoding', 'cache-control': String(page.headers['cache-control'] ?? 'no-cache') });
      res.end();
      return;
    }
    const headers: Record<string, string | string[] | number> = { ...page.headers, etag, vary: 'Accept-Encoding', [CACHE_HEADER]: 'hit', 'content-length': body.length };
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    res.writeHead(page.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const cached: Handler = (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || personal.test(req.headers.cookie ?? '')) return handler(req, res);
    const key = cacheKey(req.url ?? '/');
    options.readVersion().then(
      (version) => {
        const hit = cache.get(key);
        if (hit && hit.version === version) {
          cache.delete(key); // LRU: most recently used last
          cache.set(key, hit);
          return serve(req, res, hit);
        }
        if (req.method === 'HEAD') return handler(req, res);
        capture(req, res, (status, headers, body) => {
          if (status !== 200 || headers[CACHE_HEADER] !== CACHEABLE || headers['set-cookie']) return;
          const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
          store(key, { version, status, headers, body: new Compressed(body), etag });
        });
        handler(req, res);
      },
      () => handler(req, res), // the database is unreachable: let the app answer (and report) it
    );
  };
  return Object.assign(cached, { stats: () => ({ entries: cache.size, bytes }) });
}

const HOP_BY_HOP = new Set(['content-length', 'date', 'transfer-encoding', 'connection', 'keep-alive']);

/** Tees what the handler writes so the finished response can be stored. */
function capture(
  _req: IncomingMessage,
  res: ServerResponse,
  done: (status: number, headers: Record<string, string | string[]>, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  const written: Record<string, string | string[]> = {};
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((r) => r && typeof r === 'object') as Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(headers ?? {}))
      if (value !== undefined) written[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : Buffer.from(chunk as Uint8Array);
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, rest[0]));
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, rest[0]));
    const result = end(chunk, ...rest);
    const headers: Record<string, string | string[]> = {};
    const all = { ...Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)])), ...written };
    for (const [name, value] of Object.entries(all)) {
      if (!HOP_BY_HOP.has(name)) headers[name] = value;
    }
    done(res.statusCode, headers, Buffer.concat(chunks));
    return result;
  }) as typeof res.end;
}
