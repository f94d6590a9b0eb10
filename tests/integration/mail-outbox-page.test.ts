// N1: in development the local outbox is readable at /dev/outbox; the page does not exist in
// production or when SMTP is configured. It shows secret links: no Referer, no caching.
// Runs the built app (`npx astro build` first).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/server/db/client.ts';
import { sendMail } from '../../src/server/mail/mailer.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const link = 'https://help.example.com/en/verify?token=outbox-page-token';

describe('N1: the dev outbox pages in the default mode (no SMTP, not production)', () => {
  let server: RunningServer;
  let id: number;

  beforeAll(async () => {
    // The default: NODE_ENV unset (empty) and no SMTP settings.
    server = await startServer({ NODE_ENV: '', SMTP_URL: '', SMTP_HOST: '' });
    const db = await openDatabase({ url: server.dbUrl });
    try {
      const sent = await sendMail(db, {
        to: 'dev@example.com',
        kind: 'verify-email',
        locale: 'nl',
        vars: { name: '<b>Dev</b>', code: '735190', link },
      });
      id = sent.id;
    } finally {
      db.$client.close();
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('/dev/outbox lists the message: 200, Referrer-Policy no-referrer, Cache-Control no-store', async () => {
    const res = await fetch(`${server.origin}/dev/outbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('dev@example.com');
    expect(html).toContain('Bevestig je e-mailadres');
    expect(html).toContain(`href="/dev/outbox/${id}"`);
    expect(html).toContain('<meta name="robots" content="noindex"');
  });

  test('/dev/outbox/[id] shows the text with its link and the HTML in a sandboxed iframe, escaped', async () => {
    const res = await fetch(`${server.origin}/dev/outbox/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('735190');
    expect(html).toMatch(/<a href="https:\/\/help\.example\.com\/en\/verify\?token=outbox-page-token"/);
    expect(html).toMatch(/<iframe[^>]*sandbox=""[^>]*srcdoc="/);
    // The email's HTML only ever appears escaped inside srcdoc; the name never as live markup.
    expect(html).not.toContain('<b>Dev</b>');
    expect(html).not.toMatch(/<html lang="nl" dir="ltr">\s*<head>\s*<meta charset="utf-8">\s*<meta name="viewport" content="width=device-width, initial-scale=1">\s*<meta name="color-scheme"/);
  });

  test('an unknown or malformed id is a 404', async () => {
    expect((await fetch(`${server.origin}/dev/outbox/999999`)).status).toBe(404);
    expect((await fetch(`${server.origin}/dev/outbox/abc`)).status).toBe(404);
  });
});

describe.each([
  ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ['SMTP configured', { NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:9' }],
])('N1: the dev outbox pages do not exist with %s', (_name, env) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('/dev/outbox and /dev/outbox/1 answer 404', async () => {
    for (const path of ['/dev/outbox', '/dev/outbox/1']) {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('Outbox (development)');
    }
  });
});
