// E1 / A9: the editor workspace's access matrix — every page and every POST action of /editor,
// asked by anonymous, customer A, customer B, agent, editor and admin on one real server. Signed
// out → 303 to the sign-in page (and back after); customers and agents → 403 with nothing written
// (every knowledge-base row compared before and after); editors and admins → allowed. Staff
// without 2FA are sent to enrolment first (A9).
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { createSession } from '../../src/server/auth/session.ts';
import { ACTOR_NAMES, type Actor, type ActorName } from '../helpers/actors.ts';
import { arrangeTicket, kbRows, startEditorServer, withDb } from '../helpers/editor.ts';
import { Device, query } from '../helpers/http.ts';
import type { RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
let ticket: { id: string; number: number };
let entry: { id: number; slug: string };
let area: { id: number; slug: string };

beforeAll(async () => {
  ({ server, actors } = await startEditorServer());
  ticket = await arrangeTicket(server.dbUrl, {
    customer: { id: actors.customerA.id!, email: actors.customerA.email! },
    agent: { id: actors.agent.id! },
    subject: 'How do I export my invoices as a spreadsheet?',
    reply: 'Open Billing, choose Invoices and press Export.',
    status: 'resolved',
  });
  const [e] = await query(server.dbUrl, 'SELECT e.id, e.slug FROM kb_entries e JOIN kb_areas a ON a.id = e.area_id ORDER BY a.position, e.position LIMIT 1 OFFSET 1');
  entry = { id: Number(e!.id), slug: String(e!.slug) };
  const [a] = await query(server.dbUrl, 'SELECT id, slug FROM kb_areas ORDER BY position LIMIT 1 OFFSET 1');
  area = { id: Number(a!.id), slug: String(a!.slug) };
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

type Expect = Record<ActorName, number>;
/** Customers and agents are refused; editors and admins get `allowed`; signed out goes to sign-in. */
const editorsOnly = (allowed: number): Expect => ({ anonymous: 303, customerA: 403, customerB: 403, agent: 403, editor: allowed, admin: allowed });

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: () => string;
  /** The posted form; may differ per actor (a new area's slug must be new each time). */
  form?: (who: ActorName) => Record<string, string> | Promise<Record<string, string>>;
  expect: Expect;
  /** Where an allowed POST leads (checked for editor and admin). */
  location?: () => RegExp;
}

/** The area's current revision, as its edit form carries it (a save names the revision it was made from). */
const areaRevision = async (id: number) => String((await query(server.dbUrl, 'SELECT updated_at FROM kb_areas WHERE id = ?', [id]))[0]!.updated_at);

const areaTexts = (suffix: string) => ({
  title_nl: `Facturen ${suffix}`,
  description_nl: 'Facturen downloaden en betalen.',
  title_en: `Invoices ${suffix}`,
  description_en: 'Download and pay invoices.',
  title_fr: `Factures ${suffix}`,
  description_fr: 'Télécharger et payer les factures.',
});

const routes: Route[] = [
  // E1: the workspace's pages
  { name: 'home', method: 'GET', path: () => '/editor', expect: editorsOnly(200) },
  { name: 'home, filtered', method: 'GET', path: () => '/editor?q=password', expect: editorsOnly(200) },
  { name: 'areas', method: 'GET', path: () => '/editor/areas', expect: editorsOnly(200) },
  { name: 'area edit page', method: 'GET', path: () => `/editor/areas/${area.slug}`, expect: editorsOnly(200) },
  { name: 'translation report', method: 'GET', path: () => '/editor/report', expect: editorsOnly(200) },
  { name: 'translation report, filtered', method: 'GET', path: () => '/editor/report?lang=fr&state=outdated', expect: editorsOnly(200) },
  // E1: the entry editor's pages (its actions and the preview API: tests/integration/editor-entry.test.ts)
  { name: 'entry editor', method: 'GET', path: () => `/editor/entries/${entry.slug}`, expect: editorsOnly(200) },
  { name: 'entry history', method: 'GET', path: () => `/editor/entries/${entry.slug}/history?lang=fr`, expect: editorsOnly(200) },
  { name: 'new entry', method: 'GET', path: () => `/editor/new?area=${area.slug}`, expect: editorsOnly(200) },
  // E1: the workspace's actions
  {
    name: 'reorder an entry',
    method: 'POST',
    path: () => '/editor',
    form: () => ({ action: 'move', entry: String(entry.id), direction: 'up' }),
    expect: editorsOnly(303),
    location: () => new RegExp(`^/editor\\?done=moved#entry-${entry.id}$`),
  },
  {
    name: 'reorder an area',
    method: 'POST',
    path: () => '/editor/areas',
    form: () => ({ action: 'move', area: String(area.id), direction: 'down' }),
    expect: editorsOnly(303),
    location: () => new RegExp(`^/editor/areas\\?done=moved#area-${area.id}$`),
  },
  {
    name: 'create an area',
    method: 'POST',
    path: () => '/editor/areas',
    form: (who) => ({ action: 'create', slug: `matrix-${who.toLowerCase()}`, ...areaTexts(who) }),
    expect: editorsOnly(303),
    location: () => /^\/editor\/areas\?done=created#area-\d+$/,
  },
  {
    name: 'update an area',
    method: 'POST',
    path: () => `/editor/areas/${area.slug}`,
    form: async (who) => ({ action: 'update', slug: area.slug, revision: await areaRevision(area.id), ...areaTexts(`updated by ${who}`) }),
    expect: editorsOnly(303),
    location: () => new RegExp(`^/editor/areas/${area.slug}\\?done=saved$`),
  },
  {
    name: 'draft an entry from a ticket (E5)',
    method: 'POST',
    path: () => '/editor',
    form: () => ({ action: 'from-ticket', ticket: String(ticket.number) }),
    expect: editorsOnly(303),
    location: () => /^\/editor\/entries\/[a-z0-9-]+$/,
  },
];

describe('E1 / A9: who may use the editor workspace', () => {
  test('E1 / A9: every workspace page and action answers anonymous, customer A, customer B, agent, editor and admin exactly as it may; refused requests write nothing', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const name of ACTOR_NAMES) {
        const who = actors[name];
        const path = route.path();
        const before = route.method === 'POST' ? await kbRows(server.dbUrl) : '';
        const res = route.method === 'GET' ? await who.device.get(path) : await who.device.post(path, (await route.form?.(name)) ?? {});
        const where = `${route.name} (${route.method} ${path}) as ${name}`;
        if (res.status !== route.expect[name]) wrong.push(`${where}: ${res.status}, expected ${route.expect[name]}`);
        const location = res.headers.get('location') ?? '';
        if (name === 'anonymous') {
          const expected = `/en/login?next=${encodeURIComponent(path)}`;
          if (location !== expected) wrong.push(`${where}: location ${location}, expected ${expected}`);
        }
        if (route.expect[name] === 403) {
          const body = await res.text();
          if (!body.includes('The editor workspace is for editors and administrators only.')) wrong.push(`${where}: no localized 403 page`);
        }
        if (route.method === 'POST' && (name === 'editor' || name === 'admin') && route.location && !route.location().test(location)) wrong.push(`${where}: location ${location}`);
        if (route.method === 'POST' && name !== 'editor' && name !== 'admin' && (await kbRows(server.dbUrl)) !== before) wrong.push(`${where}: the knowledge base changed`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('E1: the allowed actions did what they say (areas created by editor and admin, the ticket draft made once)', async () => {
    const created = await query(server.dbUrl, "SELECT slug FROM kb_areas WHERE slug LIKE 'matrix-%' ORDER BY slug");
    expect(created.map((r) => r.slug)).toEqual(['matrix-admin', 'matrix-editor']);
    const [title] = await query(server.dbUrl, "SELECT title FROM kb_area_translations WHERE area_id = ? AND lang = 'en'", [area.id]);
    expect(title!.title).toBe('Invoices updated by admin');
    const drafts = await query(server.dbUrl, 'SELECT count(*) AS n FROM kb_entry_drafts WHERE ticket_id = ?', [ticket.id]);
    expect(Number(drafts[0]!.n)).toBe(1);
  });

  test('A9: a staff member with the editor role but no 2FA is sent to 2FA enrolment before any workspace page or action', async () => {
    const id = randomId();
    await withDb(server.dbUrl, async (db) => {
      await db.insert(users).values({ id, email: `no2fa-${id.slice(0, 6)}@example.com`, name: 'No 2FA', username: `no2fa-${id.slice(0, 6)}`, passwordHash: '!not-used', role: 'editor', emailVerifiedAt: Date.now(), locale: 'en' });
    });
    const token = await withDb(server.dbUrl, async (db) => (await createSession(db, { id, role: 'editor' }, { ip: '127.0.0.1', userAgent: 'editor-access', twoFactorVerified: true, reauthenticated: true })).token);
    const device = new Device(server.origin);
    device.cookies.set('session', token);
    for (const route of routes) {
      const before = await kbRows(server.dbUrl);
      const path = route.path();
      const res = route.method === 'GET' ? await device.get(path) : await device.post(path, (await route.form?.('editor')) ?? {});
      expect(res.status, `${route.method} ${path}`).toBe(303);
      expect(res.headers.get('location'), `${route.method} ${path}`).toBe('/en/account/two-factor');
      expect(await kbRows(server.dbUrl), `${route.method} ${path}`).toBe(before);
    }
    // With 2FA on, the same account is let in.
    await query(server.dbUrl, 'UPDATE users SET totp_secret = ?, totp_enabled_at = ? WHERE id = ?', [generateSecret(), Date.now(), id]);
    expect((await device.get('/editor')).status).toBe(200);
  });
});
