// `npm run admin:create -- --email … --name … [--locale nl|en|fr] [--password-stdin]` (N1, S5):
// migrates DATABASE_URL, then creates a verified admin account. The password is generated and
// printed once (or read from stdin and checked against A3); it is never logged anywhere else.
// The admin sets up 2FA at the first sign-in (A9: staff always need it).
import { parseArgs } from 'node:util';
import { t } from '../src/i18n/index.ts';
import { createAdmin } from '../src/server/auth/admin.ts';
import { closeDb, getDb } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';

const USAGE = 'usage: npm run admin:create -- --email admin@example.com --name "Your Name" [--locale nl|en|fr] [--password-stdin]';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Only the line ending a pipe or `echo` adds is dropped; the password is otherwise used exactly (V6.2.8).
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

let args;
try {
  args = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, locale: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, strict: true }).values;
} catch (error) {
  console.error(`loket: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!args.email || !args.name) {
  console.error(`loket: --email and --name are required\n${USAGE}`);
  process.exit(2);
}

const password = args['password-stdin'] ? await readStdin() : undefined;
const db = await getDb();
await migrateDatabase(db);
const result = await createAdmin(db, { email: args.email, name: args.name, password, locale: args.locale });
await closeDb();

if (!result.ok) {
  if (result.reason === 'exists') console.error(`loket: an account with the email ${args.email.trim().toLowerCase()} already exists — nothing was created.`);
  else {
    // The same localized messages as the sign-up form (A3), in English on the terminal.
    const message = (field: string, problem: string) => (field === 'password' ? t('en')(`password.${problem}`) : `${problem}`);
    const lines = Object.entries(result.errors).map(([field, problems]) => `  ${field}: ${problems!.map((p) => message(field, p)).join(' ')}`);
    console.error(`loket: nothing was created:\n${lines.join('\n')}`);
  }
  process.exit(1);
}
console.log(`loket: admin account created for ${result.email} (username ${result.username}).`);
if (result.generated) {
  console.log(`Password (shown only this once — store it in a password manager now):\n\n    ${result.password}\n`);
}
console.log('At the first sign-in you will set up two-factor authentication (required for staff).');
