// Responses are compressed once and kept: brotli or gzip by Accept-Encoding, identity otherwise.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (q=0 refuses one). */
export function pickEncoding(acceptEncoding: string | null | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

export class Compressed {
  readonly identity: Buffer;
  private br?: Buffer;
  private gz?: Buffer;
  constructor(body: Buffer) {
    this.identity = body;
  }
  /** Small bodies are not worth it; compressed forms are made on first use. */
  body(encoding: Encoding): { body: Buffer; encoding: Encoding } {
    if (encoding === 'identity' || this.identity.length < 1024) return { body: this.identity, encoding: 'identity' };
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: this.identity.length },
      });
      return { body: this.br, encoding };
    }
    this.gz ??= gzipSync(this.identity, { level: 6 });
    return { body: this.gz, encoding };
  }
}
