// Arranging preconditions for the tickets-API and live-stream tests on the real server's database
// file, with the server's own modules: accounts (any role and state), personal API keys (A17),
// sessions (the cookie a signed-in browser would hold) and agent actions. What is tested then
// goes through the real server over HTTP.
import { afterAll, beforeAll } from 'vitest';
import { users, type Role } from '../../db/schema/index.ts';
import { createOrRegenerateApiKey } from '../../src/server/auth/api-keys.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { createSession } from '../../src/server/auth/session.ts';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

export interface Person {
  id: string;
  role: Role;
  email: string;
  name: string;
}

export async function fixtureDb(dbUrl: string): Promise<Db> {
  return openDatabase({ url: dbUrl });
}

/** The real server on a fresh database for this file's tests, and a handle on that database for arranging. */
export function useServer(env: Record<string, string> = {}): { server: RunningServer; db: Db } {
  const ctx = {} as { server: RunningServer; db: Db };
  beforeAll(async () => {
    ctx.server = await startServer({ TRUST_PROXY: '1', ...env });
    ctx.db = await fixtureDb(ctx.server.dbUrl);
  });
  afterAll(async () => {
    ctx.db?.$client.close();
    await ctx.server?.stop();
  });
  return ctx;
}

/** An account; customers are verified and active unless `extra` says otherwise. Staff have 2FA on (A9). */
export async function person(db: Db, role: Role, extra: Partial<typeof users.$inferInsert> = {}): Promise<Person> {
  const id = randomId();
  const email = `${role}-${id.slice(0, 10)}@example.com`;
  const name = extra.name ?? `The ${role} ${id.slice(0, 4)}`;
  await db.insert(users).values({
    id,
    email,
    name,
    username: `${role}-${id.slice(0, 10)}`,
    passwordHash: 'not-used-by-these-tests',
    role,
    emailVerifiedAt: Date.now(),
    ...(role === 'customer' ? {} : { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totpEnabledAt: Date.now() }),
    ...extra,
  });
  return { id, role, email, name };
}

/** A17: the person's personal API key (the full `loket_…` string, as shown once). */
export async function apiKey(db: Db, who: { id: string }): Promise<string> {
  return (await createOrRegenerateApiKey(db, who.id)).key;
}

/** The `Cookie` header of a signed-in browser (session past its second factor). */
export async function sessionCookie(db: Db, who: { id: string; role: Role }): Promise<string> {
  const { token } = await createSession(db, who, { ip: '192.0.2.1', userAgent: 'fixture', twoFactorVerified: true });
  return `session=${token}`;
}

let nextClient = 0;
/** A distinct client address per API client (203.0.113.0/24, then 198.18.0.0/15), so per-IP limits never mix tests. */
const nextIp = () => {
  const n = nextClient++;
  return n < 250 ? `203.0.113.${n + 1}` : `198.18.${Math.floor(n / 250) % 256}.${(n % 250) + 1}`;
};

/** A client of the tickets API: JSON in and out, Bearer key, its own client address (TRUST_PROXY=1). */
export function apiClient(origin: string, key: string | null, ip = nextIp()) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        'X-Forwarded-For': ip,
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(origin + path, init);
    const text = await res.text();
    let json: any = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    ip,
    key,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    raw: call,
  };
}
