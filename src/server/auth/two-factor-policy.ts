// A9: mandatory 2FA. An admin sets a date, for all users or for staff only (stored in
// site_settings); staff roles (agent, editor, admin) always require 2FA, whatever the policy.
// A user who must have 2FA and has none reaches only the enrolment pages (checklist 15), and
// nobody for whom it is required can turn it off (A8).
import { eq } from 'drizzle-orm';
import { siteSettings, type Role } from '../../../db/schema/index.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { isStaff } from './session.ts';

export const MANDATORY_2FA_SETTING = 'mandatory-2fa';

export interface MandatoryTwoFactorPolicy {
  /** From this moment (epoch milliseconds) the policy applies. */
  from: number;
  scope: 'all' | 'staff';
}

function parsePolicy(value: unknown): MandatoryTwoFactorPolicy | null {
  const v = value as { from?: unknown; scope?: unknown } | null;
  if (!v || (v.scope !== 'all' && v.scope !== 'staff')) return null;
  const from = typeof v.from === 'number' ? v.from : typeof v.from === 'string' ? Date.parse(v.from) : NaN;
  return Number.isFinite(from) ? { from, scope: v.scope } : null;
}

export async function getMandatoryTwoFactorPolicy(db: Db): Promise<MandatoryTwoFactorPolicy | null> {
  const row = (await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, MANDATORY_2FA_SETTING)).limit(1))[0];
  return row ? parsePolicy(row.value) : null;
}

/** How long one read of the policy is reused by the middleware (as the KB version: 100 ms). */
export const POLICY_TTL_MS = 100;
const policyReads = new WeakMap<Db, { read: Promise<MandatoryTwoFactorPolicy | null>; at: number }>();

/**
 * The policy for the A9 check that every signed-in request without 2FA makes: one read shared by
 * the requests of the next 100 ms. A change made in this process is seen by the very next request.
 */
function readPolicyShared(db: Db): Promise<MandatoryTwoFactorPolicy | null> {
  const now = performance.now();
  const cached = policyReads.get(db);
  if (cached && now - cached.at < POLICY_TTL_MS) return cached.read;
  const entry = { read: getMandatoryTwoFactorPolicy(db), at: now };
  policyReads.set(db, entry);
  entry.read.catch(() => policyReads.get(db) === entry && policyReads.delete(db));
  return entry.read;
}

export type SetPolicyResult = { ok: true; policy: MandatoryTwoFactorPolicy | null } | { ok: false; reason: 'invalid' };

/** S5 / A9: sets (or with `null` lifts) the policy; recorded as a security event with the actor and reason. */
export async function setMandatoryTwoFactorPolicy(
  db: Db,
  actor: { id: string } & RequestMeta,
  policy: { from: number | string | Date; scope: 'all' | 'staff' } | null,
  reason?: string,
  now = Date.now(),
): Promise<SetPolicyResult> {
  const parsed = policy === null ? null : parsePolicy({ ...policy, from: policy.from instanceof Date ? policy.from.getTime() : policy.from });
  if (policy !== null && !parsed) return { ok: false, reason: 'invalid' };
  if (parsed) {
    await db
      .insert(siteSettings)
      .values({ key: MANDATORY_2FA_SETTING, value: parsed, updatedAt: now })
      .onConflictDoUpdate({ target: siteSettings.key, set: { value: parsed, updatedAt: now } });
  } else {
    await db.delete(siteSettings).where(eq(siteSettings.key, MANDATORY_2FA_SETTING));
  }
  policyReads.delete(db);
  await recordEvent(db, {
    type: 'two-factor.policy-changed',
    actor: actor.id,
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { policy: parsed, ...(reason ? { reason: reason.slice(0, 500) } : {}) },
  });
  return { ok: true, policy: parsed };
}

/** Whether this account must have 2FA now: always for staff; for customers once an `all` policy has started. */
export function isTwoFactorRequired(user: { role: Role }, policy: MandatoryTwoFactorPolicy | null, now = Date.now()): boolean {
  if (isStaff(user.role)) return true;
  return policy !== null && policy.scope === 'all' && now >= policy.from;
}

export async function twoFactorRequiredFor(db: Db, user: { role: Role }, now = Date.now()): Promise<boolean> {
  return isStaff(user.role) || isTwoFactorRequired(user, await readPolicyShared(db), now);
}
