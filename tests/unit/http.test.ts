// The HTTP fast paths: cache keys, content negotiation, compression.
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { Compressed, pickEncoding } from '../../src/server/http/compress.ts';
import { cacheKey } from '../../src/server/http/page-cache.ts';

describe('page cache keys', () => {
  test('tracking parameters do not create new cache entries; meaningful ones do', () => {
    expect(cacheKey('/en/account-security/')).toBe('/en/account-security/');
    expect(cacheKey('/en/account-security/?utm_source=mail&fbclid=1')).toBe('/en/account-security/');
    expect(cacheKey('/en/account-security/?tag=2fa&utm_source=x')).toBe('/en/account-security/?tag=2fa');
    expect(cacheKey('/en/a/b?feedback=yes')).toBe('/en/a/b?feedback=yes');
    expect(cacheKey('/en/a/?tag=x&about=y')).toBe(cacheKey('/en/a/?about=y&tag=x'));
  });
});

describe('compression', () => {
  test('Accept-Encoding negotiation prefers br, then gzip, honours q=0', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('identity')).toBe('identity');
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('*')).toBe('br');
  });
  test('compressed bodies decompress to the original; tiny bodies stay as they are', () => {
    const text = Buffer.from('Loket '.repeat(1000));
    const c = new Compressed(text);
    const br = c.body('br');
    expect(br.encoding).toBe('br');
    expect(br.body.length).toBeLessThan(text.length / 10);
    expect(brotliDecompressSync(br.body).equals(text)).toBe(true);
    expect(gunzipSync(c.body('gzip').body).equals(text)).toBe(true);
    expect(new Compressed(Buffer.from('tiny')).body('br').encoding).toBe('identity');
  });
  test('E3: compressed off the event loop, a body is made once however many ask at the same time, and is the same bytes', async () => {
    const text = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `entry-${i}`, q: `Question ${i % 97}` }))));
    const c = new Compressed(text);
    const [a, b, g] = await Promise.all([c.bodyOffThread('br'), c.bodyOffThread('br'), c.bodyOffThread('gzip')]);
    expect(a.encoding).toBe('br');
    expect(a.body).toBe(b.body); // one compression, shared
    expect(brotliDecompressSync(a.body).equals(text)).toBe(true);
    expect(gunzipSync(g.body).equals(text)).toBe(true);
    expect(c.body('br').body).toBe(a.body); // the synchronous path reuses it
    expect((await c.bodyOffThread('identity')).body).toBe(text);
    expect((await new Compressed(Buffer.from('tiny')).bodyOffThread('br')).encoding).toBe('identity');
  });
});
