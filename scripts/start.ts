// `npm start`: runs scripts/serve.ts (migrate, import into an empty database, serve dist/) in a
// Node process with a young generation of at most 16 MB per semi-space: V8's default on a large
// machine reserves far more, which costs ~90 MB of resident memory for nothing (bench/RESULTS.md).
// The flags must be set before the heap exists, so this process replaces itself (same PID, same
// signals) with one that has them; everything else lives in serve.ts.
export {};

const FLAGS = ['--max-semi-space-size=16'];

if (process.execve && !FLAGS.every((flag) => process.execArgv.includes(flag)) && process.env.LOKET_NODE_FLAGS !== 'off') {
  process.execve(process.execPath, [process.execPath, ...FLAGS, ...process.execArgv, ...process.argv.slice(1)], process.env);
} else {
  await import('./serve.ts');
}
