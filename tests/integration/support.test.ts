// T6 / T7 / A13 / A18 / A19 / K6 against the real built server: the public /support and /contact
// forms make exactly one ticket per request, marked "unverified sender" unless signed in; bad
// input and cross-site posts write nothing; rate limits answer 429 + Retry-After; the answer never
// tells whether the address has an account; the emailed confirm link works once and expires.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, latestMail, query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const PASSWORD = 'Quiet-Harbour-63';
const TOPICS = ['lost-access', 'manual-verification', 'suspension-appeal', 'deletion-request', 'other'] as const;
const TOKEN = /\/support\/confirm\?token=([a-z2-7]+\.[a-z2-7]+)/;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await server?.stop();
});

let serial = 0;
const request = (over: Record<string, string> = {}) => ({
  email: `sender-${++serial}@example.com`,
  name: 'Sam Sender',
  topic: 'other',
  subject: 'I need help',
  message: 'Please help me with my account.',
  ...over,
});

async function rowCounts() {
  const [row] = await query(
    server.dbUrl,
    `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_messages) AS messages,
            (SELECT count(*) FROM ticket_sender_confirmations) AS confirmations, (SELECT count(*) FROM mail_outbox) AS mails`,
  );
  return { tickets: Number(row!.tickets), messages: Number(row!.messages), confirmations: Number(row!.confirmations), mails: Number(row!.mails) };
}
async function ticketsFrom(email: string) {
  return query(server.dbUrl, 'SELECT * FROM tickets WHERE sender_email = ? ORDER BY number', [email]);
}
async function signedInDevice(email: string): Promise<Device> {
  const device = new Device(server.origin);
  await device.post('/en/signup', { name: 'Cleo Customer', email, password: PASSWORD });
  const code = /\b(\d{6})\b/.exec((await latestMail(server.dbUrl, email, 'verify-email'))!.text)![1]!;
  expect((await device.post('/en/verify', { action: 'code', code })).status).toBe(303);
  await device.post('/en/login', { step: 'email', email });
  expect((await device.post('/en/login', { step: 'password', email, password: PASSWORD })).status).toBe(303);
  return device;
}

