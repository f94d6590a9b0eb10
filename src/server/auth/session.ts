// Sessions after the Lucia guide: token `id.secret`, only SHA-256(secret) stored and compared in
// constant time; inactivity expiry (refreshed at most hourly) plus an absolute lifetime (A21).
import { and, eq, ne } from 'drizzle-orm';
import { sessions, type Role } from '../../../db/schema/index.ts';
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
  // The hot path of every signed-in request: one indexed read of only the columns it needs, in
  // plain SQL (a wide `SELECT *` join, or an ORM mapping, costs more than the lookup itself).
  const result = await db.$client.execute({
    sql: `SELECT s.secret_hash, s.user_id, s.created_at, s.last_active_at, s.expires_at, s.two_factor_verified,
                 s.reauthenticated_at, s.ip, s.user_agent, u.email, u.name, u.username, u.role, u.locale, u.time_zone,
                 u.region, u.email_verified_at, u.totp_enabled_at,
                 (u.locked_at IS NOT NULL OR u.suspended_at IS NOT NULL OR u.deleted_at IS NOT NULL OR u.email_verified_at IS NULL) AS barred
          FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    args: [parts.id],
  });
  const r = result.rows[0];
  if (!r) return null;
  if (!secretsEqual(hashSecret(parts.secret), new Uint8Array(r.secret_hash as ArrayBuffer))) return null;
  const num = (v: unknown) => (v === null ? null : Number(v));
  const row = {
    barred: Number(r.barred),
    session: {
      id: parts.id,
      userId: String(r.user_id),
      createdAt: Number(r.created_at),
      lastActiveAt: Number(r.last_active_at),
      expiresAt: Number(r.expires_at),
      twoFactorVerified: Number(r.two_factor_verified) === 1,
      reauthenticatedAt: num(r.reauthenticated_at),
      ip: String(r.ip),
      userAgent: String(r.user_agent),
    },
    user: {
      id: String(r.user_id),
      email: String(r.email),
      name: String(r.name),
      username: String(r.username),
      role: r.role as Role,
      locale: String(r.locale),
      timeZone: String(r.time_zone),
      region: String(r.region),
      emailVerifiedAt: num(r.email_verified_at),
      totpEnabledAt: num(r.totp_enabled_at),
    },
  };
  const session: Session = row.session;
  const user: SessionUser = row.user;
  const idleLimit = lifetimeOf(user.role).inactivityMs;
  const dead = now >= session.expiresAt || now - session.lastActiveAt >= idleLimit;
  if (dead || Number(row.barred) === 1) {
    await invalidateSession(db, session.id);
    return null;
  }
  if (now - session.lastActiveAt >= ACTIVITY_REFRESH_MS) {
    session.lastActiveAt = now;
    await db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, session.id));
  }
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
