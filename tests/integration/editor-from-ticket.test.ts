// E5 through the real server: "Draft an entry from this ticket" in the staff console. From a
// resolved ticket an agent makes a draft entry in the ticket's language — subject as question,
// the answers given (never an internal note) as answer. It is invisible to visitors, search and
// the sitemap until an editor publishes it; customers and editors cannot trigger it in the
// console, an open ticket is refused, and asking twice gives the same draft. A draft that should
// not become an article is deleted by an editor.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { loadEditorEntry, publishDraft, saveDrafts } from '../../src/server/editor/entries.ts';
import { replyAsAgent, setTicketStatus } from '../../src/server/tickets/workflow.ts';
import { createActors, type Actor, type ActorName } from '../helpers/actors.ts';
import { query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { openTicket } from '../helpers/staff.ts';

let server: RunningServer;
let db: Db;
let actors: Record<ActorName, Actor>;

beforeAll(async () => {
  // The publish below is written by this test's own connection, not through the server: read the KB version on every request.
  server = await startServer({ TRUST_PROXY: '1', KB_VERSION_TTL_MS: '0' });
  db = await openDatabase({ url: server.dbUrl });
  actors = await createActors(server.origin, server.dbUrl);
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

const agentOf = () => ({ id: actors.agent.id!, role: 'agent' as const });
const counts = async () => {
  const [row] = await query(server.dbUrl, 'SELECT (SELECT count(*) FROM kb_entries) AS entries, (SELECT count(*) FROM kb_entry_drafts) AS drafts, (SELECT count(*) FROM kb_entry_translations) AS published');
  return { ...row };
};

/** A ticket from customer A in `lang`, answered by the agent (plus an internal note), then resolved unless told otherwise. */
async function answeredTicket(subject: string, lang: 'nl' | 'en' | 'fr', { resolve = true, answer = true } = {}) {
  const ticket = await openTicket(server.dbUrl, actors.customerA.device, subject, 'My name is Cora Customer and my phone is 0612345678.', lang);
  await replyAsAgent(db, agentOf(), ticket.id, 'INTERNAL: customer sounded upset, check audit log', { internal: true, origin: server.origin });
  if (answer) expect(await replyAsAgent(db, agentOf(), ticket.id, `Open Settings, then choose **Print** (${subject}).`, { origin: server.origin })).toMatchObject({ ok: true });
  if (resolve) expect(await setTicketStatus(db, agentOf(), ticket.id, 'resolved')).toMatchObject({ ok: true });
  return ticket;
}

describe('E5: draft an entry from a resolved ticket', () => {
  test('E5: an agent drafts from a resolved ticket: question and answer prefilled in the ticket’s language, no internal note, invisible to visitors, search and the sitemap', async () => {
    const ticket = await answeredTicket('Comment imprimer ma facture quokkafrance', 'fr');
    const page = await actors.agent.device.get(`/staff/tickets/${ticket.number}`);
    const html = await page.text();
    expect(html).toContain('value="draft-entry"');
    const res = await actors.agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/tickets/${ticket.number}?done=draft-entry`);

    const [row] = await query(server.dbUrl, 'SELECT slug FROM kb_entries WHERE from_ticket_id = ?', [ticket.id]);
    const slug = String(row!.slug);
    expect(slug).toBe('comment-imprimer-ma-facture-quokkafrance');
    const entry = (await loadEditorEntry(db, slug))!;
    expect(entry).toMatchObject({ sourceLang: 'fr', isPublic: false });
    expect(entry.langs.fr.draft).toMatchObject({ question: 'Comment imprimer ma facture quokkafrance', tags: [], ticketId: ticket.id, updatedBy: actors.agent.id });
    expect(entry.langs.fr.draft!.answerMd).toBe('Open Settings, then choose **Print** (Comment imprimer ma facture quokkafrance).');
    expect(entry.langs.fr.draft!.answerMd).not.toContain('INTERNAL');
    expect(entry.langs.nl.draft).toBeNull();
    expect(entry.langs.en.draft).toBeNull();

    // Not public anywhere.
    for (const lang of ['nl', 'en', 'fr']) {
      expect((await actors.anonymous.device.get(`/${lang}/${entry.areaSlug}/${slug}`)).status).toBe(404);
      expect(await (await actors.anonymous.device.get(`/${lang}/search?q=quokkafrance`)).text()).not.toContain(slug);
      expect(await (await actors.anonymous.device.get(`/${lang}/search-index.json`)).text()).not.toContain('quokkafrance');
    }
    expect(await (await actors.anonymous.device.get('/sitemap.xml')).text()).not.toContain(slug);

    // The console now says a draft exists; asking again gives the same one.
    expect(await (await actors.agent.device.get(`/staff/tickets/${ticket.number}`)).text()).toContain(slug);
    const before = await counts();
    const again = await actors.agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(again.headers.get('location')).toBe(`/staff/tickets/${ticket.number}?done=draft-entry-exists`);
    expect(await counts()).toEqual(before);

    // Publishing (after the editor picked a tag and cleaned it) makes it public; the ticket still links to it.
    const s = await saveDrafts(db, { id: actors.editor.id! }, entry.id, entry.editRevision, { fr: { question: 'Comment imprimer ma facture ?', answer: 'Ouvrez Réglages puis **Imprimer** quokkafrance.', tags: ['tickets'] } });
    expect(s.ok).toBe(true);
    expect(await publishDraft(db, { id: actors.editor.id! }, entry.id, 'fr', s.ok ? s.editRevision : -1)).toMatchObject({ ok: true });
    expect((await actors.anonymous.device.get(`/fr/${entry.areaSlug}/${slug}`)).status).toBe(200);
    expect(await (await actors.anonymous.device.get('/fr/search?q=quokkafrance')).text()).toContain(slug);
    const stillOne = await actors.agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(stillOne.headers.get('location')).toBe(`/staff/tickets/${ticket.number}?done=draft-entry-exists`);
  });

  test('E5 / E1: a draft from a ticket that should not become an article is deleted by an editor (after a confirmation); the ticket can then be drafted again; customers and agents cannot delete', async () => {
    const ticket = await answeredTicket('Throwaway quokkadelete question', 'en');
    expect((await actors.agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' })).status).toBe(303);
    const slug = 'throwaway-quokkadelete-question';
    const page = await actors.editor.device.get(`/editor/entries/${slug}`);
    expect(await page.text()).toContain(`href="/editor/entries/${slug}?delete=1#confirm-delete"`);
    const confirm = await (await actors.editor.device.get(`/editor/entries/${slug}?delete=1`)).text();
    expect(confirm).toContain('value="delete"');
    const revision = /value="delete"[^>]*>[^<]*<input[^>]*name="revision"[^>]*value="(\d+)"/.exec(confirm)?.[1];
    expect(revision).toBeDefined();

    const before = await counts();
    for (const name of ['customerA', 'agent'] as const) {
      expect((await actors[name].device.post(`/editor/entries/${slug}`, { action: 'delete', revision: revision! })).status, name).toBe(403);
    }
    expect(await counts()).toEqual(before);

    const res = await actors.editor.device.post(`/editor/entries/${slug}`, { action: 'delete', revision: revision! });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/editor?done=deleted&slug=${slug}`);
    expect(await (await actors.editor.device.get(res.headers.get('location')!)).text()).toContain(`The entry “${slug}” has been deleted.`);
    expect(await query(server.dbUrl, 'SELECT id FROM kb_entries WHERE slug = ?', [slug])).toEqual([]);
    expect((await actors.agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' })).headers.get('location')).toBe(`/staff/tickets/${ticket.number}?done=draft-entry`);

    // A published entry cannot be deleted: 409, nothing written.
    const [published] = await query(server.dbUrl, "SELECT e.slug, e.edit_revision FROM kb_entries e JOIN kb_entry_translations t ON t.entry_id = e.id WHERE t.lang = 'en' LIMIT 1");
    const beforePublished = await counts();
    const refused = await actors.editor.device.post(`/editor/entries/${published!.slug}`, { action: 'delete', revision: String(published!.edit_revision) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('This entry is published. Unpublish every language before deleting it.');
    expect(await counts()).toEqual(beforePublished);
  });

  test('E5: the admin may draft too and gets a link to the editor', async () => {
    const ticket = await answeredTicket('Where is my admin quokkalink', 'en');
    const res = await actors.admin.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(res.status).toBe(303);
    const html = await (await actors.admin.device.get(`/staff/tickets/${ticket.number}`)).text();
    expect(html).toContain('href="/editor/entries/where-is-my-admin-quokkalink"');
    // an agent is not an editor: no link into the workspace
    expect(await (await actors.agent.device.get(`/staff/tickets/${ticket.number}`)).text()).not.toContain('href="/editor/entries/');
  });

  test('E5 / N2: an open ticket, or one without an answer to the customer, is refused with a clear message and nothing written', async () => {
    const open = await answeredTicket('Still open quokka', 'en', { resolve: false });
    expect(await (await actors.agent.device.get(`/staff/tickets/${open.number}`)).text()).not.toContain('value="draft-entry"');
    const before = await counts();
    const refused = await actors.agent.device.post(`/staff/tickets/${open.number}`, { action: 'draft-entry' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Only a resolved or closed ticket can become a knowledge-base entry.');
    const unanswered = await answeredTicket('Never answered quokka', 'nl', { answer: false });
    const refused2 = await actors.agent.device.post(`/staff/tickets/${unanswered.number}`, { action: 'draft-entry' });
    expect(refused2.status).toBe(409);
    expect(await refused2.text()).toContain('This ticket has no answer to the customer yet');
    expect(await counts()).toEqual(before);
  });

  test('E5: customers and editors cannot trigger it in the console (403, nothing written); anonymous is sent to sign in', async () => {
    const ticket = await answeredTicket('Customer tries quokka', 'en');
    const before = await counts();
    for (const name of ['customerA', 'customerB', 'editor'] as const) {
      const res = await actors[name].device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
      expect(res.status, name).toBe(403);
    }
    const anon = await actors.anonymous.device.post(`/staff/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/\/login\?next=/);
    // the customer's own ticket page has no such action, and posting it there changes nothing either
    await actors.customerA.device.post(`/en/support/tickets/${ticket.number}`, { action: 'draft-entry' });
    expect(await counts()).toEqual(before);
  });
});
