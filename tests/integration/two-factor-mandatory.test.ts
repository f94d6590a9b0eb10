// A9: mandatory 2FA through the real server — staff always, customers from the policy's date
// (scope `all`); a user who must have 2FA and has none reaches only the enrolment pages
// (SECURITY-CHECKLIST 15), and cannot turn it off once it is on (A8).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POLICY_TTL_MS } from '../../src/server/auth/two-factor-policy.ts';
import { Device, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { enrol, registerAndVerify, signInPassword } from '../helpers/two-factor.ts';

let server: RunningServer;
const PASSWORD = 'Velvet-Compass-62';

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

async function setPolicy(policy: { from: number; scope: 'all' | 'staff' } | null) {
  if (policy) await query(server.dbUrl, "INSERT INTO site_settings (key, value) VALUES ('mandatory-2fa', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [JSON.stringify(policy)]);
  else await query(server.dbUrl, "DELETE FROM site_settings WHERE key = 'mandatory-2fa'");
  await new Promise((r) => setTimeout(r, POLICY_TTL_MS + 50)); // written behind the server's back: wait out its shared read
}

async function signedIn(email: string, role = 'customer') {
  await registerAndVerify(server.origin, server.dbUrl, email, PASSWORD);
  if (role !== 'customer') await query(server.dbUrl, 'UPDATE users SET role = ? WHERE email = ?', [role, email]);
  const device = new Device(server.origin);
  expect((await signInPassword(device, email, PASSWORD)).status).toBe(303);
  return device;
}

const WIZARD = '/en/account/two-factor';

describe('A9: mandatory 2FA', () => {
  test('A9 / V6.3.3 (checklist 15): after the mandatory date a user without 2FA reaches only the enrolment pages; everything else redirects there', async () => {
    await setPolicy({ from: Date.now() - 60_000, scope: 'all' });
    try {
      const device = await signedIn('forced@example.com');
      for (const path of ['/en/account', '/en/account/api-key', '/en/', '/en/search?q=password', '/en/account/confirm']) {
        const res = await device.get(path);
        expect(res.status, path).toBe(303);
        expect(res.headers.get('location'), path).toBe(WIZARD);
      }
      const post = await device.post('/en/account', { action: 'end-others' });
      expect(post.status).toBe(303);
      expect(post.headers.get('location')).toBe(WIZARD);
      // The wizard itself, in every language (the locale switch), and signing out stay reachable.
      const wizard = await device.get(WIZARD);
      expect(wizard.status).toBe(200);
      expect(await wizard.text()).toContain('Two-factor authentication is mandatory for your account. Set it up to continue.');
      expect((await device.get('/nl/account/two-factor')).status).toBe(200);
      expect((await device.get('/fr/account/two-factor')).status).toBe(200);
      // Static assets are served as usual.
      expect((await device.get('/favicon.svg')).status).toBe(200);

      // After enrolment everything is reachable again, and 2FA cannot be turned off.
      await enrol(device, PASSWORD);
      expect((await device.get('/en/account')).status).toBe(200);
      const manage = await (await device.get(WIZARD)).text();
      expect(manage).toContain('mandatory for your account, so it cannot be turned off');
      expect((await device.post(WIZARD, { action: 'disable', password: PASSWORD, code: '000000' })).status).toBe(403);

      const other = await signedIn('forced-signout@example.com');
      const out = await other.post('/en/logout', {});
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/en/');
      expect((await other.get('/en/account')).status).toBe(302); // signed out: the sign-in page, not the wizard
    } finally {
      await setPolicy(null);
    }
  });

  test('A9: before the date, and under a staff-only policy, customers are not forced', async () => {
    await setPolicy({ from: Date.now() + 24 * 60 * 60_000, scope: 'all' });
    try {
      const before = await signedIn('not-yet@example.com');
      expect((await before.get('/en/account')).status).toBe(200);
      await setPolicy({ from: Date.now() - 60_000, scope: 'staff' });
      expect((await before.get('/en/account')).status).toBe(200);
    } finally {
      await setPolicy(null);
    }
  });

  test('A9: staff roles (agent, editor, admin) always require 2FA, with no policy set', async () => {
    for (const role of ['agent', 'editor', 'admin']) {
      const device = await signedIn(`staff-${role}@example.com`, role);
      const res = await device.get('/en/account');
      expect(res.status, role).toBe(303);
      expect(res.headers.get('location')).toBe(WIZARD);
    }
    const customer = await signedIn('plain-customer@example.com');
    expect((await customer.get('/en/account')).status).toBe(200);
  });
});
