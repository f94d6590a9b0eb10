// Serves the build's hashed client assets (/_astro/*) from memory, compressed once, cached for a
// year (their names change with their content). Anything else falls through to the app.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Compressed, pickEncoding } from './compress.ts';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json; charset=utf-8',
  woff2: 'font/woff2',
};
const ASSET = /^\/_astro\/([A-Za-z0-9._-]+)\.([a-z0-9]+)$/;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withStaticAssets(handler: Handler, clientDir: string): Handler {
  const assets = new Map<string, Promise<Compressed | null>>();
  const load = (name: string) => {
    let asset = assets.get(name);
    if (!asset) {
      asset = readFile(join(clientDir, '_astro', name)).then(
        (body) => new Compressed(body),
        () => null,
      );
      assets.set(name, asset);
    }
    return asset;
  };
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = ASSET.exec(path);
    const type = match && TYPES[match[2]!];
    if (!match || !type || (req.method !== 'GET' && req.method !== 'HEAD')) return handler(req, res);
    load(`${match[1]}.${match[2]}`).then((asset) => {
      if (!asset) return handler(req, res);
      const compressible = !type.startsWith('font/');
      const { body, encoding } = asset.body(compressible ? pickEncoding(req.headers['accept-encoding']) : 'identity');
      const headers: Record<string, string | number> = {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'Accept-Encoding',
        'x-content-type-options': 'nosniff',
      };
      if (encoding !== 'identity') headers['content-encoding'] = encoding;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    }, () => handler(req, res));
  };
}
