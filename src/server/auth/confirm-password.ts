// A12 / A21 / V6.2.3: confirming the current password of a signed-in user (password change, API
// key). A wrong one changes nothing, is recorded and counts toward the A12 lock; the tenth locks.
import { recordEvent, type RequestMeta, type SecurityEventType } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { lockAccount } from './lock.ts';
import { verifyPassword } from './password.ts';
import { consume, LIMITS } from './rate-limit.ts';

/** Longer than any password A3 allows; bounds the argon2 work on a crafted post (as at sign-in). */
export const MAX_CURRENT_PASSWORD_LENGTH = 1024;

export type PasswordConfirmation = 'ok' | 'wrong' | 'locked';

export async function confirmCurrentPassword(
  db: Db,
  user: { id: string; email: string; name: string; locale: string; passwordHash: string },
  password: string,
  failure: { type: SecurityEventType; meta: RequestMeta & { origin: string } },
  now = Date.now(),
): Promise<PasswordConfirmation> {
  const valid = password.length > 0 && password.length <= MAX_CURRENT_PASSWORD_LENGTH && (await verifyPassword(user.passwordHash, password));
  if (valid) return 'ok';
  const failures = await consume(db, `wrong-password:${user.id}`, LIMITS.wrongPassword, now);
  await recordEvent(db, { type: failure.type, userId: user.id, ...failure.meta, detail: { reason: 'wrong-password', count: failures.count } });
  if (failures.count >= LIMITS.wrongPassword.limit) {
    await lockAccount(db, user, 'wrong-passwords', failure.meta, now);
    return 'locked';
  }
  return 'wrong';
}
