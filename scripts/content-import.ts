// `npm run content:import [dir]`: load content/ (or dir) into DATABASE_URL. Idempotent (E4).
import { resolve } from 'node:path';
import { closeDb, getDb } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { ContentError } from '../src/server/kb/content-files.ts';
import { importContentDir } from '../src/server/kb/import.ts';

const dir = resolve(process.argv[2] ?? process.env.CONTENT_DIR ?? 'content');
const db = await getDb();
await migrateDatabase(db);
try {
  const r = await importContentDir(db, dir);
  console.log(
    r.changed
      ? `loket: imported ${dir}: areas +${r.areasCreated} ~${r.areasUpdated}, entries +${r.entriesCreated} ~${r.entriesUpdated}, ` +
          `translations +${r.translationsCreated} ~${r.translationsUpdated}, unchanged ${r.unchanged}`
      : `loket: ${dir} is already up to date (${r.unchanged} translations unchanged)`,
  );
} catch (error) {
  console.error(error instanceof ContentError ? error.message : `loket: import failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
