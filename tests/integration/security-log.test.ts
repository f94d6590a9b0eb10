// A21 / the "security-log" article: every security event on an account — sign-ins and failed
// attempts, locks, 2FA changes, ended sessions, actions by staff — is recorded with its time, the
// IP address and who did it. One account's life on the real server, then its log, event by event.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StaffActor } from '../../src/server/auth/staff-actions.ts';
import { Device, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { codeAt, enrol, forgetLastStep, registerAndVerify, signInPassword } from '../helpers/two-factor.ts';

let server: RunningServer;
const PASSWORD = 'Copper-Lantern-71';
const EMAIL = 'logged@example.com';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

interface LoggedEvent {
  type: string;
  actor: string;
  ip: string;
  created_at: number;
}
const log = async (): Promise<LoggedEvent[]> =>
  (await query(server.dbUrl, 'SELECT type, actor, ip, created_at FROM security_events WHERE user_id = (SELECT id FROM users WHERE email = ?) ORDER BY id', [EMAIL])).map((r) => ({
    type: String(r.type),
    actor: String(r.actor),
    ip: String(r.ip),
    created_at: Number(r.created_at),
  }));

describe('A21: the security log', () => {
  test('A21: sign-ins, failures, a 2FA change, an ended session, a lock and a staff action are each recorded with time, IP and actor', async () => {
    const started = Date.now();
    await registerAndVerify(server.origin, server.dbUrl, EMAIL, PASSWORD, 'Logged Person');
    const userId = String((await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [EMAIL]))[0]!.id);
    const owner = new Device(server.origin);
    const guesser = new Device(server.origin);
    const laptop = new Device(server.origin);

    // a failed attempt (someone else), then the owner signs in and turns 2FA on
    expect((await signInPassword(guesser, EMAIL, 'Wrong-Guess-12')).status).toBe(400);
    expect((await signInPassword(owner, EMAIL, PASSWORD)).status).toBe(303);
    const { secret } = await enrol(owner, PASSWORD);
    // a second device signs in with a code; the owner ends that session
    await forgetLastStep(server.dbUrl, EMAIL);
    expect((await signInPassword(laptop, EMAIL, PASSWORD)).status).toBe(200);
    expect((await laptop.post('/en/login', { step: 'code', code: await codeAt(secret) })).status).toBe(303);
    const other = String((await query(server.dbUrl, 'SELECT id FROM sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 1', [userId]))[0]!.id);
    expect((await owner.post('/en/account', { action: 'end-session', session: other })).status).toBeLessThan(400);
    // ten wrong passwords lock the account; an agent unlocks it after a manual verification
    for (let i = 0; i < 10; i++) await signInPassword(guesser, EMAIL, `Wrong-Guess-${i}`);
    const agentId = 'agentlogtest0000000001';
    await query(server.dbUrl, "INSERT INTO users (id, email, name, username, password_hash, role, email_verified_at) VALUES (?, 'agent-log@example.com', 'Agent', 'agent-log', 'x', 'agent', 1)", [agentId]);
    const { openDatabase } = await import('../../src/server/db/client.ts');
    const { unlockAccount } = await import('../../src/server/auth/staff-actions.ts');
    const db = await openDatabase({ url: server.dbUrl });
    const actor: StaffActor = { id: agentId, ip: '203.0.113.50', userAgent: 'console', origin: server.origin };
    try {
      expect(await unlockAccount(db, actor, userId, 'Verified by phone call')).toMatchObject({ ok: true });
    } finally {
      db.$client.close();
    }

    const events = await log();
    const find = (type: string, ip?: string) => events.find((e) => e.type === type && (ip === undefined || e.ip === ip));
    const expected: Array<[type: string, actor: string, ip: string]> = [
      ['sign-in.failed', 'anonymous', guesser.ip],
      ['sign-in.succeeded', userId, owner.ip],
      ['two-factor.enabled', userId, owner.ip],
      ['sign-in.second-factor', userId, laptop.ip],
      ['session.ended', userId, owner.ip],
      ['account.locked', 'system', guesser.ip],
      ['staff.account-unlocked', agentId, '203.0.113.50'],
    ];
    for (const [type, actor, ip] of expected) {
      const event = find(type, ip);
      expect(event, `${type} from ${ip}`).toBeDefined();
      expect(event!.actor, type).toBe(actor);
      expect(event!.created_at, type).toBeGreaterThanOrEqual(started - 1000);
      expect(event!.created_at, type).toBeLessThanOrEqual(Date.now());
    }
    // every event of the account has a time and an actor; all but system ones an IP
    for (const e of events) {
      expect(e.created_at).toBeGreaterThan(0);
      expect(e.actor).not.toBe('');
    }
  });
});
