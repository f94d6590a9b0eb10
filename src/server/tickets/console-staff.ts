// S5: an admin invites a staff member — the account is created with the chosen role and an
// unusable random password, and the person gets an emailed single-use link to set their own
// password. The link is a one-time token of the password-reset machinery (A5: hashed, single
// use, its own expiry), so setting the password goes through /{lang}/reset with the A3 rule;
// at the first sign-in the 2FA wizard follows (A9: staff always need 2FA).
import { and, eq, isNull, ne } from 'drizzle-orm';
import { oneTimeTokens, users, type Role } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { generatePassword } from '../auth/admin.ts';
import { hashSecret, randomId, randomSecret } from '../auth/crypto.ts';
import { isValidEmail, normalizeEmail } from '../auth/email.ts';
import { hashPassword } from '../auth/password.ts';
import { usernameFrom } from '../auth/registration.ts';
import { activeStaff, normalizeReason, staffEvent, type StaffActor } from '../auth/staff-actions.ts';
import type { Db } from '../db/client.ts';
import { sendMail } from '../mail/mailer.ts';

export const STAFF_ROLES = ['agent', 'editor', 'admin'] as const satisfies readonly Role[];
export const INVITE_VALID_DAYS = 7;
export const STAFF_NAME_MAX_LENGTH = 100;

export type InviteProblem = 'email' | 'name' | 'role' | 'locale';
export type InviteResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'forbidden' | 'exists' }
  | { ok: false; reason: 'invalid'; problems: InviteProblem[] }
  | { ok: false; reason: 'reason-required' | 'reason-too-long'; max?: number };

export async function inviteStaff(
  db: Db,
  actor: StaffActor,
  input: { email: unknown; name: unknown; role: unknown; locale: unknown; reason: unknown },
  now = Date.now(),
): Promise<InviteResult> {
  const admin = await activeStaff(db, actor.id, ['admin']);
  if (!admin) return { ok: false, reason: 'forbidden' };
  const problems: InviteProblem[] = [];
  const email = normalizeEmail(input.email);
  if (!isValidEmail(email)) problems.push('email');
  const name = typeof input.name === 'string' ? input.name.replace(/\s+/g, ' ').trim() : '';
  if (!name || [...name].length > STAFF_NAME_MAX_LENGTH) problems.push('name');
  if (typeof input.role !== 'string' || !(STAFF_ROLES as readonly string[]).includes(input.role)) problems.push('role');
  if (!isLocale(input.locale)) problems.push('locale');
  if (problems.length) return { ok: false, reason: 'invalid', problems };
  const reason = normalizeReason(input.reason);
  if (!reason.ok) return reason;
  if ((await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1))[0]) return { ok: false, reason: 'exists' };

  const id = randomId();
  const tokenId = randomId();
  const secret = randomSecret();
  const role = input.role as Role;
  const locale = input.locale as Locale;
  const inviter = (await db.select({ name: users.name }).from(users).where(eq(users.id, actor.id)).limit(1))[0];
  try {
    await db.batch([
      // Nobody knows this password: the account is usable only once the link set a new one.
      db.insert(users).values({ id, email, name, username: usernameFrom(email), passwordHash: await hashPassword(generatePassword()), role, emailVerifiedAt: now, locale, createdAt: now, updatedAt: now }),
      db.insert(oneTimeTokens).values({ id: tokenId, purpose: 'password-reset', userId: id, secretHash: hashSecret(secret), createdAt: now, expiresAt: now + INVITE_VALID_DAYS * 24 * 60 * 60_000 }),
      staffEvent(db, actor, 'staff.invited', id, { action: 'invite', reason: reason.reason, role }),
    ]);
  } catch (error) {
    if ((await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1))[0]) return { ok: false, reason: 'exists' };
    throw error;
  }
  await sendMail(db, {
    to: email,
    kind: 'staff-invite',
    locale,
    vars: { name, link: `${actor.origin}/${locale}/reset?token=${tokenId}.${secret}`, role, inviterName: inviter?.name ?? '', validDays: INVITE_VALID_DAYS },
  });
  return { ok: true, userId: id };
}

/** S5: everyone with a staff role, for the admin page. */
export async function staffMembers(db: Db) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, totpEnabledAt: users.totpEnabledAt, suspendedAt: users.suspendedAt })
    .from(users)
    .where(and(ne(users.role, 'customer'), isNull(users.deletedAt)))
    .orderBy(users.role, users.name);
}

/** The account with an address, for the role form (by email, as an admin knows people). */
export async function userIdByEmail(db: Db, raw: unknown): Promise<string | null> {
  const email = normalizeEmail(raw);
  if (!isValidEmail(email)) return null;
  return (await db.select({ id: users.id }).from(users).where(and(eq(users.email, email), isNull(users.deletedAt))).limit(1))[0]?.id ?? null;
}
