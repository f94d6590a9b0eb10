// Staff and customers for the console's tests: accounts made through the real pages (sign-up,
// verification, sign-in, the 2FA wizard that staff must pass), the role set in the database.
import { expect } from 'vitest';
import { Device, query } from './http.ts';
import { enrol, registerAndVerify, signInPassword } from './two-factor.ts';

export const PASSWORD = 'Velvet-Compass-62';

/** The test's own connection has no busy timeout: a write that meets the server's write lock is tried again. */
export async function retryBusy<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (error) {
      if (i >= 50 || !String((error as { code?: string }).code ?? error).includes('SQLITE_BUSY')) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface Person {
  device: Device;
  email: string;
  id: string;
  secret?: string;
}

/** A signed-in account with the given role; staff have enrolled in 2FA (A9: they must). */
export async function person(origin: string, dbUrl: string, email: string, role: 'customer' | 'agent' | 'editor' | 'admin', name = email.split('@')[0]!): Promise<Person> {
  await registerAndVerify(origin, dbUrl, email, PASSWORD, name);
  if (role !== 'customer') await retryBusy(() => query(dbUrl, 'UPDATE users SET role = ? WHERE email = ?', [role, email]));
  const device = new Device(origin);
  expect((await signInPassword(device, email, PASSWORD)).status).toBe(303);
  const secret = role === 'customer' ? undefined : (await enrol(device, PASSWORD)).secret;
  const [row] = await query(dbUrl, 'SELECT id FROM users WHERE email = ?', [email]);
  return { device, email, id: String(row!.id), secret };
}

/** A ticket opened through the support form (signed in, or as a public sender); answers its number and id. */
export async function openTicket(
  dbUrl: string,
  customer: Device,
  subject: string,
  message = 'Please help me with my account.',
  lang = 'en',
  /** For a public sender (T6, not signed in): the address and name the form asks for. */
  sender: { email: string; name: string } | Record<string, never> = {},
): Promise<{ number: number; id: string }> {
  const res = await customer.post(`/${lang}/support`, { topic: 'other', subject, message, ...sender });
  expect(res.status, await res.clone().text()).toBeLessThan(400);
  const [row] = await query(dbUrl, 'SELECT id, number FROM tickets WHERE subject = ? ORDER BY number DESC LIMIT 1', [subject]);
  return { number: Number(row!.number), id: String(row!.id) };
}

/** Reads a Server-Sent Events stream for `ms` milliseconds and answers everything it sent. */
export async function readStream(device: Device, path: string, ms: number, during?: () => Promise<void>): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(device.origin + path, {
    signal: controller.signal,
    headers: { Cookie: [...device.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': device.ip, 'User-Agent': device.userAgent },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  await during?.();
  await new Promise((r) => setTimeout(r, ms));
  controller.abort();
  await reading;
  return text;
}

/** A write behind the server's back (arranging a precondition), tried again while the server holds the write lock. */
export function write(dbUrl: string, sql: string, args: Array<string | number> = []) {
  return retryBusy(() => query(dbUrl, sql, args));
}
