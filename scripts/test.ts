// `npm test`: build once, then run every test (unit, integration against the built server,
// browser tests in Chromium) and end with one plain summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const bin = (name: string) => `node_modules/.bin/${name}`;
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
  console.error('loket: Chromium is missing for the browser tests — run `npm run test:setup` first.');
  process.exit(1);
}
if (!existsSync('/usr/bin/redis-server') && !process.env.REDIS_SERVER_PATH) {
  console.error('loket: redis-server is missing for the multi-instance (N5) tests — run `npm run test:setup` first.');
  process.exit(1);
}
// Types first (astro check covers .astro files too), then one build for every server test.
if (run(bin('astro'), ['check']) !== 0) process.exit(1);
if (run(bin('astro'), ['build']) !== 0) process.exit(1);

mkdirSync('.vitest', { recursive: true });
const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=.vitest/results.json', ...process.argv.slice(2)]);
try {
  const r = JSON.parse(readFileSync('.vitest/results.json', 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch {
  console.log('\ntests: 0 passed, 1 failed');
}
process.exit(status);
