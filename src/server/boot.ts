// Start-up: migrate the database (idempotent) and load the starter content into an empty
// knowledge base (N1). Runs before the server listens.
import { resolve } from 'node:path';
import type { Db } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { importContentDir, type ImportReport } from './kb/import.ts';
import { readKbVersion } from './kb/snapshot.ts';

export const CONTENT_DIR = resolve(process.env.CONTENT_DIR ?? 'content');

export async function prepareDatabase(db: Db, log: (line: string) => void = console.log): Promise<ImportReport | null> {
  await migrateDatabase(db);
  if ((await readKbVersion(db)) > 0) return null;
  const report = await importContentDir(db, CONTENT_DIR);
  log(
    `loket: empty knowledge base — imported the starter content (${report.entriesCreated} entries, ` +
      `${report.translationsCreated} translations, ${report.areasCreated} area records)`,
  );
  return report;
}
