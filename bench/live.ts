// Shared by the live-support benchmarks (`bench:fanout`, `bench:sustained`): start the real app
// (`node scripts/start.ts`, fresh database) or the bare SSE broadcaster in their own processes,
// arrange accounts, API keys, sessions and tickets with the app's own modules on the app's
// database file, read Server-Sent Events over raw HTTP, and read a process's RSS and CPU time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { users, type Role } from '../db/schema/index.ts';
import { createOrRegenerateApiKey } from '../src/server/auth/api-keys.ts';
import { randomId } from '../src/server/auth/crypto.ts';
import { createSession } from '../src/server/auth/session.ts';
import { openDatabase, type Db } from '../src/server/db/client.ts';
import { createTicket } from '../src/server/tickets/tickets.ts';

export const ROOT = resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 60_000;
const children = new Set<ChildProcess>();
const dirs = new Set<string>();

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

export interface Running {
  origin: string;
  child: ChildProcess;
  output: () => string;
  dbUrl?: string;
}

export function startProcess(label: string, args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in ${START_TIMEOUT_MS / 1000} s:\n${out}`)), START_TIMEOUT_MS);
    const onData = () => {
      const m = /Server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolvePromise({ origin: m[1]!, child, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

export async function stopProcess(running: Running): Promise<void> {
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/**
 * The app as `npm start` runs it, on a fresh database file; API limits raised as given (documented
 * in bench/README.md). `prepare` may fill the database file first (the app then finds a non-empty
 * knowledge base and imports nothing).
 */
export async function startApp(label: string, env: Record<string, string> = {}, prepare?: (dbUrl: string) => Promise<void>): Promise<Running & { dbUrl: string }> {
  if (!existsSync(join(ROOT, 'dist/server/entry.mjs'))) throw new Error('no build in dist/ — run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), `loket-bench-${label}-`));
  dirs.add(dir);
  const dbUrl = `file:${join(dir, 'bench.db')}`;
  await prepare?.(dbUrl);
  const app = await startProcess('app', ['scripts/start.ts'], { ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: dbUrl, ASTRO_TELEMETRY_DISABLED: '1', ...env });
  return { ...app, dbUrl };
}

export interface Member {
  id: string;
  role: Role;
  name: string;
  /** `Cookie` header of a signed-in browser (createSession, past the second factor). */
  cookie: string;
  /** A17: the personal API key. */
  key: string;
}

/** An account with a session and an API key, made with the app's own modules. Staff get 2FA on (A9). */
export async function member(db: Db, role: Role, n: number): Promise<Member> {
  const id = randomId();
  const name = `Bench ${role} ${n}`;
  await db.insert(users).values({
    id,
    email: `bench-${role}-${n}-${id.slice(0, 6)}@example.com`,
    name,
    username: `bench-${role}-${n}-${id.slice(0, 6)}`,
    passwordHash: 'not-used',
    role,
    emailVerifiedAt: Date.now(),
    ...(role === 'customer' ? {} : { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totpEnabledAt: Date.now() }),
  });
  const { token } = await createSession(db, { id, role }, { ip: '127.0.0.1', userAgent: 'bench', twoFactorVerified: true });
  const { key } = await createOrRegenerateApiKey(db, id);
  return { id, role, name, cookie: `session=${token}`, key };
}

export async function ticketFor(db: Db, customer: Member, subject: string): Promise<{ id: string; number: number }> {
  const { ticket } = await createTicket(db, {
    customerId: customer.id,
    senderEmail: `bench-${customer.id}@example.com`,
    senderName: customer.name,
    unverifiedSender: false,
    subject,
    body: 'The first message',
    topic: 'question',
    locale: 'en',
  });
  return { id: ticket.id, number: ticket.number };
}

export const arrange = (dbUrl: string) => openDatabase({ url: dbUrl });

/** One SSE connection over raw HTTP; `onEvent` gets each complete event's id, type, raw data and receipt time. */
export function sse(origin: string, path: string, headers: Record<string, string>, onEvent: (id: number | undefined, type: string, data: string, at: number) => void) {
  let req: ClientRequest | undefined;
  let buffer = '';
  const opened = new Promise<void>((resolvePromise, reject) => {
    const url = new URL(origin + path);
    req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      resolvePromise();
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: number | undefined;
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) onEvent(id, type, data, at);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    req.end();
  });
  return { opened, close: () => req?.destroy() };
}

/** Runs `tasks` with at most `limit` at a time. */
export async function inBatches<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!check() && performance.now() < end) await sleep(5);
  return check();
}