describe('T7 / N2: bad input is refused with a clear, localized error and writes nothing', () => {
  test('T7: empty, whitespace-only, over-long and wrong-type input gets a localized error per field; no ticket, message, link or mail', async () => {
    const before = await rowCounts();
    const device = new Device(server.origin);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ email: '', name: '', topic: '', subject: '', message: '' }, 'email', /Please fill in this field/],
      [request({ subject: '   \t ' }), 'subject', /Please fill in this field/],
      [request({ message: ' \n\n ' }), 'message', /Please fill in this field/],
      [request({ message: 'x'.repeat(10_001) }), 'message', /too long: use at most 10,000 characters/],
      [request({ subject: 's'.repeat(201) }), 'subject', /Use at most 200 characters/],
      [request({ topic: 'refund' }), 'topic', /Choose one of the topics/],
      [request({ email: 'not-an-address' }), 'email', /Enter a valid email address/],
      [request({ name: 'n'.repeat(101) }), 'name', /Use at most 100 characters/],
    ];
    for (const [form, field, message] of cases) {
      const res = await device.post('/en/support', form);
      expect(res.status, field).toBe(400);
      const body = await res.text();
      expect(body, field).toMatch(message);
      expect(body, field).toContain(`aria-describedby="support-${field}-error`);
      expect(body, field).toContain('Nothing was sent.');
    }
    // An unknown context entry (K6) and a JSON body (wrong type for a form) are refused too.
    expect((await device.post('/en/contact', request({ entry: 'no-such-entry' }))).status).toBe(400);
    const json = await fetch(`${server.origin}/en/contact`, {
      method: 'POST',
      headers: { Origin: server.origin, 'Content-Type': 'application/json', 'X-Forwarded-For': device.ip },
      body: JSON.stringify(request()),
    });
    expect(json.status).toBe(400);
    // Localized (N2): the same mistake in French.
    const fr = await device.post('/fr/contact', request({ message: '' }));
    expect(await fr.text()).toContain('Veuillez corriger les champs signalés ci-dessous. Rien n&#39;a été envoyé.');
    expect(await rowCounts()).toEqual(before);
    // The limits themselves are fine: exactly 200 and 10,000 characters.
    const ok = await device.post('/en/support', request({ subject: 's'.repeat(200), message: 'm'.repeat(10_000) }));
    expect(ok.status).toBe(200);
    expect((await rowCounts()).tickets).toBe(before.tickets + 1);
  });

  test('A21 / V3.5.1: a cross-site post (foreign or missing Origin) is refused with 403 and writes nothing', async () => {
    const before = await rowCounts();
    const form = new URLSearchParams(request()).toString();
    for (const headers of [{ Origin: 'https://evil.example' }, {} as Record<string, string>]) {
      for (const path of ['/en/support', '/en/contact']) {
        const res = await fetch(server.origin + path, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: form });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('T6: the public forms make one ticket per request', () => {
  test('T6: each topic creates exactly one ticket marked "unverified sender", with its first message and a confirmation link', async () => {
    for (const topic of TOPICS) {
      const form = request({ topic });
      const before = await rowCounts();
      const res = await new Device(server.origin).post('/en/support', form);
      expect(res.status, topic).toBe(200);
      const body = await res.text();
      const [ticket] = await ticketsFrom(form.email);
      expect(body).toContain(`Your request is ticket #${ticket!.number}.`);
      expect(ticket, topic).toMatchObject({ topic, unverified_sender: 1, sender_verified_at: null, customer_id: null, status: 'new', locale: 'en', sender_name: 'Sam Sender' });
      expect(await rowCounts(), topic).toEqual({ tickets: before.tickets + 1, messages: before.messages + 1, confirmations: before.confirmations + 1, mails: before.mails + 1 });
      const [message] = await query(server.dbUrl, 'SELECT * FROM ticket_messages WHERE ticket_id = ?', [String(ticket!.id)]);
      expect(message).toMatchObject({ author_kind: 'customer', internal: 0, body: form.message, author_id: null });
    }
  });

  test('V6.3.8: an email with an account and one without get the same answer (status and page); both get the acknowledgement', async () => {
    const known = 'has-account@example.com';
    await signedInDevice(known);
    const unknown = 'no-account@example.com';
    const answer = async (email: string) => {
      const res = await new Device(server.origin).post('/en/support', request({ email, topic: 'lost-access' }));
      const body = (await res.text()).replaceAll(email, 'X').replace(/#\d+/g, '#N');
      return { status: res.status, body };
    };
    const [a, b] = [await answer(known), await answer(unknown)];
    expect(a.status).toBe(200);
    expect(b).toEqual(a);
    for (const email of [known, unknown]) {
      expect((await latestMail(server.dbUrl, email))!.kind).toBe('ticket-received');
      expect((await ticketsFrom(email))[0]).toMatchObject({ unverified_sender: 1, customer_id: null });
    }
  });

  test('A21: more than 5 requests from one network in an hour get 429 with Retry-After, and no ticket', async () => {
    const device = new Device(server.origin);
    for (let i = 0; i < 5; i++) expect((await device.post('/en/support', request())).status).toBe(200);
    const before = await rowCounts();
    const res = await device.post('/en/support', request());
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.text()).toContain('Too many attempts');
    expect(await rowCounts()).toEqual(before);
  });

  test('A21: more than 3 requests for one address in an hour get 429 with Retry-After, from any network', async () => {
    const email = 'many-requests@example.com';
    for (let i = 0; i < 3; i++) expect((await new Device(server.origin).post('/en/contact', request({ email }))).status).toBe(200);
    const res = await new Device(server.origin).post('/en/contact', request({ email }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ticketsFrom(email)).length).toBe(3);
  });

  test('A19 / T6: the confirm link is shown by a GET without changing anything, confirms the address once by POST, and then fails', async () => {
    const form = request({ topic: 'deletion-request' });
    await new Device(server.origin).post('/en/contact', form);
    const mail = (await latestMail(server.dbUrl, form.email, 'ticket-received'))!;
    const token = TOKEN.exec(mail.text)![1]!;
    const visitor = new Device(server.origin);
    const page = await visitor.get(`/en/support/confirm?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await ticketsFrom(form.email))[0]!.sender_verified_at).toBeNull();

    const before = Date.now();
    const done = await visitor.post(`/en/support/confirm?token=${token}`, { token });
    expect(done.status).toBe(200);
    const [ticket] = await ticketsFrom(form.email);
    expect(await done.text()).toContain(`confirmed for ticket #${ticket!.number}`);
    expect(Number(ticket!.sender_verified_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(ticket!.unverified_sender).toBe(1); // the ticket still says how it came in

    const again = await visitor.post(`/en/support/confirm?token=${token}`, { token });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('not valid or was already used');
    expect((await ticketsFrom(form.email))[0]!.sender_verified_at).toBe(ticket!.sender_verified_at);
  });

  test('A19: the confirm link expires', async () => {
    const form = request({ topic: 'deletion-request' });
    await new Device(server.origin).post('/en/contact', form);
    const token = TOKEN.exec((await latestMail(server.dbUrl, form.email, 'ticket-received'))!.text)![1]!;
    const [row] = await query(server.dbUrl, 'SELECT created_at, expires_at FROM ticket_sender_confirmations WHERE id = ?', [token.split('.')[0]!]);
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(24 * 60 * 60_000);
    await query(server.dbUrl, 'UPDATE ticket_sender_confirmations SET expires_at = ? WHERE id = ?', [Date.now() - 1, token.split('.')[0]!]);
    const res = await new Device(server.origin).post(`/en/support/confirm?token=${token}`, { token });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link has expired');
    expect((await ticketsFrom(form.email))[0]!.sender_verified_at).toBeNull();
  });

  test('A19 / T2: signed in, /contact creates a verified ticket for the account, with no confirmation link; the email is in the preferred language', async () => {
    const email = 'signed-in-contact@example.com';
    const device = await signedInDevice(email);
    const page = await (await device.get('/en/contact?topic=deletion-request')).text();
    expect(page).toContain(`You are signed in as ${email}`);
    expect(page).not.toContain('name="email"');
    expect(page).toMatch(/<option value="deletion-request" selected>/);
    const before = await rowCounts();
    // Sent from the French page: the page answers in French, the email comes in the account's preferred language (A16).
    const res = await device.post('/fr/contact', { topic: 'deletion-request', subject: 'Please delete my account', message: 'I no longer use Loket.', email: 'someone-else@example.com' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('a été ajoutée à votre compte');
    const [user] = await query(server.dbUrl, 'SELECT id FROM users WHERE email = ?', [email]);
    const [ticket] = await query(server.dbUrl, 'SELECT * FROM tickets WHERE customer_id = ?', [String(user!.id)]);
    expect(ticket).toMatchObject({ sender_email: email, sender_name: 'Cleo Customer', unverified_sender: 0, topic: 'deletion-request' });
    expect(ticket!.sender_verified_at).not.toBeNull();
    const after = await rowCounts();
    expect(after.tickets).toBe(before.tickets + 1);
    expect(after.confirmations).toBe(before.confirmations); // no link needed
    expect(await ticketsFrom('someone-else@example.com')).toEqual([]);
    const mail = (await latestMail(server.dbUrl, email, 'ticket-received'))!;
    expect(mail.text).not.toMatch(TOKEN);
    expect(mail.subject).toBe(`We received your request (#${ticket!.number})`);
  });

  test('N4 / A16: the acknowledgement is in the language of the page the request was sent from', async () => {
    const nl = request();
    await new Device(server.origin).post('/nl/support', nl);
    const nlMail = (await latestMail(server.dbUrl, nl.email))!;
    expect(nlMail.subject).toMatch(/^We hebben je verzoek ontvangen \(#\d+\)$/);
    expect(nlMail.text).toContain('Mijn e-mailadres bevestigen');
    expect(nlMail.text).toMatch(/\/nl\/support\/confirm\?token=/);
    const fr = request();
    await new Device(server.origin).post('/fr/contact', fr);
    const frMail = (await latestMail(server.dbUrl, fr.email))!;
    expect(frMail.subject).toMatch(/^Nous avons reçu votre demande \(n° \d+\)$/);
    expect(frMail.html).toContain('<html lang="fr"');
    expect((await ticketsFrom(fr.email))[0]!.locale).toBe('fr');
  });

  test('T7: no HTML from the sender renders in the acknowledgement email', async () => {
    const form = request({ name: '<img src=x onerror=alert(1)>\nhttps://evil.example/phish', subject: '<script>alert("subject")</script><b>bold</b>' });
    expect((await new Device(server.origin).post('/en/support', form)).status).toBe(200);
    const mail = (await latestMail(server.dbUrl, form.email))!;
    expect(mail.html).not.toMatch(/<script>alert|<img src=x|<b>bold/);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // A link of the sender's cannot pass for one of ours: every link line of the text is the server's.
    const links = mail.text.split('\n').filter((line) => /^https?:\/\//.test(line));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${server.origin}/`), link).toBe(true);
    // The stored ticket keeps the text exactly as typed (plain text, escaped wherever it is shown).
    expect((await ticketsFrom(form.email))[0]!.subject).toBe(form.subject);
  });
});

describe('K6 / A13 / A18: entry points', () => {
  test('K6: the "no" path leads to /contact?entry=<slug>, which shows the entry\'s question; the ticket carries the entry', async () => {
    const entryPage = await (await fetch(`${server.origin}/fr/account-security/api-key?feedback=no`)).text();
    expect(entryPage).toContain('href="/fr/contact?entry=api-key"');
    const page = await (await new Device(server.origin).get('/fr/contact?entry=api-key')).text();
    const question = /<h1[^>]*>([^<]+)<\/h1>/.exec(await (await fetch(`${server.origin}/fr/account-security/api-key`)).text())![1]!.trim();
    expect(page).toContain(`<a href="/fr/account-security/api-key">${question}</a>`);
    expect(page).toContain('<input type="hidden" name="entry" value="api-key">');
    const form = request({ entry: 'api-key', topic: 'other' });
    expect((await new Device(server.origin).post('/fr/contact', form)).status).toBe(200);
    expect((await ticketsFrom(form.email))[0]).toMatchObject({ context_entry_slug: 'api-key', topic: 'other' });
  });

  test('A13: Recover account leads to a manual verification request, which becomes a support ticket', async () => {
    const recover = await (await fetch(`${server.origin}/en/recover`)).text();
    expect(recover).toContain('href="/en/support?topic=manual-verification"');
    const page = await (await new Device(server.origin).get('/en/support?topic=manual-verification')).text();
    expect(page).toMatch(/<option value="manual-verification" selected>/);
    const form = request({ topic: 'manual-verification', subject: 'Lost my phone and my recovery codes' });
    expect((await new Device(server.origin).post('/en/support', form)).status).toBe(200);
    expect(await ticketsFrom(form.email)).toMatchObject([{ topic: 'manual-verification', unverified_sender: 1, status: 'new' }]);
  });

  test('A1: the bare /support and /contact redirect to the visitor\'s locale, keeping the query', async () => {
    for (const path of ['support', 'contact']) {
      const res = await fetch(`${server.origin}/${path}?topic=suspension-appeal`, { redirect: 'manual', headers: { 'Accept-Language': 'fr-BE' } });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/fr/${path}?topic=suspension-appeal`);
    }
    const page = await (await new Device(server.origin).get('/fr/support?topic=suspension-appeal')).text();
    expect(page).toMatch(/<option value="suspension-appeal" selected>/);
  });
});
