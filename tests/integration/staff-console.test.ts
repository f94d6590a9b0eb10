// S1–S4 through the real server: who may open the staff console and act in it, bad input
// refused with nothing written, internal notes never reaching the customer, the queue's views,
// counts, filters and search, canned replies per language, and account actions in the panel.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { openTicket, person, readStream, write, type Person } from '../helpers/staff.ts';

let server: RunningServer;
let customer: Person;
let otherCustomer: Person;
let agent: Person;
let secondAgent: Person;
let editor: Person;
let admin: Person;
let ticket: { number: number; id: string };

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
  const o = server.origin;
  const d = server.dbUrl;
  [customer, otherCustomer, agent, secondAgent, editor, admin] = await Promise.all([
    person(o, d, 'cora@example.com', 'customer', 'Cora Customer'),
    person(o, d, 'otto@example.com', 'customer', 'Otto Other'),
    person(o, d, 'agnes@example.com', 'agent', 'Agnes Agent'),
    person(o, d, 'bert@example.com', 'agent', 'Bert Agent'),
    person(o, d, 'edie@example.com', 'editor', 'Edie Editor'),
    person(o, d, 'ada@example.com', 'admin', 'Ada Admin'),
  ]);
  ticket = await openTicket(d, customer.device, 'Cannot change my email', 'The link in the email does not work.');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function counts() {
  const [row] = await query(
    server.dbUrl,
    `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_messages) AS messages, (SELECT count(*) FROM ticket_events) AS events,
            (SELECT count(*) FROM security_events WHERE type LIKE 'staff.%') AS audits, (SELECT count(*) FROM canned_replies) AS canned,
            (SELECT group_concat(status || ':' || coalesce(assignee_id, '-')) FROM tickets) AS states, (SELECT count(*) FROM mail_outbox) AS mails`,
  );
  return { ...row };
}

const PAGES = () => ['/staff', `/staff/tickets/${ticket.number}`, '/staff/canned'];
const ADMIN_PAGES = ['/staff/admin/staff', '/staff/admin/security'];

