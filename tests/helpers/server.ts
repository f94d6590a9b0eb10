// Starts the real built server (`node scripts/start.ts`) on a free port with a fresh database file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/server/db/client.ts';

export interface RunningServer {
  origin: string;
  dbUrl: string;
  dir: string;
  output: () => string;
  stop: (options?: { keepData?: boolean }) => Promise<void>;
  /** With `script: AGENT_SERVER`: run a command inside the server's process (see agent-server.ts). */
  command: (command: Record<string, unknown>) => Promise<unknown>;
}

/** Starts the server with an IPC channel through which a test acts as an agent in the server's process. */
export const AGENT_SERVER = 'tests/helpers/agent-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export async function startServer(env: Record<string, string> = {}, { script = 'scripts/start.ts' }: { script?: string } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-test-'));
  const dbUrl = env.DATABASE_URL ?? `file:${join(dir, 'loket.db')}`;
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: dbUrl, ASTRO_TELEMETRY_DISABLED: '1', ...env },
    stdio: script === AGENT_SERVER ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let commandId = 0;
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const origin = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /Server listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    origin,
    dbUrl,
    dir,
    output: () => out,
    command: (command) =>
      new Promise((resolveCommand, reject) => {
        const id = ++commandId;
        const onMessage = (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
          if (message.id !== id) return;
          child.off('message', onMessage);
          if (message.ok) resolveCommand(message.result);
          else reject(new Error(message.error));
        };
        child.on('message', onMessage);
        child.send({ ...command, id });
      }),
    stop: async ({ keepData = false } = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks that start the server and open a handle on its database file,
 * for tests that change data behind the server's back; read `.server` and `.db` inside tests.
 */
export function serverWithDatabase(env: Record<string, string> = {}): { server: RunningServer; db: Db } {
  const live = {} as { server: RunningServer; db: Db };
  beforeAll(async () => {
    live.server = await startServer(env);
    live.db = await openDatabase({ url: live.server.dbUrl });
  });
  afterAll(async () => {
    live.db?.$client.close();
    await live.server?.stop();
  });
  return live;
}
