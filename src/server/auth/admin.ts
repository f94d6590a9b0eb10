// N1 / S5: the first admin (created from the command line, `npm run admin:create`) and role
// changes by an admin. A new admin is a verified account without 2FA: staff always need 2FA
// (A9), so the first sign-in goes through the setup wizard. A role change ends the account's
// sessions, so the new role (its session lifetime and 2FA duty) applies from the next sign-in.
import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { roles, sessions, users, type Role } from '../../../db/schema/index.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { recordEvent } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { randomId } from './crypto.ts';
import { checkPassword, hashPassword } from './password.ts';
import { usernameFrom, validateRegistration } from './registration.ts';
import { authorizeStaffAction, staffEvent, type StaffActionResult, type StaffActor } from './staff-actions.ts';

// No look-alikes (0/O, 1/l/I): the password is read off a terminal and typed or pasted once.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = UPPER + LOWER + DIGITS;

/** 24 characters from 57 in groups of 6 (about 140 bits), always with upper, lower and digit (A3). */
export function generatePassword(): string {
  for (;;) {
    const chars = Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
    const password = chars.join('').replace(/(.{6})(?=.)/g, '$1-');
    if (checkPassword(password).length === 0) return password;
  }
}

export type CreateAdminResult =
  | { ok: true; userId: string; email: string; username: string; password: string; generated: boolean }
  | { ok: false; reason: 'invalid'; errors: Partial<Record<'name' | 'email' | 'password' | 'locale', string[]>> }
  | { ok: false; reason: 'exists' };

export async function createAdmin(
  db: Db,
  input: { email: unknown; name: unknown; password?: string; locale?: string },
  now = Date.now(),
): Promise<CreateAdminResult> {
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  const locale = input.locale ?? 'en';
  const { errors, name, email } = validateRegistration({ name: input.name, email: input.email, password, locale: isLocale(locale) ? locale : 'en' });
  const allErrors: Partial<Record<'name' | 'email' | 'password' | 'locale', string[]>> = { ...errors };
  if (!isLocale(locale)) allErrors.locale = ['invalid'];
  if (Object.keys(allErrors).length) return { ok: false, reason: 'invalid', errors: allErrors };
  if ((await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1))[0]) return { ok: false, reason: 'exists' };
  const id = randomId();
  const username = usernameFrom(email);
  try {
    await db.insert(users).values({ id, email, name, username, passwordHash: await hashPassword(password), role: 'admin', emailVerifiedAt: now, locale: locale as Locale, createdAt: now, updatedAt: now });
  } catch (error) {
    // The same address registered in the meantime (unique index).
    if ((await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1))[0]) return { ok: false, reason: 'exists' };
    throw error;
  }
  await recordEvent(db, { type: 'account.admin-created', userId: id, actor: 'command-line', ip: '', userAgent: 'admin:create', detail: { action: 'create-admin', role: 'admin' } });
  return { ok: true, userId: id, email, username, password, generated };
}

export type SetRoleResult = StaffActionResult<{ previousRole: Role; role: Role; endedSessions: number }> | { ok: false; reason: 'invalid-role' | 'unchanged' };

/** S5: an admin sets another account's role, with a reason; audited. Admins cannot change their own role. */
export async function setRole(db: Db, actor: StaffActor, userId: string, role: unknown, reason: unknown, now = Date.now()): Promise<SetRoleResult> {
  const check = await authorizeStaffAction(db, actor, userId, reason, ['admin']);
  if (!check.ok) return check;
  if (typeof role !== 'string' || !(roles as readonly string[]).includes(role)) return { ok: false, reason: 'invalid-role' };
  const next = role as Role;
  const { target } = check;
  if (target.role === next) return { ok: false, reason: 'unchanged' };
  const [, ended] = await db.batch([
    db.update(users).set({ role: next, updatedAt: now }).where(eq(users.id, target.id)),
    db.delete(sessions).where(eq(sessions.userId, target.id)),
    staffEvent(db, actor, 'staff.role-changed', target.id, { action: 'set-role', reason: check.reason, previousRole: target.role, role: next }),
  ]);
  return { ok: true, previousRole: target.role, role: next, endedSessions: ended.rowsAffected };
}
