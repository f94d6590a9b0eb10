// The baseline for `npm run bench:fanout`: a bare node:http Server-Sent Events broadcaster in its
// own process. GET /events subscribes; POST /publish `{"body": "…"}` writes one event — shaped
// like the app's message event — to every open stream and answers 201. No database, no auth.
//   node bench/sse-baseline.ts
import { createServer, type ServerResponse } from 'node:http';

const streams = new Set<ServerResponse>();
let seq = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/events')) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/publish') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { body: text } = JSON.parse(body) as { body: string };
      seq++;
      const data = JSON.stringify({ messageId: seq, authorKind: 'customer', authorName: 'Bench customer 0', internal: false, body: text, number: 1001, subject: 'Fan-out', status: 'new', ticketId: 'baselineticketid0000', at: Date.now() });
      const event = `id: ${seq}\nevent: message\ndata: ${data}\n\n`;
      for (const stream of streams) stream.write(event);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: seq }));
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000; // same as scripts/start.ts
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`sse-baseline: Server listening on http://127.0.0.1:${port}`);
});

const stop = () => {
  for (const stream of streams) stream.end();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
