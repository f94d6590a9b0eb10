// Sessions after the Lucia guide: token `id.secret`, only SHA-256(secret) stored and compared in
// constant time; inactivity expiry (refreshed at most hourly) plus an absolute lifetime (A21).
import { and, eq, ne } from 'drizzle-orm';
import { sessions, users, type Role } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { hashSecret, randomId, randomSecret, secretsEqual, splitToken } from './crypto.ts';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** Customers: 10 days without activity, 30 days at most. Staff: 12 hours at most. */
export const SESSION_LIFETIMES = {
  customer: { inactivityMs: 10 * DAY, absoluteMs: 30 * DAY },
  staff: { inactivityMs: 12 * HOUR, absoluteMs: 12 * HOUR },
} as const;
export const ACTIVITY_REFRESH_MS = HOUR;

export const isStaff = (role: Role) => role !== 'customer';
const lifetimeOf = (role: Role) => (isStaff(role) ? SESSION_LIFETIMES.staff : SESSION_LIFETIMES.customer);

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  username: string;
  role: Role;
  locale: string;
  timeZone: string;
  region: string;
  emailVerifiedAt: number | null;
  totpEnabledAt: number | null;
}
export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  twoFactorVerified: boolean;
  reauthenticatedAt: number | null;
  ip: string;
  userAgent: string;
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-session' : 'session';
}

/** Cookie attributes (ASVS V3.3): HttpOnly, SameSite=Lax, Path=/, no Domain, Secure in production. */
export function sessionCookieOptions(secure: boolean, expiresAt: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', expires: new Date(expiresAt) };
}

export async function createSession(
  db: Db,
  user: { id: string; role: Role },
  meta: { ip: string; userAgent: string; twoFactorVerified: boolean; reauthenticated?: boolean },
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  const id = randomId();
  const secret = randomSecret();
  const session: Session = {
    id,
    userId: user.id,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + lifetimeOf(user.role).absoluteMs,
    twoFactorVerified: meta.twoFactorVerified,
    reauthenticatedAt: meta.reauthenticated ? now : null,
    ip: meta.ip,
    userAgent: meta.userAgent.slice(0, 300),
  };
  await db.insert(sessions).values({ ...session, secretHash: hashSecret(secret) });
  return { token: `${id}.${secret}`, session };
}

/**
 * One indexed read. Refuses a wrong secret, an expired session (absolute or idle), and any
 * session of a locked, suspended, deleted or unverified account (those sessions are ended).
 */
export async function validateSessionToken(db: Db, token: string | undefined, now = Date.now()): Promise<{ session: Session; user: SessionUser } | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const rows = await db
    .select({ s: sessions, u: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, parts.id))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (!secretsEqual(hashSecret(parts.secret), row.s.secretHash)) return null;
  const { secretHash: _secretHash, ...session } = row.s;
  const u = row.u;
  const idleLimit = lifetimeOf(u.role).inactivityMs;
  const dead = now >= session.expiresAt || now - session.lastActiveAt >= idleLimit;
  const barred = u.lockedAt !== null || u.suspendedAt !== null || u.deletedAt !== null || u.emailVerifiedAt === null;
  if (dead || barred) {
    await invalidateSession(db, session.id);
    return null;
  }
  if (now - session.lastActiveAt >= ACTIVITY_REFRESH_MS) {
    session.lastActiveAt = now;
    await db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, session.id));
  }
  const user: SessionUser = {
    id: u.id,
    email: u.email,
    name: u.name,
    username: u.username,
    role: u.role,
    locale: u.locale,
    timeZone: u.timeZone,
    region: u.region,
    emailVerifiedAt: u.emailVerifiedAt,
    totpEnabledAt: u.totpEnabledAt,
  };
  return { session, user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends one session of this user; false when it is not theirs (A11: someone else's id is a 404). */
export async function endOwnSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const result = await db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  return result.rowsAffected === 1;
}

/** Ends every session of a user, or every other one when `exceptId` is given (A5, A11, A15, V7.4.2). */
export async function invalidateUserSessions(db: Db, userId: string, exceptId?: string): Promise<number> {
  const where = exceptId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptId)) : eq(sessions.userId, userId);
  const result = await db.delete(sessions).where(where);
  return result.rowsAffected;
}

export async function sessionsOf(db: Db, userId: string): Promise<Session[]> {
  const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
  return rows.map(({ secretHash: _secretHash, ...s }) => s).sort((a, b) => b.lastActiveAt - a.lastActiveAt);
}
