// One database handle per process. The same code talks to a local libSQL file (default)
// or a libSQL server (sqld / Turso) by URL (N5).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from '../../../db/schema/index.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export const DEFAULT_DATABASE_URL = 'file:data/loket.db';

export interface DatabaseConfig {
  url: string;
  authToken?: string;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  if (!/^(file:|libsql:|https?:|wss?:)/.test(url)) {
    throw new Error(`DATABASE_URL must start with file:, libsql:, http(s): or ws(s): (got "${url.split(':')[0]}:")`);
  }
  return { url, authToken: env.DATABASE_AUTH_TOKEN || undefined };
}

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : resolve(url.slice('file:'.length));
}

export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (isFileUrl(config.url)) mkdirSync(dirname(filePath(config.url)), { recursive: true });
  // `timeout` is libSQL's busy timeout for every pooled connection (STACK-NOTES).
  const client = createClient({ url: config.url, authToken: config.authToken, timeout: 5000 });
  if (isFileUrl(config.url)) {
    // WAL persists in the file: readers never wait for the writer.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
    // A19: a deleted row's bytes are zeroed in its page (at no extra I/O), so a deleted account's data does not linger in the file.
    await client.execute('PRAGMA secure_delete = FAST');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  return drizzle(client, { schema }) as Db;
}

let shared: Promise<Db> | undefined;

/** The process-wide database, opened on first use from DATABASE_URL / DATABASE_AUTH_TOKEN. */
export function getDb(): Promise<Db> {
  shared ??= openDatabase(databaseConfigFromEnv());
  return shared;
}

export async function closeDb(): Promise<void> {
  if (!shared) return;
  const db = await shared;
  shared = undefined;
  db.$client.close();
}
