// N2: a refused request never leaves a keep-alive connection stuck. Refused before its body is
// read (401, 404, 400 on the path), the connection carries the next request; refused half-read
// (413), the connection is closed, so the next request goes on a new one instead of waiting
// forever behind the unread bytes (the cause of an intermittent 30 s timeout in tickets-api).
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../src/server/db/client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { apiKey, fixtureDb, person } from './tickets-api-fixtures.ts';

let server: RunningServer;
let db: Db;
beforeAll(async () => {
  server = await startServer();
  db = await fixtureDb(server.dbUrl);
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

/** One request on `agent`; rejects if no full response comes within 5 s. */
function send(agent: Agent, method: string, path: string, body?: string, extra: { key?: string; chunked?: boolean } = {}) {
  return new Promise<{ status: number; text: string; reusedSocket: boolean }>((resolve, reject) => {
    const headers: Record<string, string | number> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (body !== undefined && !extra.chunked) headers['Content-Length'] = Buffer.byteLength(body);
    if (extra.key) headers.Authorization = `Bearer ${extra.key}`;
    const req = request(server.origin + path, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text, reusedSocket: req.reusedSocket }));
    });
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer to ${method} ${path} within 5 s`)));
    req.on('error', reject);
    if (extra.chunked && body !== undefined) {
      // written in pieces, so Node sends it chunked, without a Content-Length
      for (let i = 0; i < body.length; i += 16_384) req.write(body.slice(i, i + 16_384));
      req.end();
    } else req.end(body);
  });
}

describe('N2: refused requests never leave a connection stuck', () => {
  test.each([
    ['a small body', 20],
    ['a 200 kB body, more than the server buffers unread', 200_000],
  ])('N2: POSTs refused before their body is read (%s) are followed on the same connection by an answered GET', async (_name, size) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = JSON.stringify({ body: 'x'.repeat(size) });
      const statuses = [];
      for (const path of ['/api/v1/tickets/abc/messages', '/api/v1/tickets/1/messages', '/api/v1/tickets']) {
        const refused = await send(agent, 'POST', path, body); // no API key: 401 before the body is looked at
        statuses.push(refused.status);
      }
      expect(statuses).toEqual([401, 401, 401]);
      const page = await send(agent, 'GET', '/en/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      expect(page.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  test('N2 / T7: a chunked body refused half-read as too large (413) closes its connection, so the next request is answered on a new one', async () => {
    const who = await person(db, 'customer');
    const key = await apiKey(db, who);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, 'POST', '/api/v1/tickets', JSON.stringify({ subject: 'Big', body: 'x'.repeat(400_000) }), { key, chunked: true });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text)).toMatchObject({ error: 'payload_too_large' });
      const list = await send(agent, 'GET', '/api/v1/tickets', undefined, { key });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.text)).toEqual({ tickets: [] });
    } finally {
      agent.destroy();
    }
  });
});
