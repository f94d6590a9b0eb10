// Driving the 2FA pages like a person with an authenticator app: the key is read from the
// wizard's page and codes are computed with otplib (the same algorithm as the apps).
import { generate } from 'otplib';
import { expect } from 'vitest';
import { Device, latestMail, query } from './http.ts';

export const STEP_SECONDS = 30;

/** The code of the time step `offset` steps from now (0 = current). */
export async function codeAt(secret: string, offset = 0, now = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now / 1000) + offset * STEP_SECONDS });
}

/** Waits out the last seconds of a time step, so that "now" stays in one step for a short test. */
export async function awayFromStepEdge(marginSeconds = 6): Promise<void> {
  const into = (Date.now() / 1000) % STEP_SECONDS;
  if (into > STEP_SECONDS - marginSeconds) await new Promise((r) => setTimeout(r, (STEP_SECONDS - into + 0.2) * 1000));
}

export function totpKeyOf(html: string): string | undefined {
  return /data-totp-key="([A-Z2-7]+)"/.exec(html)?.[1];
}

export function recoveryCodesOf(html: string): string[] {
  const list = /data-recovery-codes[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<code[^>]*>([a-z2-7-]+)<\/code>/g)].map((m) => m[1]!);
}

export async function registerAndVerify(origin: string, dbUrl: string, email: string, password: string, name = 'Two Factor'): Promise<void> {
  const device = new Device(origin);
  await device.post('/en/signup', { name, email, password });
  const code = /\b(\d{6})\b/.exec((await latestMail(dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
}

/** Email and password; answers the password step's response (a 2FA account then sees the code step). */
export async function signInPassword(device: Device, email: string, password: string): Promise<Response> {
  await device.post('/en/login', { step: 'email', email });
  return device.post('/en/login', { step: 'password', email, password });
}

/** The whole wizard on a signed-in device: password → key → code → ten recovery codes. */
export async function enrol(device: Device, password: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const scan = await device.post('/en/account/two-factor', { action: 'password', password });
  expect(scan.status).toBe(200);
  const secret = totpKeyOf(await scan.text());
  expect(secret).toBeDefined();
  const done = await device.post('/en/account/two-factor', { action: 'confirm', secret: secret!, code: await codeAt(secret!) });
  expect(done.status).toBe(200);
  const recoveryCodes = recoveryCodesOf(await done.text());
  expect(recoveryCodes).toHaveLength(10);
  return { secret: secret!, recoveryCodes };
}

/**
 * Arranges a precondition only: forgets the last accepted time step, so that a test about
 * something else can use the current code again (the replay guard has its own tests).
 */
export async function forgetLastStep(dbUrl: string, email: string): Promise<void> {
  await query(dbUrl, 'UPDATE users SET totp_last_step = NULL WHERE email = ?', [email]);
}
