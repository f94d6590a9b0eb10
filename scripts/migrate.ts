// `npm run db:migrate`: apply db/migrations to DATABASE_URL.
import { closeDb, getDb } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';

await migrateDatabase(await getDb());
console.log('loket: migrations applied');
await closeDb();
