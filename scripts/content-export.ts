// `npm run content:export [dir]`: write the published knowledge base of DATABASE_URL to content/ (or dir) (E4).
import { resolve } from 'node:path';
import { closeDb, getDb } from '../src/server/db/client.ts';
import { exportContent } from '../src/server/kb/export.ts';

const dir = resolve(process.argv[2] ?? process.env.CONTENT_DIR ?? 'content');
try {
  const r = await exportContent(await getDb(), dir);
  console.log(`loket: exported ${r.entries} entries in ${r.areas} areas to ${dir}`);
} catch (error) {
  console.error(`loket: export failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
