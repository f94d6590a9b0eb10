// Applies drizzle-kit migrations from db/migrations at start (idempotent).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Db } from './client.ts';

export function migrationsFolder(): string {
  // Works from the source tree and from the built server alike: migrations ship as files.
  const fromCwd = resolve('db/migrations');
  if (existsSync(fromCwd)) return fromCwd;
  return resolve(new URL('../../../db/migrations', import.meta.url).pathname);
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: migrationsFolder() });
}
