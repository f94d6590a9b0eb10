// Responses are compressed once and kept: brotli or gzip by Accept-Encoding, identity otherwise.
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

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
  private pending: Partial<Record<'br' | 'gzip', Promise<void>>> = {};
  constructor(body: Buffer) {
    this.identity = body;
  }
  private get brotliOptions() {
    return { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: this.identity.length } };
  }
  /** Small bodies are not worth it; compressed forms are made on first use. */
  body(encoding: Encoding): { body: Buffer; encoding: Encoding } {
    if (encoding === 'identity' || this.identity.length < 1024) return { body: this.identity, encoding: 'identity' };
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.identity, this.brotliOptions);
      return { body: this.br, encoding };
    }
    this.gz ??= gzipSync(this.identity, { level: 6 });
    return { body: this.gz, encoding };
  }
  /**
   * As body(), but the compression runs on libuv's thread pool, once, however many requests ask
   * at the same time: for large bodies (a 5,000-entry search index: ~105 ms of brotli) the event
   * loop keeps serving meanwhile.
   */
  async bodyOffThread(encoding: Encoding): Promise<{ body: Buffer; encoding: Encoding }> {
    if (encoding === 'br' && !this.br && this.identity.length >= 1024) {
      await (this.pending.br ??= brotliAsync(this.identity, this.brotliOptions).then((b) => void (this.br = b)));
    } else if (encoding === 'gzip' && !this.gz && this.identity.length >= 1024) {
      await (this.pending.gzip ??= gzipAsync(this.identity, { level: 6 }).then((b) => void (this.gz = b)));
    }
    return this.body(encoding);
  }
}
