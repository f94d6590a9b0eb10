// N1 / S5: `npm run admin:create` on a fresh database file — migrates, creates a verified admin
// without 2FA (A9 enrols at the first sign-in), prints a generated password once, refuses an
// existing email and a weak password from stdin — then the admin signs in on the real server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Device, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'loket-admin-'));
const dbUrl = `file:${join(dir, 'loket.db')}`;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function createAdmin(args: string[], stdin?: string) {
  const run = spawnSync(process.execPath, ['scripts/create-admin.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl }, input: stdin, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('N1: the first-admin command', () => {
  test('N1 / S5: admin:create makes a verified admin on a fresh database, prints the password once; an existing email and a weak password are refused; the admin signs in', async () => {
    // Unhappy paths first: missing arguments, a weak password from stdin — nothing is created.
    expect(createAdmin(['--email', 'root@example.com']).status).toBe(2);
    const weak = createAdmin(['--email', 'root@example.com', '--name', 'Root Admin', '--password-stdin'], 'password\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('Add an uppercase letter.');
    expect(weak.stderr + weak.stdout).not.toContain('password\n');
    expect(await query(dbUrl, 'SELECT id FROM users')).toHaveLength(0);

    const made = createAdmin(['--email', ' Root@Example.com ', '--name', 'Root Admin']);
    expect(made.status, made.stderr).toBe(0);
    const password = /^ {4}(\S+)$/m.exec(made.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z2-9]{6}(-[A-Za-z2-9]{6}){3}$/);
    expect(made.stdout.split(password!).length - 1).toBe(1);
    expect(made.stderr).not.toContain(password!);
    const [row] = await query(dbUrl, 'SELECT role, email, email_verified_at, totp_enabled_at, password_hash FROM users');
    expect(row).toMatchObject({ role: 'admin', email: 'root@example.com', totp_enabled_at: null });
    expect(Number(row!.email_verified_at)).toBeGreaterThan(0);
    expect(String(row!.password_hash)).toMatch(/^\$argon2id\$/);
    expect(await query(dbUrl, "SELECT actor, detail FROM security_events WHERE type = 'account.admin-created'")).toHaveLength(1);

    const again = createAdmin(['--email', 'root@example.com', '--name', 'Someone Else']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await query(dbUrl, 'SELECT id FROM users')).toHaveLength(1);

    // A password of one's own through stdin (only the final newline dropped).
    const own = createAdmin(['--email', 'second@example.com', '--name', 'Second Admin', '--locale', 'nl', '--password-stdin'], ' Str0ng-Enough-Pass \n');
    expect(own.status, own.stderr).toBe(0);
    expect(own.stdout).not.toContain('Str0ng-Enough-Pass');

    server = await startServer({ DATABASE_URL: dbUrl, TRUST_PROXY: '1' });
    for (const [email, secret] of [['root@example.com', password!], ['second@example.com', ' Str0ng-Enough-Pass ']] as const) {
      const device = new Device(server.origin);
      await device.post('/en/login', { step: 'email', email });
      const res = await device.post('/en/login', { step: 'password', email, password: secret });
      expect(res.status, email).toBe(303);
      expect(device.cookies.has('session')).toBe(true);
    }
    expect(server.output()).not.toContain(password!);
  });
});
