// The cast of the access-matrix tests: one signed-in browser per role, made directly in the
// running server's database file (users + sessions the way sign-in makes them; staff with 2FA on
// and the session's second factor done), so a test can ask every route as every role quickly.
import { generateSecret } from 'otplib';
import { users, type Role } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { createSession } from '../../src/server/auth/session.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { Device } from './http.ts';

export type ActorName = 'anonymous' | 'customerA' | 'customerB' | 'agent' | 'editor' | 'admin';
export const ACTOR_NAMES: ActorName[] = ['anonymous', 'customerA', 'customerB', 'agent', 'editor', 'admin'];

export interface Actor {
  name: ActorName;
  id: string | null;
  role: Role | null;
  email: string | null;
  device: Device;
}

const roleOf: Record<Exclude<ActorName, 'anonymous'>, Role> = { customerA: 'customer', customerB: 'customer', agent: 'agent', editor: 'editor', admin: 'admin' };

/** Creates the five accounts (verified; staff with 2FA on) and a signed-in Device for each, plus an anonymous one. */
export async function createActors(origin: string, dbUrl: string): Promise<Record<ActorName, Actor>> {
  const db = await openDatabase({ url: dbUrl });
  try {
    const out = { anonymous: { name: 'anonymous', id: null, role: null, email: null, device: new Device(origin) } } as Record<ActorName, Actor>;
    for (const [name, role] of Object.entries(roleOf) as Array<[Exclude<ActorName, 'anonymous'>, Role]>) {
      const id = randomId();
      const email = `${name.toLowerCase()}-${id.slice(0, 6)}@example.com`;
      const staff = role !== 'customer';
      await db.insert(users).values({
        id,
        email,
        name: `${name} person`,
        username: `${name.toLowerCase()}-${id.slice(0, 6)}`,
        passwordHash: '!not-used',
        role,
        emailVerifiedAt: Date.now(),
        locale: 'en',
        ...(staff ? { totpSecret: generateSecret(), totpEnabledAt: Date.now() } : {}),
      });
      const { token } = await createSession(db, { id, role }, { ip: '127.0.0.1', userAgent: 'access-matrix', twoFactorVerified: true, reauthenticated: true });
      const device = new Device(origin);
      device.cookies.set('session', token);
      out[name] = { name, id, role, email, device };
    }
    return out;
  } finally {
    db.$client.close();
  }
}
