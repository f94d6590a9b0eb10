// Started by scripts/start.ts (`npm start`): migrate, import the starter content into an empty database, then serve the
// build (dist/) on HOST/PORT (default 127.0.0.1:4321). Stops cleanly on SIGTERM/SIGINT.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { closeDb, getDb } from '../src/server/db/client.ts';
import { prepareDatabase } from '../src/server/boot.ts';
import { withPageCache } from '../src/server/http/page-cache.ts';
import { withLiveStreams } from '../src/server/http/live-streams.ts';
import { withStaticAssets } from '../src/server/http/static-assets.ts';
import { readKbVersion } from '../src/server/kb/snapshot.ts';
import { startAutoCloseJob } from '../src/server/tickets/workflow.ts';

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const entry = new URL('../dist/server/entry.mjs', import.meta.url);
// The project folder, whatever the working directory: the bundle finds scripts/search-index-worker.ts by it.
process.env.LOKET_ROOT ??= fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(entry)) {
  console.error('loket: no build found in dist/ — run `npm run build` first.');
  process.exit(1);
}

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 4321);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`loket: PORT must be a port number (got "${process.env.PORT}")`);
  process.exit(1);
}

const db = await getDb();
try {
  await prepareDatabase(db);
} catch (error) {
  console.error(`loket: could not prepare the database: ${(error as Error).message}`);
  process.exit(1);
}

// T4: resolved tickets close 7 days after resolution — a job inside the server, every 10 minutes.
const stopAutoClose = startAutoCloseJob(db);

const { handler } = (await import(entry.href)) as { handler: (req: unknown, res: unknown) => void };
// Fast paths in front of Astro: hashed client assets from memory, live streams, cached KB pages.
const app = handler as Parameters<typeof withPageCache>[0];
const pages = withPageCache(app, { readVersion: () => readKbVersion(db) });
// T3: the two live-stream URLs are written straight to the socket (same rules as the endpoints).
const live = withLiveStreams(pages, db);
const server = createServer(withStaticAssets(live, fileURLToPath(new URL('../dist/client', import.meta.url))));
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${host.includes(':') ? `[${host}]` : host}:${address.port}` : `${host}:${port}`;
  console.log(`loket: Server listening on http://${shown}`);
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`loket: ${signal} — stopping`);
  stopAutoClose();
  server.close(async () => {
    await closeDb();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
