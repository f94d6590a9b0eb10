// A21: every security event (sign-in, failure, lock, 2FA change, session end, staff account
// action) is recorded with time, IP and actor. Details never hold a password, code, token or key.
import { desc, eq } from 'drizzle-orm';
import { securityEvents } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';

export type SecurityEventType =
  | 'account.registered'
  | 'account.registration-duplicate'
  | 'email.verified'
  | 'email.verification-failed'
  | 'sign-in.succeeded'
  | 'sign-in.failed'
  | 'sign-in.refused'
  | 'sign-out'
  | 'account.locked'
  | 'account.unlocked'
  | 'session.ended'
  | 'sessions.ended-others'
  | 'device.new'
  | 'password.changed'
  | 'password.change-failed'
  | 'api-key.created'
  | 'api-key.regenerated'
  | 'api-key.revoked'
  | 'api-key.change-failed'
  | 'profile.updated'
  | 'password.reset-requested'
  | 'email.change-requested'
  | 'email.change-failed'
  | 'email.change-address-taken'
  | 'email.changed'
  | 'password.reset'
  // S4 / A18 / A19 / S5: staff account actions (actor = the staff member's id, detail {action, reason})
  | 'staff.account-unlocked'
  | 'staff.two-factor-reset'
  | 'staff.account-suspended'
  | 'staff.suspension-lifted'
  | 'staff.sessions-ended'
  | 'staff.account-deleted'
  | 'staff.role-changed'
  | 'staff.invited'
  | 'account.admin-created'
  // A6–A9 / A21: two-factor authentication and re-authentication.
  | 'two-factor.setup-started'
  | 'two-factor.setup-failed'
  | 'two-factor.enabled'
  | 'two-factor.disabled'
  | 'two-factor.device-replaced'
  | 'two-factor.disable-failed'
  | 'two-factor.code-failed'
  | 'two-factor.recovery-code-used'
  | 'two-factor.recovery-codes-regenerated'
  | 'two-factor.policy-changed'
  | 'sign-in.second-factor'
  | 'reauthenticated'
  | 'reauthentication.failed';

export interface RequestMeta {
  ip: string;
  userAgent: string;
}

export async function recordEvent(
  db: Db,
  event: { type: SecurityEventType; userId?: string | null; actor?: string; detail?: Record<string, unknown> } & RequestMeta,
): Promise<void> {
  await db.insert(securityEvents).values({
    type: event.type,
    userId: event.userId ?? null,
    actor: event.actor ?? event.userId ?? 'anonymous',
    ip: event.ip,
    userAgent: event.userAgent.slice(0, 300),
    detail: event.detail ?? null,
  });
}

export async function eventsOf(db: Db, userId: string, limit = 50) {
  return db.select().from(securityEvents).where(eq(securityEvents.userId, userId)).orderBy(desc(securityEvents.id)).limit(limit);
}
