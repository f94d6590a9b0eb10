// `npm run bench:auth` — A21 sign-in and session cost: p50/p95 of a full password sign-in
// (signInWithPassword: rate limits, user lookup, argon2id verify, session insert, audit event)
// and of one session validation (what every signed-in request pays), next to the floor of one
// bare argon2id verify measured in the same run, on a real libSQL file database.
// Targets: session validation p95 ≤ 1 ms; sign-in ≤ 1.3× the bare verify.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { users } from '../db/schema/index.ts';
import { randomId } from '../src/server/auth/crypto.ts';
import { hashPassword, verifyPassword } from '../src/server/auth/password.ts';
import { createSession, validateSessionToken } from '../src/server/auth/session.ts';
import { signInWithPassword } from '../src/server/auth/sign-in.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { gitState, loadAverage, machine, percentile, round } from './util.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SIGN_INS = 200;
const VALIDATIONS = 5000;
const PASSWORD = 'Bench-Mark-Pass-42';
const loadAtStart = await loadAverage();

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: samples.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

const dir = mkdtempSync(join(tmpdir(), 'loket-bench-auth-'));
const db = await openDatabase({ url: `file:${join(dir, 'bench.db')}` });
let results: Record<string, unknown> = {};
try {
  await migrateDatabase(db);
  const passwordHash = await hashPassword(PASSWORD);
  // 1,000 accounts so the lookups hit a realistic index, one of them signs in.
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: randomId(), email: `user${i}@example.com`, name: `User ${i}`, username: `user${i}`, passwordHash, emailVerifiedAt: Date.now(), role: 'customer' as const }));
  for (let i = 0; i < rows.length; i += 100) await db.insert(users).values(rows.slice(i, i + 100));
  const user = rows[500]!;

  // Floor: one bare argon2id verify.
  const bare: number[] = [];
  for (let i = 0; i < 10; i++) await verifyPassword(passwordHash, PASSWORD);
  // Sign-in: every attempt from its own address, so the per-address limit does not kick in.
  const signIn: number[] = [];
  for (let i = 0; i < SIGN_INS; i++) {
    let t0 = performance.now();
    await verifyPassword(passwordHash, PASSWORD);
    bare.push(performance.now() - t0);
    t0 = performance.now();
    const r = await signInWithPassword(db, { email: user.email, password: PASSWORD }, { ip: `10.${(i >> 8) & 255}.${i & 255}.1`, userAgent: 'bench', origin: 'http://127.0.0.1' });
    signIn.push(performance.now() - t0);
    if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`);
    if (i % 15 === 14) await db.$client.execute("DELETE FROM rate_limits WHERE key LIKE 'sign-in:email:%'"); // the per-account limit is 20 / 15 min
  }

  // Session validation, as the middleware does it on every request (sessions of many users present).
  const tokens: string[] = [];
  for (const u of rows.slice(0, 200)) tokens.push((await createSession(db, u, { ip: '10.0.0.1', userAgent: 'bench', twoFactorVerified: true })).token);
  for (let i = 0; i < 500; i++) await validateSessionToken(db, tokens[i % tokens.length]);
  const validate: number[] = [];
  for (let i = 0; i < VALIDATIONS; i++) {
    const t0 = performance.now();
    const found = await validateSessionToken(db, tokens[i % tokens.length]);
    validate.push(performance.now() - t0);
    if (!found) throw new Error('session not found');
  }

  const bareStats = stats(bare);
  const signInStats = stats(signIn);
  const validateStats = stats(validate);
  results = {
    benchmark: 'auth',
    date: new Date().toISOString(),
    machine: { ...(await machine()), loadAverage1mAtStart: loadAtStart },
    code: await gitState(ROOT),
    command: 'npm run bench:auth',
    bareArgon2idVerify: bareStats,
    passwordSignIn: signInStats,
    sessionValidation: validateStats,
    ratios: { signInP50OverBareP50: round(signInStats.p50Ms / bareStats.p50Ms), signInP95OverBareP95: round(signInStats.p95Ms / bareStats.p95Ms) },
    targets: { sessionValidationP95Ms: 1, signInOverBare: 1.3 },
    met: {
      sessionValidation: validateStats.p95Ms <= 1,
      signIn: signInStats.p50Ms / bareStats.p50Ms <= 1.3 && signInStats.p95Ms / bareStats.p95Ms <= 1.3,
    },
  };
} finally {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/auth.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
