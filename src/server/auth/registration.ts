// A2: registration with name, email and password. The account stays inactive until its email is
// verified. Registering an address that already has an account looks exactly the same on screen
// (same answer, same work, same timing class); the owner of that address gets an email instead.
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { sendMail } from '../mail/mailer.ts';
import { randomDigits, randomId } from './crypto.ts';
import { isValidEmail, normalizeEmail } from './email.ts';
import { createEmailVerification } from './email-verification.ts';
import { checkPassword, hashPassword, type PasswordProblem } from './password.ts';
import { consume, LIMITS } from './rate-limit.ts';

export const NAME_MAX_LENGTH = 100;

export interface RegistrationInput {
  name: unknown;
  email: unknown;
  password: unknown;
  locale: Locale;
}
export type RegistrationErrors = Partial<Record<'name' | 'email' | 'password', string[]>>;
export type RegistrationResult =
  | { ok: true; pendingId: string }
  | { ok: false; errors: RegistrationErrors }
  | { ok: false; retryAfter: number };

export function validateRegistration(input: RegistrationInput): { errors: RegistrationErrors; name: string; email: string; password: string } {
  const errors: RegistrationErrors = {};
  const name = typeof input.name === 'string' ? input.name.trim().replace(/\s+/g, ' ') : '';
  const email = normalizeEmail(input.email);
  const password = typeof input.password === 'string' ? input.password : '';
  if (!name) errors.name = ['required'];
  else if ([...name].length > NAME_MAX_LENGTH) errors.name = ['too-long'];
  if (!email) errors.email = ['required'];
  else if (!isValidEmail(email)) errors.email = ['invalid'];
  const problems: PasswordProblem[] = password ? checkPassword(password, { email, name }) : ['too-short'];
  if (problems.length) errors.password = problems;
  return { errors, name, email, password };
}

export function usernameFrom(email: string): string {
  const base = email.split('@')[0]!.normalize('NFKD').replace(/[^a-z0-9]+/g, '').slice(0, 20) || 'user';
  return `${base}-${randomDigits(4)}`;
}

export async function register(db: Db, input: RegistrationInput, meta: RequestMeta & { origin: string }): Promise<RegistrationResult> {
  const limit = await consume(db, `register:ip:${meta.ip}`, LIMITS.registerPerIp);
  if (!limit.ok) return { ok: false, retryAfter: limit.retryAfter };
  const { errors, name, email, password } = validateRegistration(input);
  if (Object.keys(errors).length) return { ok: false, errors };

  // Both paths hash the password, so the answer takes as long for a known address as for a new one.
  const passwordHash = await hashPassword(password);
  const existing = (await db.select({ id: users.id, name: users.name, locale: users.locale }).from(users).where(eq(users.email, email)).limit(1))[0];
  if (existing) {
    await recordEvent(db, { type: 'account.registration-duplicate', userId: existing.id, actor: 'anonymous', ...meta });
    const mailLimit = await consume(db, `mail:account-exists:${existing.id}`, LIMITS.verificationEmail);
    if (mailLimit.ok) {
      await sendMail(db, {
        to: email,
        kind: 'account-exists',
        locale: existing.locale as Locale,
        vars: { name: existing.name, signInLink: `${meta.origin}/${existing.locale}/login`, resetLink: `${meta.origin}/${existing.locale}/recover` },
      });
    }
    // An id that matches nothing: the verification page behaves as for a real one.
    return { ok: true, pendingId: randomId() };
  }

  const id = randomId();
  for (let attempt = 0; ; attempt++) {
    try {
      await db.insert(users).values({ id, email, name, username: usernameFrom(email), passwordHash, locale: input.locale });
      break;
    } catch (error) {
      // A race with another registration of the same address, or (rarely) a username collision.
      const again = (await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1))[0];
      if (again) return { ok: true, pendingId: randomId() };
      if (attempt >= 3) throw error;
    }
  }
  const verification = await createEmailVerification(db, id);
  await recordEvent(db, { type: 'account.registered', userId: id, ...meta });
  await sendMail(db, {
    to: email,
    kind: 'verify-email',
    locale: input.locale,
    vars: { name, code: verification.code, link: `${meta.origin}/${input.locale}/verify?token=${verification.token}` },
  });
  return { ok: true, pendingId: verification.id };
}
