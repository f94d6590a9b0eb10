// E1 / E3 / E5: the workspace's home page through the real server — Up/Down changes the order
// visitors see at once; the filter finds entries by question and slug; a resolved ticket becomes a
// draft entry (listed under Drafts "from ticket #N", never public: no page, no search hit, not in
// the sitemap, no internal note), asking twice opens the same draft, and a ticket that cannot
// become one is refused with nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Actor, ActorName } from '../helpers/actors.ts';
import { arrangeTicket, kbRows, startEditorServer, textOf } from '../helpers/editor.ts';
import { Device, query } from '../helpers/http.ts';
import type { RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
let visitor: Device;

beforeAll(async () => {
  ({ server, actors, visitor } = await startEditorServer());
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** The entry slugs of an area in the order its public page lists them. */
async function publicOrder(lang: string, area: string): Promise<string[]> {
  const html = await (await visitor.get(`/${lang}/${area}/`)).text();
  return [...html.matchAll(new RegExp(`<li class="entry-card"[^>]*>\\s*<h2><a href="/${lang}/${area}/([a-z0-9-]+)"`, 'g'))].map((m) => m[1]!);
}

/** The entry slugs of an area in the order the workspace lists them. */
function workspaceOrder(html: string, area: string): string[] {
  const section = new RegExp(`<section[^>]*data-area="${area}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  return [...section.matchAll(/data-entry="([a-z0-9-]+)"/g)].map((m) => m[1]!);
}

async function entryId(slug: string): Promise<number> {
  const [row] = await query(server.dbUrl, 'SELECT id FROM kb_entries WHERE slug = ?', [slug]);
  return Number(row!.id);
}

const ticketPeople = () => ({ customer: { id: actors.customerA.id!, email: actors.customerA.email! }, agent: { id: actors.agent.id! } });

describe('E1 / E3: the workspace home', () => {
  test('E1 / E3: Up and Down reorder the entries of an area, and visitors see the new order at once in every language', async () => {
    const editor = actors.editor.device;
    const before = await publicOrder('en', 'getting-started');
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(workspaceOrder(await (await editor.get('/editor')).text(), 'getting-started')).toEqual(before);
    const [first, second] = before;

    const up = await editor.post('/editor', { action: 'move', entry: String(await entryId(second!)), direction: 'up' });
    expect(up.status).toBe(303);
    expect(up.headers.get('location')).toBe(`/editor?done=moved#entry-${await entryId(second!)}`);
    const moved = [second!, first!, ...before.slice(2)];
    for (const lang of ['nl', 'en', 'fr']) expect(await publicOrder(lang, 'getting-started'), lang).toEqual(moved);
    const page = await (await editor.get('/editor?done=moved')).text();
    expect(workspaceOrder(page, 'getting-started')).toEqual(moved);
    expect(textOf(page)).toContain('The order has been changed; visitors see it at once.');

    // Down brings it back; the first cannot go up, the last cannot go down (their buttons are disabled).
    expect((await editor.post('/editor', { action: 'move', entry: String(await entryId(second!)), direction: 'down' })).status).toBe(303);
    expect(await publicOrder('en', 'getting-started')).toEqual(before);
    const html = await (await editor.get('/editor')).text();
    const buttons = (slug: string) => new RegExp(`data-entry="${slug}"[\\s\\S]*?</form>`).exec(html)![0];
    expect(buttons(before[0]!)).toMatch(/value="up" disabled/);
    expect(buttons(before.at(-1)!)).toMatch(/value="down" disabled/);

    // A move made while filtering keeps the filter.
    const filtered = await editor.post('/editor', { action: 'move', entry: String(await entryId(before.at(-1)!)), direction: 'up', q: 'help' });
    expect(filtered.headers.get('location')).toBe(`/editor?q=help&done=moved#entry-${await entryId(before.at(-1)!)}`);
    expect((await editor.post('/editor', { action: 'move', entry: String(await entryId(before.at(-1)!)), direction: 'down' })).status).toBe(303);
    expect(await publicOrder('en', 'getting-started')).toEqual(before);

    // Unknown entry or direction: refused, nothing written.
    const rows = await kbRows(server.dbUrl);
    const missing = await editor.post('/editor', { action: 'move', entry: '999999', direction: 'up' });
    expect(missing.status).toBe(404);
    expect(textOf(await missing.text())).toContain('That entry no longer exists.');
    expect((await editor.post('/editor', { action: 'move', entry: String(await entryId(first!)), direction: 'left' })).status).toBe(400);
    expect((await editor.post('/editor', { action: 'dance' })).status).toBe(400);
    expect(await kbRows(server.dbUrl)).toBe(rows);
  });

  test('E1: the filter finds entries by question (any case, any accents) and by slug', async () => {
    const editor = actors.editor.device;
    const [row] = await query(server.dbUrl, "SELECT e.slug, t.question FROM kb_entries e JOIN kb_entry_translations t ON t.entry_id = e.id AND t.lang = 'en' WHERE e.slug = 'password-requirements'");
    const question = String(row!.question);
    const byQuestion = await (await editor.get(`/editor?q=${encodeURIComponent(question.toUpperCase())}`)).text();
    expect(byQuestion).toContain('data-entry="password-requirements"');
    expect([...byQuestion.matchAll(/data-entry="/g)].length).toBeLessThan(10);
    const bySlug = await (await editor.get('/editor?q=password-requirements')).text();
    expect(bySlug).toContain('data-entry="password-requirements"');
    expect(textOf(bySlug)).toMatch(/\d+ entr(y matches|ies match) “password-requirements”/);
    // The editor's own language, accents ignored.
    await query(server.dbUrl, "UPDATE users SET locale = 'fr' WHERE id = ?", [actors.admin.id!]);
    const [fr] = await query(server.dbUrl, "SELECT t.question FROM kb_entries e JOIN kb_entry_translations t ON t.entry_id = e.id AND t.lang = 'fr' WHERE e.slug = 'password-requirements'");
    const plain = String(fr!.question).normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    expect((await (await actors.admin.device.get(`/editor?q=${encodeURIComponent(plain)}`)).text())).toContain('data-entry="password-requirements"');
    const none = await (await editor.get('/editor?q=zzqqxx-nothing')).text();
    expect(textOf(none)).toContain('No entry matches “zzqqxx-nothing”.');
    expect(none).not.toContain('data-entry="');
  });
});

describe('E5: a draft entry from a resolved ticket', () => {
  const UNIQUE = 'quokkaflatbread';
  const NOTE = 'INTERNAL-ONLY customer seemed annoyed, account 4711';

  test('E5: a resolved ticket becomes a draft listed under Drafts "from ticket #N"; it is not public (no page, no search hit, not in the sitemap) and holds no internal note; asking twice opens the same draft', async () => {
    const ticket = await arrangeTicket(server.dbUrl, {
      ...ticketPeople(),
      subject: 'Can I keep my recovery codes on paper?',
      question: 'My name is Jane Example and I want to print my codes.',
      note: NOTE,
      reply: `Yes: print them and keep the paper somewhere safe, like a ${UNIQUE} tin. Each code works once.`,
      status: 'resolved',
    });
    const editor = actors.editor.device;
    const res = await editor.post('/editor', { action: 'from-ticket', ticket: String(ticket.number) });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/editor\/entries\/[a-z0-9-]+$/);
    const slug = location.split('/').pop()!;

    const [draft] = await query(server.dbUrl, 'SELECT d.lang, d.question, d.answer_md, e.id, a.slug AS area FROM kb_entry_drafts d JOIN kb_entries e ON e.id = d.entry_id JOIN kb_areas a ON a.id = e.area_id WHERE d.ticket_id = ?', [ticket.id]);
    expect(draft!.lang).toBe('en');
    expect(draft!.question).toBe('Can I keep my recovery codes on paper?');
    expect(String(draft!.answer_md)).toContain(UNIQUE);
    expect(String(draft!.answer_md)).not.toContain('INTERNAL-ONLY');
    expect(String(draft!.answer_md)).not.toContain('Jane Example');
    expect((await query(server.dbUrl, 'SELECT count(*) AS n FROM kb_entry_translations WHERE entry_id = ?', [Number(draft!.id)]))[0]!.n).toBe(0);

    // Listed under Drafts with its ticket, not yet published.
    const home = await (await editor.get('/editor')).text();
    const drafts = /<section[^>]*data-drafts[^>]*>([\s\S]*?)<\/section>/.exec(home)![1]!;
    expect(drafts).toContain(`data-draft="${slug}"`);
    expect(textOf(drafts)).toContain('Can I keep my recovery codes on paper?');
    expect(textOf(drafts)).toContain(`from ticket #${ticket.number}`);
    expect(textOf(drafts)).toContain('not published yet');
    expect(home).not.toContain('INTERNAL-ONLY');

    // Not public: no page in any language, no search hit, not in the index or the sitemap.
    for (const lang of ['nl', 'en', 'fr']) {
      expect((await visitor.get(`/${lang}/${draft!.area}/${slug}`)).status, lang).toBe(404);
      const search = await (await visitor.get(`/${lang}/search?q=${UNIQUE}`)).text();
      expect(search, lang).not.toContain(`/${slug}"`);
      expect(await (await visitor.get(`/${lang}/search-index.json`)).text(), lang).not.toContain(UNIQUE);
    }
    expect(await (await visitor.get('/sitemap.xml')).text()).not.toContain(slug);

    // Asking again (editor or admin) opens the same draft; nothing new is written.
    const rows = await kbRows(server.dbUrl);
    for (const who of [actors.editor, actors.admin]) {
      const again = await who.device.post('/editor', { action: 'from-ticket', ticket: `#${ticket.number}` });
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe(location);
    }
    expect(await kbRows(server.dbUrl)).toBe(rows);
  });

  test('E5 / N2: a ticket that is not resolved, has no answer, does not exist, or a number that is not one, is refused with a localized message, the input kept, nothing written', async () => {
    const open = await arrangeTicket(server.dbUrl, { ...ticketPeople(), subject: 'Still open question', reply: 'We are looking into it.', status: 'open' });
    const pending = await arrangeTicket(server.dbUrl, { ...ticketPeople(), subject: 'Waiting on the customer', reply: 'Could you send a screenshot?', status: 'pending' });
    const silent = await arrangeTicket(server.dbUrl, { ...ticketPeople(), subject: 'Solved without a word', note: 'Closed after a phone call.', status: 'resolved' });
    const cases = [
      { ticket: String(open.number), status: 400, message: `Ticket #${open.number} is not resolved yet. Only a resolved or closed ticket can become a draft.` },
      { ticket: String(pending.number), status: 400, message: `Ticket #${pending.number} is not resolved yet.` },
      { ticket: String(silent.number), status: 400, message: `Ticket #${silent.number} has no reply from support to start from.` },
      { ticket: '999999', status: 404, message: 'There is no ticket #999999.' },
      { ticket: 'abc', status: 400, message: 'Enter a ticket number, digits only.' },
      { ticket: '', status: 400, message: 'Enter a ticket number, digits only.' },
    ];
    for (const c of cases) {
      const rows = await kbRows(server.dbUrl);
      const res = await actors.editor.device.post('/editor', { action: 'from-ticket', ticket: c.ticket });
      expect(res.status, c.ticket).toBe(c.status);
      const html = await res.text();
      expect(textOf(html), c.ticket).toContain(c.message);
      const input = /<input[^>]*name="ticket"[^>]*>/.exec(html)?.[0] ?? '';
      if (c.ticket) expect(input, c.ticket).toContain(`value="${c.ticket}"`);
      expect(input, c.ticket).toContain('aria-invalid="true"');
      expect(input, c.ticket).toContain('aria-describedby="from-ticket-hint from-ticket-error"');
      expect(html.includes('id="from-ticket-error"'), c.ticket).toBe(true);
      expect(await kbRows(server.dbUrl), c.ticket).toBe(rows);
    }
    // In the editor's own language.
    await query(server.dbUrl, "UPDATE users SET locale = 'nl' WHERE id = ?", [actors.admin.id!]);
    const nl = await actors.admin.device.post('/editor', { action: 'from-ticket', ticket: String(open.number) });
    expect(nl.status).toBe(400);
    expect(textOf(await nl.text())).toContain(`Ticket #${open.number} is nog niet opgelost.`);
  });
});
