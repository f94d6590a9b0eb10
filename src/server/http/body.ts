// N2: a request body read up to a byte limit. The declared length is not trusted (chunked bodies
// have none): bytes are counted while reading, and reading stops at the limit.
export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large' };

export async function readBodyWithin(request: Request, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, reason: 'too-large' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/**
 * The rest of a refused body is never read, so its connection cannot carry another request:
 * `Connection: close` tells Node to close it and the client not to reuse it (else the next
 * request on it would wait behind the unread bytes forever).
 */
export const CLOSE_CONNECTION = { Connection: 'close' } as const;

/** A body that was read whole, parsed as UTF-8 JSON (not ok if it is not). */
export function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}
