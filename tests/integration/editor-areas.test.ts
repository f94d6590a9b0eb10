// E1 / E3 / K2 / N2: areas through the real workspace pages — a new area is on the help center's
// home page in nl, en and fr at once; a new title too; a new slug moves the address (the old one
// is remembered as a redirect); Up/Down changes the home page's order; bad input is refused with
// a localized message per field, the input kept, and nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Actor, ActorName } from '../helpers/actors.ts';
import { kbRows, startEditorServer, textOf } from '../helpers/editor.ts';
import { Device, query } from '../helpers/http.ts';
import type { RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
let visitor: Device;

beforeAll(async () => {
  ({ server, actors, visitor } = await startEditorServer());
  // The admin works in Dutch: the workspace speaks the editor's own language (A16).
  await query(server.dbUrl, "UPDATE users SET locale = 'nl' WHERE id = ?", [actors.admin.id!]);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const texts = {
  title_nl: 'Facturen en abonnementen',
  description_nl: 'Facturen downloaden, betalen en je abonnement wijzigen',
  title_en: 'Billing and plans',
  description_en: 'Download and pay invoices, change your plan',
  title_fr: 'Factures et abonnements',
  description_fr: 'Télécharger et payer les factures, changer d’abonnement',
};

/** The area slugs in the order the help center's home page shows them. */
async function homeOrder(lang: string): Promise<string[]> {
  const html = await (await visitor.get(`/${lang}/`)).text();
  return [...html.matchAll(/class="area-card" href="\/[a-z]{2}\/([a-z0-9-]+)\/"/g)].map((m) => m[1]!);
}

/** The area's current revision, as its edit form carries it (a save names the revision it was made from). */
async function revisionOf(slug: string): Promise<string> {
  const [row] = await query(server.dbUrl, 'SELECT updated_at FROM kb_areas WHERE slug = ?', [slug]);
  return String(row!.updated_at);
}

async function areaId(slug: string): Promise<number> {
  const [row] = await query(server.dbUrl, 'SELECT id FROM kb_areas WHERE slug = ?', [slug]);
  return Number(row!.id);
}

describe('E1 / E3: areas from the workspace', () => {
  test('E3 / K2: a new area is on the home page in nl, en and fr at once, with its page; a new title is too', async () => {
    const editor = actors.editor.device;
    const res = await editor.post('/editor/areas', { action: 'create', slug: 'billing', ...texts });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/editor\/areas\?done=created#area-\d+$/);
    const listed = textOf(await (await editor.get(res.headers.get('location')!)).text());
    expect(listed).toContain('The area has been created and is live in every language.');
    expect(listed).toContain('Billing and plans');

    for (const [lang, title, description] of [
      ['nl', texts.title_nl, texts.description_nl],
      ['en', texts.title_en, texts.description_en],
      ['fr', texts.title_fr, texts.description_fr],
    ] as const) {
      const home = textOf(await (await visitor.get(`/${lang}/`)).text());
      expect(home, lang).toContain(title);
      expect(home, lang).toContain(description);
      expect(await homeOrder(lang), lang).toContain('billing');
      const page = await visitor.get(`/${lang}/billing/`);
      expect(page.status, lang).toBe(200);
      expect(textOf(await page.text()), lang).toContain(title);
    }

    // Retitle: the edit page keeps the slug, the new texts are live at once.
    const edit = await editor.post('/editor/areas/billing', { action: 'update', slug: 'billing', revision: await revisionOf('billing'), ...texts, title_en: 'Invoices and plans' });
    expect(edit.status).toBe(303);
    expect(edit.headers.get('location')).toBe('/editor/areas/billing?done=saved');
    expect(textOf(await (await visitor.get('/en/')).text())).toContain('Invoices and plans');
    expect(textOf(await (await visitor.get('/en/billing/')).text())).toContain('Invoices and plans');
    const editPage = textOf(await (await editor.get('/editor/areas/billing?done=saved')).text());
    expect(editPage).toContain('The area has been saved; visitors see the change at once.');
  });

  test('E1: a new slug moves the area to a new address and remembers the old one as a redirect', async () => {
    const editor = actors.editor.device;
    await editor.post('/editor/areas', { action: 'create', slug: 'old-name', ...texts, title_en: 'Renamed area' });
    const id = await areaId('old-name');
    const res = await editor.post('/editor/areas/old-name', { action: 'update', slug: 'new-name', revision: await revisionOf('old-name'), ...texts, title_en: 'Renamed area' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/editor/areas/new-name?done=saved');
    expect((await editor.get('/editor/areas/new-name')).status).toBe(200);
    expect((await editor.get('/editor/areas/old-name')).status).toBe(404);
    for (const lang of ['nl', 'en', 'fr']) expect((await visitor.get(`/${lang}/new-name/`)).status, lang).toBe(200);
    const redirects = await query(server.dbUrl, "SELECT target_id FROM kb_slug_redirects WHERE kind = 'area' AND old_slug = 'old-name'");
    expect(redirects.map((r) => Number(r.target_id))).toEqual([id]);
    // the old public address answers 301 with the new one in every language
    for (const lang of ['nl', 'en', 'fr']) {
      const old = await visitor.get(`/${lang}/old-name/`);
      expect(old.status, lang).toBe(301);
      expect(old.headers.get('location'), lang).toBe(`/${lang}/new-name/`);
    }
  });

  test('E1 / K2: Up and Down change the order of the areas on the home page', async () => {
    const before = await homeOrder('en');
    expect(before.length).toBeGreaterThanOrEqual(3);
    const [first, second] = before;
    const res = await actors.editor.device.post('/editor/areas', { action: 'move', area: String(await areaId(second!)), direction: 'up' });
    expect(res.status).toBe(303);
    const after = await homeOrder('en');
    expect(after.slice(0, 2)).toEqual([second, first]);
    expect(await homeOrder('fr')).toEqual(after);
    // The workspace lists them in the same order.
    const listed = await (await actors.editor.device.get('/editor/areas')).text();
    expect([...listed.matchAll(/data-area="([a-z0-9-]+)"/g)].map((m) => m[1])).toEqual(after);
    // Down again restores it; the last one cannot go further down (nothing changes, no error).
    await actors.editor.device.post('/editor/areas', { action: 'move', area: String(await areaId(second!)), direction: 'down' });
    expect(await homeOrder('en')).toEqual(before);
    const last = before.at(-1)!;
    expect((await actors.editor.device.post('/editor/areas', { action: 'move', area: String(await areaId(last)), direction: 'down' })).status).toBe(303);
    expect(await homeOrder('en')).toEqual(before);
    // Unknown area or direction: refused, nothing written.
    const rows = await kbRows(server.dbUrl);
    expect((await actors.editor.device.post('/editor/areas', { action: 'move', area: '999999', direction: 'up' })).status).toBe(404);
    expect((await actors.editor.device.post('/editor/areas', { action: 'move', area: String(await areaId(first!)), direction: 'sideways' })).status).toBe(400);
    expect(await kbRows(server.dbUrl)).toBe(rows);
  });

  test('E1: two editors save the same area: the second is told it changed (409), sees the saved version, keeps their text; nothing of theirs is written until they save again', async () => {
    const opened = await revisionOf('getting-started'); // both open the edit page
    const first = await actors.editor.device.post('/editor/areas/getting-started', { action: 'update', slug: 'getting-started', revision: opened, ...texts, title_en: 'First editor title' });
    expect(first.status).toBe(303);
    const before = await kbRows(server.dbUrl);
    const second = await actors.admin.device.post('/editor/areas/getting-started', { action: 'update', slug: 'getting-started', revision: opened, ...texts, title_en: 'Second editor title' });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('Iemand anders heeft dit gebied opgeslagen nadat jij het opende.'); // the admin works in Dutch
    expect(html).toContain('data-theirs');
    expect(textOf(html)).toContain('First editor title');
    expect(html).toContain('value="Second editor title"');
    expect(await kbRows(server.dbUrl)).toBe(before);
    expect(textOf(await (await visitor.get('/en/')).text())).toContain('First editor title');
    // The form now carries the revision they have seen: saving again is a knowing overwrite.
    const revision = /name="revision" value="([^"]+)"/.exec(html)![1]!;
    expect(revision).toBe(await revisionOf('getting-started'));
    const again = await actors.admin.device.post('/editor/areas/getting-started', { action: 'update', slug: 'getting-started', revision, ...texts, title_en: 'Second editor title' });
    expect(again.status).toBe(303);
    expect(textOf(await (await visitor.get('/en/')).text())).toContain('Second editor title');
  });

  test('N2: bad input (a title missing in one language, a too long description, an invalid, taken or reserved slug) is refused with a localized message per field, the input kept, nothing written', async () => {
    const cases: Array<{ name: string; who: 'editor' | 'admin'; path: string; form: Record<string, string>; message: string; kept: string }> = [
      { name: 'missing French title', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'payments', ...texts, title_fr: '  ' }, message: 'Give a title in French.', kept: 'Download and pay invoices, change your plan' },
      { name: 'too long description', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'payments', ...texts, description_nl: 'x'.repeat(201) }, message: 'A description can be at most 200 characters long.', kept: 'x'.repeat(201) },
      { name: 'invalid slug', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'Betalen & Co', ...texts }, message: 'Use only lowercase letters, digits and single hyphens', kept: 'Betalen &amp; Co' },
      { name: 'taken slug', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'account-security', ...texts }, message: 'Another area already uses this slug.', kept: 'account-security' },
      { name: 'reserved slug', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'search', ...texts }, message: 'This slug is reserved for a page of the help center.', kept: 'Billing and plans' },
      { name: 'reserved slug (a locale)', who: 'editor', path: '/editor/areas', form: { action: 'create', slug: 'nl', ...texts }, message: 'This slug is reserved for a page of the help center.', kept: 'Facturen en abonnementen' },
      { name: 'rename to a taken slug', who: 'editor', path: '/editor/areas/getting-started', form: { action: 'update', slug: 'support-tickets', ...texts }, message: 'Another area already uses this slug.', kept: 'Factures et abonnements' },
      { name: 'rename to a reserved slug', who: 'editor', path: '/editor/areas/getting-started', form: { action: 'update', slug: 'account', ...texts }, message: 'This slug is reserved for a page of the help center.', kept: 'Facturen en abonnementen' },
      { name: 'empty title on edit', who: 'editor', path: '/editor/areas/getting-started', form: { action: 'update', slug: 'getting-started', ...texts, title_nl: '' }, message: 'Give a title in Dutch.', kept: 'Billing and plans' },
      // The same refusals in the editor's own language (the admin works in Dutch).
      { name: 'missing English title, in Dutch', who: 'admin', path: '/editor/areas', form: { action: 'create', slug: 'payments', ...texts, title_en: '' }, message: 'Geef een titel in het Engels.', kept: 'Facturen en abonnementen' },
      { name: 'reserved slug, in Dutch', who: 'admin', path: '/editor/areas', form: { action: 'create', slug: 'staff', ...texts }, message: 'Deze slug is gereserveerd voor een pagina van het helpcentrum.', kept: 'Billing and plans' },
    ];
    for (const c of cases) {
      const before = await kbRows(server.dbUrl);
      const form = c.form.action === 'update' ? { ...c.form, revision: await revisionOf(c.path.split('/').pop()!) } : c.form;
      const res = await actors[c.who].device.post(c.path, form);
      expect(res.status, c.name).toBe(400);
      const html = await res.text();
      expect(html, c.name).toContain(c.message);
      expect(html, c.name).toContain(c.kept);
      expect(html, c.name).toMatch(/aria-invalid="true"[^>]*aria-describedby="[^"]*-error"|aria-describedby="[^"]*-error"[^>]*aria-invalid="true"/);
      expect(html, c.name).toContain(c.who === 'admin' ? 'Het gebied is niet opgeslagen.' : 'The area was not saved.');
      expect(await kbRows(server.dbUrl), c.name).toBe(before);
    }
    // The refusals left no trace on the public site either.
    expect(await homeOrder('en')).not.toContain('payments');
    expect((await visitor.get('/en/payments/')).status).toBe(404);
  });
});
