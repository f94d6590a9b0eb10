// The baseline for `npm run bench:pages`: a bare node:http server that answers every request
// with the same bytes and content type the app served for the entry page. Runs in its own
// process (own event loop, own core), like the app.
//   node bench/baseline-server.ts <body-file> <content-type>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile, contentType] = process.argv.slice(2);
if (!bodyFile || !contentType) {
  console.error('usage: node bench/baseline-server.ts <body-file> <content-type>');
  process.exit(2);
}
const body = readFileSync(bodyFile);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': contentType });
  res.end(body);
});
server.keepAliveTimeout = 65_000; // same as scripts/start.ts
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`baseline: Server listening on http://127.0.0.1:${port}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