describe('S1–S5 access: anonymous to sign-in, customers and editors refused, agents and admins in, admin pages for admins only', () => {
  test('S1 / S5: anonymous visitors are sent to sign in (and back); nothing of the console shows', async () => {
    const anon = new Device(server.origin);
    for (const path of [...PAGES(), ...ADMIN_PAGES]) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe(`/en/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of ['/api/staff/queue', '/api/staff/kb-links?lang=en&q=password']) expect((await anon.get(path)).status, path).toBe(401);
  });

  test('S1 / S2: customers and editors get 403 on every console page, endpoint and action; nothing is written', async () => {
    const before = await counts();
    for (const who of [customer, editor]) {
      for (const path of [...PAGES(), ...ADMIN_PAGES]) {
        const res = await who.device.get(path);
        expect(res.status, `${who.email} ${path}`).toBe(403);
        const html = await res.text();
        expect(html).not.toContain('Cannot change my email');
        expect(html).not.toContain('data-queue-live');
        expect(html).not.toContain('href="/staff/canned"');
      }
      for (const path of ['/api/staff/queue', '/api/staff/kb-links?lang=en&q=password', '/api/staff/events']) expect((await who.device.get(path)).status, path).toBe(403);
      const forms: Array<Record<string, string>> = [{ action: 'claim' }, { action: 'message', mode: 'note', body: 'sneaky' }, { action: 'status', status: 'resolved' }, { action: 'account', accountAction: 'suspend', reason: 'x' }];
      for (const form of forms) {
        expect((await who.device.post(`/staff/tickets/${ticket.number}`, form)).status, JSON.stringify(form)).toBe(403);
      }
      expect((await who.device.post('/staff/canned', { action: 'create', locale: 'en', title: 'T', body: 'B' })).status).toBe(403);
      const activity = await fetch(`${server.origin}/api/staff/tickets/${ticket.id}/activity`, {
        method: 'POST',
        headers: { Origin: server.origin, 'Content-Type': 'application/json', Cookie: [...who.device.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': who.device.ip },
        body: JSON.stringify({ kind: 'typing' }),
      });
      expect(activity.status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  test('S1 / S5: agents open every console page but not the admin pages; admins open all', async () => {
    for (const path of PAGES()) expect((await agent.device.get(path)).status, path).toBe(200);
    for (const path of ADMIN_PAGES) {
      const res = await agent.device.get(path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('This page is for admins.');
    }
    expect(await (await customer.device.get('/staff/admin/staff')).text()).toContain('The staff console is for support agents and admins.');
    for (const path of [...PAGES(), ...ADMIN_PAGES]) expect((await admin.device.get(path)).status, path).toBe(200);
  });
});

describe('S2 / N2: bad input gets a clear 4xx and writes nothing', () => {
  test('S2 / T7: empty, whitespace-only and over-long replies, unknown actions and modes, wrong-type status and assignee, missing reason: 4xx with a clear message, nothing written', async () => {
    const before = await counts();
    const url = `/staff/tickets/${ticket.number}`;
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ action: 'message', mode: 'reply', body: '' }, 400, 'Write a message first.'],
      [{ action: 'message', mode: 'note', body: ' \n\t ' }, 400, 'Write a message first.'],
      [{ action: 'message', mode: 'reply', body: 'x'.repeat(10_001) }, 400, 'A message can be at most 10000 characters.'],
      [{ action: 'message', mode: 'shout', body: 'hello' }, 400, 'That action does not exist.'],
      [{ action: 'explode' }, 400, 'That action does not exist.'],
      [{}, 400, 'That action does not exist.'],
      [{ action: 'status', status: 'closed' }, 400, 'Choose open, pending or resolved.'],
      [{ action: 'status', status: '["open"]' }, 400, 'Choose open, pending or resolved.'],
      [{ action: 'assign', assignee: customer.id }, 400, 'Choose an active agent or admin.'],
      [{ action: 'assign', assignee: '1 OR 1=1' }, 400, 'Choose an active agent or admin.'],
      [{ action: 'account', accountAction: 'suspend', reason: '' }, 400, 'Give a reason: it is kept in the audit record.'],
      [{ action: 'account', accountAction: 'suspend', reason: '   ' }, 400, 'Give a reason: it is kept in the audit record.'],
      [{ action: 'account', accountAction: 'suspend', reason: 'r'.repeat(501) }, 400, 'The reason can be at most 500 characters.'],
      [{ action: 'account', accountAction: 'format-disk', reason: 'because' }, 400, 'Choose one of the account actions.'],
      [{ action: 'account', accountAction: 'unlock', reason: 'verified by phone' }, 409, 'The account is not locked.'],
    ];
    for (const [form, status, message] of cases) {
      const res = await agent.device.post(url, form);
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(status);
      expect(await res.text(), JSON.stringify(form).slice(0, 80)).toContain(message);
    }
    // A JSON body is not a form: nothing to act on.
    const json = await fetch(server.origin + url, {
      method: 'POST',
      headers: { Origin: server.origin, 'Content-Type': 'application/json', Cookie: [...agent.device.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': agent.device.ip },
      body: JSON.stringify({ action: 'message', mode: 'reply', body: 'hi' }),
    });
    expect(json.status).toBe(400);
    // Unknown tickets: a 404 page, and actions on them do nothing.
    for (const path of ['/staff/tickets/999999', '/staff/tickets/abc', '/staff/tickets/-1']) {
      expect((await agent.device.get(path)).status, path).toBe(404);
      expect((await agent.device.post(path, { action: 'message', mode: 'reply', body: 'hello' })).status, path).toBe(404);
    }
    // Bad queue filters are named, not silently widened.
    for (const q of ['view=everything', 'lang=de', 'status=lost', 'page=0', `q=${'a'.repeat(201)}`]) {
      expect((await agent.device.get(`/staff?${q}`)).status, q).toBe(400);
      expect((await agent.device.get(`/api/staff/queue?${q}`)).status, q).toBe(400);
    }
    // Canned replies: no language, empty title, over-long text, unknown id.
    for (const form of [
      { action: 'create', locale: 'de', title: 'Hallo', body: 'Text' },
      { action: 'create', locale: 'en', title: '  ', body: 'Text' },
      { action: 'create', locale: 'en', title: 'Title', body: 'x'.repeat(10_001) },
      { action: 'create', locale: 'en', title: 't'.repeat(101), body: 'Text' },
    ]) {
      const res = await agent.device.post('/staff/canned', form);
      expect(res.status, JSON.stringify(form).slice(0, 60)).toBe(400);
      expect(await res.text()).toContain('The canned reply was not saved. Check the fields.');
    }
    expect((await agent.device.post('/staff/canned', { action: 'update', id: '424242', locale: 'en', title: 'T', body: 'B' })).status).toBe(404);
    expect((await agent.device.post('/staff/canned', { action: 'delete', id: 'abc' })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('S2: claim, reply, internal note, status', () => {
  test('S2: internal notes never reach the customer — not by page, not by their live stream, not by email; the agent sees them marked', async () => {
    const t = await openTicket(server.dbUrl, customer.device, 'Internal note check', 'Is my account safe?');
    const NOTE = 'Internal: customer sounds unsure, check the sign-in log first';
    const streamed = await readStream(customer.device, `/api/tickets/${t.id}/events?lastEventId=0`, 700, async () => {
      const note = await agent.device.post(`/staff/tickets/${t.number}`, { action: 'message', mode: 'note', body: NOTE });
      expect(note.status).toBe(303);
      expect(note.headers.get('location')).toBe(`/staff/tickets/${t.number}?done=noted`);
      const reply = await agent.device.post(`/staff/tickets/${t.number}`, { action: 'message', mode: 'reply', body: 'Yes, it is safe. https://example.com/help' });
      expect(reply.status).toBe(303);
    });
    expect(streamed).toContain('Yes, it is safe.');
    expect(streamed).not.toContain('check the sign-in log');
    // With the customer no longer watching, a reply goes by email (T5) — and a note never does.
    expect((await agent.device.post(`/staff/tickets/${t.number}`, { action: 'message', mode: 'note', body: `${NOTE} (second)` })).status).toBe(303);
    expect((await agent.device.post(`/staff/tickets/${t.number}`, { action: 'reply', body: 'Emailed answer.' })).status).toBe(303);
    const mails = await query(server.dbUrl, 'SELECT text, html, subject FROM mail_outbox WHERE "to" = ?', [customer.email]);
    expect(mails.some((m) => String(m.text).includes('Emailed answer.'))).toBe(true);
    for (const m of mails) expect(`${m.subject}${m.text}${m.html}`).not.toContain('check the sign-in log');
    // The customer's own pages (any that show the ticket) never carry the note.
    for (const path of ['/en/support', `/en/support/tickets/${t.number}`]) {
      const res = await customer.device.get(path);
      expect(await res.text(), path).not.toContain('check the sign-in log');
    }
    // The agent's page shows it, marked as internal, and the reply as plain text with a link.
    const page = await (await agent.device.get(`/staff/tickets/${t.number}?done=noted`)).text();
    expect(page).toContain('Your internal note was added.');
    expect(page).toMatch(/data-internal="true"[^>]*>[\s\S]*?Internal note[\s\S]*?check the sign-in log/);
    expect(page).toContain('<a href="https://example.com/help"');
  });

  test('S2 / T7: a message that looks like HTML is shown as text, never as markup', async () => {
    const t = await openTicket(server.dbUrl, customer.device, 'Markup check', '<img src=x onerror=alert(1)> <b>bold</b>');
    const page = await (await agent.device.get(`/staff/tickets/${t.number}`)).text();
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('S2: claim opens a new ticket and lands in Mine; assign to another agent; status changes; an admin can assign too', async () => {
    const t = await openTicket(server.dbUrl, customer.device, 'Claim and assign', 'Please look.');
    const claim = await agent.device.post(`/staff/tickets/${t.number}`, { action: 'claim' });
    expect(claim.status).toBe(303);
    let [row] = await query(server.dbUrl, 'SELECT status, assignee_id FROM tickets WHERE id = ?', [t.id]);
    expect(row).toMatchObject({ status: 'open', assignee_id: agent.id });
    const mine = await (await agent.device.get('/api/staff/queue?view=mine')).json();
    expect(mine.rows.map((r: { number: number }) => r.number)).toContain(t.number);
    expect(await (await agent.device.get(`/staff/tickets/${t.number}?done=claimed`)).text()).toContain('You claimed this ticket.');

    expect((await admin.device.post(`/staff/tickets/${t.number}`, { action: 'assign', assignee: secondAgent.id })).status).toBe(303);
    [row] = await query(server.dbUrl, 'SELECT assignee_id FROM tickets WHERE id = ?', [t.id]);
    expect(row!.assignee_id).toBe(secondAgent.id);
    expect((await agent.device.post(`/staff/tickets/${t.number}`, { action: 'status', status: 'pending' })).status).toBe(303);
    [row] = await query(server.dbUrl, 'SELECT status FROM tickets WHERE id = ?', [t.id]);
    expect(row!.status).toBe('pending');
    expect((await agent.device.post(`/staff/tickets/${t.number}`, { action: 'assign', assignee: '' })).status).toBe(303);
    [row] = await query(server.dbUrl, 'SELECT assignee_id FROM tickets WHERE id = ?', [t.id]);
    expect(row!.assignee_id).toBeNull();
  });
});

describe('S2 / T3: typing and viewing reach the right audiences', () => {
  test('S2: an agent typing a reply reaches the customer ("Support is typing…"); typing a note and viewing reach staff only; bad activity posts are refused', async () => {
    const t = await openTicket(server.dbUrl, customer.device, 'Typing check', 'Hello?');
    const post = (who: Person, body: unknown, contentType = 'application/json') =>
      fetch(`${server.origin}/api/staff/tickets/${t.id}/activity`, {
        method: 'POST',
        headers: { Origin: server.origin, 'Content-Type': contentType, Cookie: [...who.device.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': who.device.ip },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    let staffSaw = '';
    const customerSaw = await readStream(customer.device, `/api/tickets/${t.id}/events`, 400, async () => {
      staffSaw = await readStream(secondAgent.device, `/api/tickets/${t.id}/events`, 400, async () => {
        expect((await post(agent, { kind: 'viewing' })).status).toBe(204);
        expect((await post(agent, { kind: 'typing', internal: true })).status).toBe(204);
        expect((await post(agent, { kind: 'typing' })).status).toBe(204);
      });
    });
    expect(staffSaw).toMatch(/event: viewing\ndata: \{[^\n]*"name":"Agnes Agent"/);
    expect(staffSaw.match(/event: typing/g)).toHaveLength(2);
    expect(customerSaw.match(/event: typing/g)).toHaveLength(1);
    expect(customerSaw).toContain('"who":"agent"');
    expect(customerSaw).not.toContain('event: viewing');
    expect((await post(agent, { kind: 'dancing' })).status).toBe(400);
    expect((await post(agent, 'not json', 'text/plain')).status).toBe(400);
    const unknown = await fetch(`${server.origin}/api/staff/tickets/aaaaaaaaaaaaaaaa/activity`, {
      method: 'POST',
      headers: { Origin: server.origin, 'Content-Type': 'application/json', Cookie: [...agent.device.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': agent.device.ip },
      body: JSON.stringify({ kind: 'typing' }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe('S1: queue views, counts, filters and search', () => {
  test('S1: views and counts follow the tickets; filters by language, area and status; search by text and by customer email', async () => {
    const nl = await openTicket(server.dbUrl, otherCustomer.device, 'Wachtwoord vergeten zeppelin', 'Ik kan niet inloggen, mijn wachtwoord werkt niet.', 'nl');
    const fr = await openTicket(server.dbUrl, otherCustomer.device, 'Mot de passe perdu', 'Je ne peux pas me connecter avec mon vélocipède.', 'fr');
    await write(server.dbUrl, "UPDATE tickets SET area_slug = 'account-security' WHERE id = ?", [fr.id]);
    const q = async (params: string) => (await agent.device.get(`/api/staff/queue?${params}`)).json() as Promise<{ rows: Array<{ number: number; locale: string }>; counts: Record<string, number>; total: number }>;

    const all = await q('view=open');
    const [db] = await query(server.dbUrl, "SELECT count(*) AS open, sum(assignee_id IS NULL) AS unassigned, sum(status = 'pending') AS pending FROM tickets WHERE status IN ('new','open','pending')");
    expect(all.counts.open).toBe(Number(db!.open));
    expect(all.counts.unassigned).toBe(Number(db!.unassigned));
    expect(all.counts.pending).toBe(Number(db!.pending));
    expect(all.total).toBe(all.counts.open);

    const dutch = await q('view=open&lang=nl');
    expect(dutch.rows.map((r) => r.number)).toEqual([nl.number]);
    expect(dutch.counts.open).toBe(1);
    expect((await q('view=open&area=account-security')).rows.map((r) => r.number)).toEqual([fr.number]);
    expect((await q('view=open&status=pending&lang=fr')).rows).toEqual([]);

    // Text in the subject, text in a message (case-insensitive), and the customer's email (account or sender address).
    expect((await q('view=open&q=ZEPPELIN')).rows.map((r) => r.number)).toEqual([nl.number]);
    expect((await q('view=open&q=v%C3%A9locip%C3%A8de')).rows.map((r) => r.number)).toEqual([fr.number]);
    const byEmail = (await q('view=open&q=otto%40example.com')).rows.map((r) => r.number);
    expect(byEmail.sort()).toEqual([nl.number, fr.number].sort());
    expect((await q('view=open&q=%25')).rows).toEqual([]); // a LIKE wildcard is just a character

    // The page renders the same, without JavaScript.
    const html = await (await agent.device.get('/staff?view=open&q=otto%40example.com')).text();
    expect(html).toContain('Wachtwoord vergeten zeppelin');
    expect(html).toContain('Mot de passe perdu');
    expect(html).not.toContain('Cannot change my email');
    expect(html).toMatch(/data-count="open"[^>]*>2</);
  });

  test('S1: the queue pages by 25, newest activity first, and the links keep the filters', async () => {
    for (let i = 0; i < 30; i++) {
      await write(
        server.dbUrl,
        "INSERT INTO tickets (id, number, sender_email, subject, locale, status, topic, created_at, updated_at) VALUES (?, ?, 'pager@example.com', ?, 'fr', 'open', 'other', ?, ?)",
        [`pagingticket${String(i).padStart(4, '0')}aa`, 900_000 + i, `Paging ${i}`, 1_000 + i, 1_000 + i],
      );
    }
    const page = async (n: number) => (await agent.device.get(`/api/staff/queue?view=open&q=pager%40example.com&page=${n}`)).json() as Promise<{ rows: Array<{ number: number }>; total: number; pages: number }>;
    const first = await page(1);
    expect(first).toMatchObject({ total: 30, pages: 2 });
    expect(first.rows.map((r) => r.number)).toEqual(Array.from({ length: 25 }, (_, i) => 900_029 - i));
    expect((await page(2)).rows.map((r) => r.number)).toEqual([900_004, 900_003, 900_002, 900_001, 900_000]);
    expect((await page(3)).rows).toEqual([]);
    const html = await (await agent.device.get('/staff?view=open&q=pager%40example.com')).text();
    expect(html).toContain('Page 1 of 2');
    expect(html).toContain('href="/staff?q=pager%40example.com&amp;view=open&amp;page=2" rel="next"');
  });

  test('S1: a public (unverified) sender is found by address and marked in the queue; the panel says whether the address was confirmed and whether an account uses it', async () => {
    const anon = new Device(server.origin);
    expect((await anon.post('/en/support', { email: 'otto@example.com', name: 'Otto', topic: 'lost-access', subject: 'Locked out public', message: 'I cannot sign in.' })).status).toBe(200);
    const [row] = await query(server.dbUrl, "SELECT number FROM tickets WHERE subject = 'Locked out public'");
    const list = await (await agent.device.get('/api/staff/queue?view=unassigned&q=otto%40')).json();
    const found = list.rows.find((r: { number: number }) => r.number === Number(row!.number));
    expect(found.unverifiedSender).toBe(true);
    const page = await (await agent.device.get(`/staff/tickets/${row!.number}`)).text();
    expect(page).toMatch(/data-fact="sender-confirmed">No</);
    expect(page).toMatch(/data-fact="account-exists">Yes</);
  });
});

describe('S2: canned replies per language', () => {
  test('S2: agents create, edit and delete canned replies; a ticket offers only those of its language; choosing one fills the reply without JavaScript', async () => {
    for (const [locale, title, body] of [['en', 'Reset link', 'Use the reset link we sent you.'], ['nl', 'Herstellink', 'Gebruik de herstellink die we je stuurden.'], ['fr', 'Lien', 'Utilisez le lien que nous vous avons envoyé.']]) {
      const res = await agent.device.post('/staff/canned', { action: 'create', locale: locale!, title: title!, body: body! });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/staff/canned?done=created');
    }
    const rows = await query(server.dbUrl, 'SELECT id, locale, title FROM canned_replies ORDER BY id');
    const en = rows.find((r) => r.locale === 'en')!;
    const nl = rows.find((r) => r.locale === 'nl')!;
    const page = await (await agent.device.get(`/staff/tickets/${ticket.number}`)).text();
    expect(page).toContain('Reset link');
    expect(page).not.toContain('Herstellink');
    const filled = await (await agent.device.get(`/staff/tickets/${ticket.number}?canned=${en.id}`)).text();
    expect(filled).toMatch(/<textarea[^>]*id="reply-body"[^>]*>Use the reset link we sent you.<\/textarea>/);

    expect((await admin.device.post('/staff/canned', { action: 'update', id: String(en.id), locale: 'en', title: 'Reset link (new)', body: 'Use the new link.' })).status).toBe(303);
    const [edited] = await query(server.dbUrl, 'SELECT title, body FROM canned_replies WHERE id = ?', [Number(en.id)]);
    expect(edited).toMatchObject({ title: 'Reset link (new)', body: 'Use the new link.' });
    expect((await agent.device.post('/staff/canned', { action: 'delete', id: String(nl.id) })).status).toBe(303);
    expect(await query(server.dbUrl, 'SELECT id FROM canned_replies WHERE id = ?', [Number(nl.id)])).toHaveLength(0);
  });

  test('S2: the knowledge-base link picker searches in the ticket\'s language and inserts the entry\'s URL', async () => {
    const res = await agent.device.get('/api/staff/kb-links?lang=nl&q=wachtwoord');
    const { hits } = (await res.json()) as { hits: Array<{ slug: string; url: string }> };
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.url).toMatch(new RegExp(`^${server.origin}/nl/[a-z0-9-]+/[a-z0-9-]+$`));
    expect((await agent.device.get('/api/staff/kb-links?lang=de&q=x')).status).toBe(400);
    const page = await (await agent.device.get(`/staff/tickets/${ticket.number}?kbq=password`)).text();
    expect(page).toContain('data-kb-hits');
    const inserted = await (await agent.device.get(`/staff/tickets/${ticket.number}?insert=${hits[0]!.slug}`)).text();
    expect(inserted).toMatch(new RegExp(`<textarea[^>]*id="reply-body"[^>]*>${server.origin}/en/`));
  });
});

describe('S3 / S4: the customer panel and account actions', () => {
  test('S3 / S4: the panel shows the account; an agent suspends with a reason and lifts it; the audit records appear in the panel with actor and reason', async () => {
    let page = await (await agent.device.get(`/staff/tickets/${ticket.number}`)).text();
    expect(page).toMatch(/data-fact="verified">Yes</);
    expect(page).toMatch(/data-fact="two-factor">Off</);
    expect(page).toMatch(/data-fact="suspended">No</);
    expect(page).toMatch(/data-fact="sessions">1 session/);
    expect(page).toMatch(/data-event="sign-in.succeeded">\s*<strong>Signed in<\/strong>/);

    const res = await agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'account', accountAction: 'suspend', reason: 'Spam reported in ticket #1001' });
    expect(res.status).toBe(303);
    page = await (await agent.device.get(res.headers.get('location')!)).text();
    expect(page).toContain('The account was suspended.');
    expect(page).toMatch(/data-fact="suspended">Yes/);
    expect(page).toMatch(/data-fact="sessions">0 sessions/);
    expect(page).toMatch(/data-event="staff.account-suspended">\s*<strong>Suspended by staff<\/strong>[\s\S]*?by Agnes Agent[\s\S]*?Spam reported in ticket #1001/);
    const [audit] = await query(server.dbUrl, "SELECT actor FROM security_events WHERE type = 'staff.account-suspended' AND user_id = ?", [customer.id]);
    expect(audit!.actor).toBe(agent.id);
    // The typed refusal, localized: suspending twice.
    const again = await agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'account', accountAction: 'suspend', reason: 'again' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('The account is already suspended.');
    expect((await agent.device.post(`/staff/tickets/${ticket.number}`, { action: 'account', accountAction: 'lift-suspension', reason: 'Appeal accepted' })).status).toBe(303);
    page = await (await agent.device.get(`/staff/tickets/${ticket.number}`)).text();
    expect(page).toMatch(/data-event="staff.suspension-lifted"[\s\S]*?Appeal accepted/);
  });
});

describe('S4 / A19: carrying out a deletion request from the console', () => {
  test('S4 / A19: an agent deletes the account of a deletion-request ticket with a reason; the account and its tickets are gone, the queue says so; an agent cannot act on a staff account', async () => {
    const leaving = await person(server.origin, server.dbUrl, 'leaving@example.com', 'customer', 'Lee Leaving');
    const t = await openTicket(server.dbUrl, leaving.device, 'Please delete my account', 'I want my data removed.');
    const refused = await agent.device.post(`/staff/tickets/${t.number}`, { action: 'account', accountAction: 'delete', reason: '' });
    expect(refused.status).toBe(400);
    expect(await query(server.dbUrl, 'SELECT 1 FROM tickets WHERE id = ?', [t.id])).toHaveLength(1);
    const res = await agent.device.post(`/staff/tickets/${t.number}`, { action: 'account', accountAction: 'delete', reason: 'Deletion request confirmed by email' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff?done=account.delete');
    expect(await (await agent.device.get('/staff?done=account.delete')).text()).toContain('The account and its tickets were deleted.');
    expect(await query(server.dbUrl, 'SELECT 1 FROM tickets WHERE id = ?', [t.id])).toHaveLength(0);
    const [gone] = await query(server.dbUrl, 'SELECT deleted_at FROM users WHERE id = ?', [leaving.id]);
    expect(gone!.deleted_at).not.toBeNull();
    expect((await agent.device.get(`/staff/tickets/${t.number}`)).status).toBe(404);

    // A staff member's own ticket: agents act on customer accounts only (the refusal, in words).
    const staffTicket = await openTicket(server.dbUrl, editor.device, 'Editor needs help', 'Hi');
    const forbidden = await agent.device.post(`/staff/tickets/${staffTicket.number}`, { action: 'account', accountAction: 'end-sessions', reason: 'test' });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain('agents act on customer accounts only');
  });
});

describe('S5: admin pages — invitations, roles, the mandatory-2FA policy', () => {
  test('S5: agents cannot use the admin forms; bad invitations, role changes and policies are refused with a clear 4xx and write nothing', async () => {
    const before = await counts();
    const [{ n: usersBefore }] = (await query(server.dbUrl, 'SELECT count(*) AS n FROM users')) as unknown as [{ n: number }];
    expect((await agent.device.post('/staff/admin/staff', { action: 'invite', email: 'x@example.com', name: 'X', role: 'agent', locale: 'en', reason: 'r' })).status).toBe(403);
    expect((await agent.device.post('/staff/admin/staff', { action: 'set-role', email: customer.email, role: 'admin', reason: 'r' })).status).toBe(403);
    expect((await agent.device.post('/staff/admin/security', { scope: 'all', from: '2026-01-01', reason: 'r' })).status).toBe(403);
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/staff/admin/staff', { action: 'invite', email: 'not-an-address', name: 'X', role: 'agent', locale: 'en', reason: 'r' }, 400, 'The invitation was not sent.'],
      ['/staff/admin/staff', { action: 'invite', email: 'new@example.com', name: 'X', role: 'customer', locale: 'en', reason: 'r' }, 400, 'The invitation was not sent.'],
      ['/staff/admin/staff', { action: 'invite', email: 'new@example.com', name: ' ', role: 'agent', locale: 'de', reason: 'r' }, 400, 'The invitation was not sent.'],
      ['/staff/admin/staff', { action: 'invite', email: 'new@example.com', name: 'New', role: 'agent', locale: 'en', reason: '' }, 400, 'Give a reason'],
      ['/staff/admin/staff', { action: 'invite', email: agent.email, name: 'Again', role: 'agent', locale: 'en', reason: 'r' }, 409, 'already exists'],
      ['/staff/admin/staff', { action: 'set-role', email: 'nobody@example.com', role: 'agent', reason: 'r' }, 404, 'There is no account with this email address.'],
      ['/staff/admin/staff', { action: 'set-role', email: customer.email, role: 'root', reason: 'r' }, 400, 'Choose customer, agent, editor or admin.'],
      ['/staff/admin/staff', { action: 'set-role', email: customer.email, role: 'agent', reason: '  ' }, 400, 'Give a reason'],
      ['/staff/admin/staff', { action: 'set-role', email: admin.email, role: 'agent', reason: 'demote myself' }, 403, 'You cannot act on your own account here.'],
      ['/staff/admin/security', { scope: 'everyone', from: '2026-01-01', reason: 'r' }, 400, 'Choose no policy, all users or staff only.'],
      ['/staff/admin/security', { scope: 'all', from: 'tomorrow', reason: 'r' }, 400, 'Enter the date the policy starts.'],
      ['/staff/admin/security', { scope: 'all', from: '2026-01-01', reason: '' }, 400, 'Give a reason'],
    ];
    for (const [path, form, status, message] of cases) {
      const res = await admin.device.post(path, form);
      expect(res.status, JSON.stringify(form)).toBe(status);
      expect(await res.text(), JSON.stringify(form)).toContain(message);
    }
    expect(await counts()).toEqual(before);
    const [{ n: usersAfter }] = (await query(server.dbUrl, 'SELECT count(*) AS n FROM users')) as unknown as [{ n: number }];
    expect(usersAfter).toBe(usersBefore);
    expect(await query(server.dbUrl, "SELECT 1 FROM site_settings WHERE key = 'mandatory-2fa'")).toHaveLength(0);
  });

  test('S5 / A9: an admin invites an agent — an emailed single-use link sets the password, the first sign-in leads to the 2FA wizard; the invitation is audited', async () => {
    const res = await admin.device.post('/staff/admin/staff', { action: 'invite', email: 'ivy@example.com', name: 'Ivy Invited', role: 'agent', locale: 'nl', reason: 'New hire, team B' });
    expect(res.status).toBe(303);
    expect(await (await admin.device.get(res.headers.get('location')!)).text()).toContain('The invitation was sent.');
    const mail = (await latestMail(server.dbUrl, 'ivy@example.com', 'staff-invite'))!;
    expect(mail.subject).toBe('Je bent uitgenodigd voor de medewerkersconsole van Loket');
    expect(mail.text).toContain('Ada Admin');
    const link = /(\/nl\/reset\?token=[\w.-]+)/.exec(mail.text)![1]!;
    const [row] = await query(server.dbUrl, "SELECT role, id FROM users WHERE email = 'ivy@example.com'");
    expect(row!.role).toBe('agent');
    const [audit] = await query(server.dbUrl, "SELECT actor, detail FROM security_events WHERE type = 'staff.invited' AND user_id = ?", [String(row!.id)]);
    expect(audit!.actor).toBe(admin.id);
    expect(String(audit!.detail)).toContain('New hire, team B');

    const ivy = new Device(server.origin);
    const token = new URL(link, server.origin).searchParams.get('token')!;
    const set = await ivy.post('/nl/reset', { token, password: 'Orchard-Lantern-48', confirm: 'Orchard-Lantern-48' });
    expect(set.status).toBeLessThan(400);
    // Single use: the link is dead now.
    expect(await (await ivy.get(link)).text()).not.toContain('name="password"');
    await ivy.post('/en/login', { step: 'email', email: 'ivy@example.com' });
    expect((await ivy.post('/en/login', { step: 'password', email: 'ivy@example.com', password: 'Orchard-Lantern-48' })).status).toBe(303);
    const console = await ivy.get('/staff');
    expect(console.status).toBe(303);
    expect(console.headers.get('location')).toMatch(/\/account\/two-factor$/);
  });

  test('S5: an admin changes a role with a reason (audited; the sessions end) and sets and lifts the mandatory-2FA policy', async () => {
    const promoted = await person(server.origin, server.dbUrl, 'pat@example.com', 'customer', 'Pat Promoted');
    const res = await admin.device.post('/staff/admin/staff', { action: 'set-role', email: 'pat@example.com', role: 'editor', reason: 'Joins the content team' });
    expect(res.status).toBe(303);
    const [row] = await query(server.dbUrl, "SELECT role FROM users WHERE email = 'pat@example.com'");
    expect(row!.role).toBe('editor');
    expect([302, 303]).toContain((await promoted.device.get('/en/account')).status); // signed out: the role change ended the sessions
    const page = await (await admin.device.get('/staff/admin/staff')).text();
    expect(page).toMatch(/data-member="pat@example.com"[\s\S]*?Editor/);

    expect((await admin.device.post('/staff/admin/security', { scope: 'staff', from: '2026-03-01', reason: 'Audit finding 12' })).status).toBe(303);
    const [policy] = await query(server.dbUrl, "SELECT value FROM site_settings WHERE key = 'mandatory-2fa'");
    expect(JSON.parse(String(policy!.value))).toEqual({ from: Date.parse('2026-03-01T00:00:00Z'), scope: 'staff' });
    expect(await (await admin.device.get('/staff/admin/security')).text()).toContain('Two-factor authentication is mandatory for staff from');
    expect((await admin.device.post('/staff/admin/security', { scope: 'none', from: '', reason: 'Rolled back' })).status).toBe(303);
    expect(await query(server.dbUrl, "SELECT 1 FROM site_settings WHERE key = 'mandatory-2fa'")).toHaveLength(0);
    const events = await query(server.dbUrl, "SELECT actor FROM security_events WHERE type = 'two-factor.policy-changed'");
    expect(events.map((e) => e.actor)).toEqual([admin.id, admin.id]);
  });
});
