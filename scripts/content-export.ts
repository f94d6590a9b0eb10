// `npm run content:export [dir]`: write the published knowledge base of DATABASE_URL to content/ (or dir) (E4).
// The tree then equals the published KB: changed files are rewritten, stale ones removed, the rest untouched.
import { resolve } from 'node:path';
import { closeDb, getDb } from '../src/server/db/client.ts';
import { ContentError } from '../src/server/kb/content-files.ts';
import { exportContent } from '../src/server/kb/export.ts';

const dir = resolve(process.argv[2] ?? process.env.CONTENT_DIR ?? 'content');
try {
  const r = await exportContent(await getDb(), dir);
  console.log(
    `loket: exported ${r.entries} entries in ${r.areas} areas to ${dir}: ` +
      `${r.written} file(s) written, ${r.removed} removed, ${r.unchanged} unchanged`,
  );
} catch (error) {
  console.error(error instanceof ContentError ? `loket: nothing exported: ${error.message}` : `loket: export failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
