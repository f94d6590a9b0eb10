// A real database file in a temp folder, migrated and loaded with content/ (or another tree).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { migrateDatabase } from '../../src/server/db/migrate.ts';
import { importContentDir } from '../../src/server/kb/import.ts';

export const CONTENT_ROOT = resolve(import.meta.dirname, '../../content');

export async function tempDb(): Promise<{ db: Db; dir: string; url: string; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-unit-'));
  const url = `file:${join(dir, 'kb.db')}`;
  const db = await openDatabase({ url });
  await migrateDatabase(db);
  return {
    db,
    dir,
    url,
    close: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new folder under the system temp dir, removed by the caller's cleanups after the test. */
export function tempFolder(prefix: string, cleanups: Array<() => void>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function starterKb() {
  const handle = await tempDb();
  await importContentDir(handle.db, CONTENT_ROOT);
  return handle;
}
