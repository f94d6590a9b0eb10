// T2 / T4 / T6 / T7 / S2: the tickets module on a real database file — bad input writes nothing,
// numbers are unique under concurrency, internal notes stay internal, a customer reply reopens,
// and the sender-confirmation link is hashed, single-use and expiring.
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { mailOutbox, ticketMessages, tickets, ticketSenderConfirmations, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import type { Db } from '../../src/server/db/client.ts';
import { confirmSender, SENDER_CONFIRMATION_TTL_MS } from '../../src/server/tickets/sender-confirmation.ts';
import { submitSupportRequest, SUPPORT_LIMITS, type SupportRequestContext } from '../../src/server/tickets/support-request.ts';
import {
  addMessage,
  createTicket,
  FIRST_TICKET_NUMBER,
  messagesOf,
  TicketInputError,
  ticketById,
  ticketsOfCustomer,
  type NewTicket,
} from '../../src/server/tickets/tickets.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  return h.db;
}

async function addUser(db: Db, email = `c-${randomId().slice(0, 6)}@example.com`) {
  const id = randomId();
  await db.insert(users).values({ id, email, name: 'Ada', username: `u-${id.slice(0, 8)}`, passwordHash: 'x', locale: 'fr', emailVerifiedAt: 1 });
  return { id, email, name: 'Ada', locale: 'fr', emailVerifiedAt: 1 };
}

const publicTicket = (over: Partial<NewTicket> = {}): NewTicket => ({
  customerId: null,
  senderEmail: 'Sender@Example.com ',
  senderName: 'Sam',
  unverifiedSender: true,
  subject: 'Locked out',
  body: 'I cannot sign in any more.',
  topic: 'lost-access',
  locale: 'nl',
  ...over,
});

async function counts(db: Db) {
  const one = async (table: typeof tickets | typeof ticketMessages | typeof ticketSenderConfirmations | typeof mailOutbox) =>
    (await db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n;
  return { tickets: await one(tickets), messages: await one(ticketMessages), confirmations: await one(ticketSenderConfirmations), mails: await one(mailOutbox) };
}

describe('T7: bad input writes nothing', () => {
  test('T7: createTicket refuses an empty, whitespace-only or over-long subject or body, and a wrong topic, writing nothing', async () => {
    const db = await setup();
    const bad: Partial<NewTicket>[] = [
      { subject: '' },
      { subject: '   \n\t ' },
      { subject: 'x'.repeat(201) },
      { body: '' },
      { body: ' \n ' },
      { body: 'x'.repeat(10_001) },
      { body: 42 as unknown as string },
      { topic: 'refund' as NewTicket['topic'] },
      { senderEmail: 'not-an-address' },
      { contextEntrySlug: '../etc' },
      { unverifiedSender: false }, // a verified ticket needs an account
    ];
    for (const over of bad) await expect(createTicket(db, publicTicket(over)), JSON.stringify(over).slice(0, 80)).rejects.toBeInstanceOf(TicketInputError);
    expect(await counts(db)).toEqual({ tickets: 0, messages: 0, confirmations: 0, mails: 0 });
    // The limits themselves are allowed: 200 and 10,000 characters (an emoji counts as one).
    await createTicket(db, publicTicket({ subject: '😀'.repeat(200), body: 'é'.repeat(10_000) }));
    expect((await counts(db)).tickets).toBe(1);
  });

  test('T7: addMessage refuses empty and over-long bodies, internal notes from customers, and closed tickets', async () => {
    const db = await setup();
    const { ticket } = await createTicket(db, publicTicket());
    const before = await counts(db);
    expect(await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: '  ' })).toEqual({ ok: false, reason: 'invalid', problem: 'required' });
    expect(await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: 'y'.repeat(10_001) })).toEqual({ ok: false, reason: 'invalid', problem: 'too-long' });
    expect(await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: { html: '<b>' } })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: 'psst', internal: true })).toMatchObject({ ok: false, problem: 'internal-not-agent' });
    expect(await addMessage(db, { ticketId: 'nope', authorId: null, authorKind: 'customer', body: 'hello' })).toEqual({ ok: false, reason: 'not-found' });
    await db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, ticket.id));
    expect(await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: 'hello' })).toEqual({ ok: false, reason: 'closed' });
    expect(await counts(db)).toEqual(before);
  });
});

describe('T2 / T6: creating tickets', () => {
  test('T6: a public ticket is marked "unverified sender", normalizes the address, keeps the name on one line, and stores only a hash of its confirmation link', async () => {
    const db = await setup();
    const created = await createTicket(db, publicTicket({ contextEntrySlug: 'api-key', senderName: ' Sam\nhttps://evil.example ' }), 1_000);
    expect(created.ticket).toMatchObject({
      number: FIRST_TICKET_NUMBER,
      customerId: null,
      senderEmail: 'sender@example.com',
      senderName: 'Sam https://evil.example',
      unverifiedSender: true,
      senderVerifiedAt: null,
      status: 'new',
      topic: 'lost-access',
      locale: 'nl',
      contextEntrySlug: 'api-key',
      createdAt: 1_000,
      updatedAt: 1_000,
    });
    expect(created.message).toMatchObject({ ticketId: created.ticket.id, authorKind: 'customer', internal: false, body: 'I cannot sign in any more.' });
    const token = created.confirmationToken!;
    expect(token).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
    const [row] = await db.select().from(ticketSenderConfirmations);
    expect(row!.expiresAt - row!.createdAt).toBe(SENDER_CONFIRMATION_TTL_MS);
    const secret = token.split('.')[1]!;
    const dump = JSON.stringify(await db.$client.execute('SELECT * FROM ticket_sender_confirmations')) + JSON.stringify(await db.select().from(tickets));
    expect(dump).not.toContain(secret);
  });

  test('T2: a signed-in ticket belongs to the account, is verified at once and has no confirmation link', async () => {
    const db = await setup();
    const user = await addUser(db);
    const created = await createTicket(db, publicTicket({ customerId: user.id, senderEmail: user.email, unverifiedSender: false, topic: 'deletion-request' }), 5_000);
    expect(created.ticket).toMatchObject({ customerId: user.id, unverifiedSender: false, senderVerifiedAt: 5_000, topic: 'deletion-request' });
    expect(created.message.authorId).toBe(user.id);
    expect(created.confirmationToken).toBeNull();
    expect(await db.select().from(ticketSenderConfirmations)).toEqual([]);
  });

  test('T2: ticket numbers are unique and increasing, also for 40 tickets created at once', async () => {
    const db = await setup();
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => createTicket(db, publicTicket({ subject: `Question ${i}` }))));
    const numbers = made.map((m) => m.ticket.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(40);
    expect(numbers[0]).toBe(FIRST_TICKET_NUMBER);
    expect(numbers.at(-1)).toBe(FIRST_TICKET_NUMBER + 39);
    expect((await counts(db)).messages).toBe(40);
  });

  test('T2: customers see only their own tickets, most recent activity first', async () => {
    const db = await setup();
    const ada = await addUser(db);
    const bob = await addUser(db);
    const verified = (customerId: string, email: string, subject: string, now: number) =>
      createTicket(db, publicTicket({ customerId, senderEmail: email, unverifiedSender: false, subject }), now);
    const first = await verified(ada.id, ada.email, 'First', 1_000);
    await verified(ada.id, ada.email, 'Second', 2_000);
    await verified(bob.id, bob.email, 'Bob', 3_000);
    await createTicket(db, publicTicket({ senderEmail: ada.email, subject: 'Public, same address' }), 4_000);
    expect((await ticketsOfCustomer(db, ada.id)).map((t) => t.subject)).toEqual(['Second', 'First']);
    await addMessage(db, { ticketId: first.ticket.id, authorId: ada.id, authorKind: 'customer', body: 'Any news?' }, 9_000);
    expect((await ticketsOfCustomer(db, ada.id)).map((t) => t.subject)).toEqual(['First', 'Second']);
    expect((await ticketsOfCustomer(db, bob.id)).map((t) => t.subject)).toEqual(['Bob']);
  });
});

describe('T4 / S2 / T3: messages', () => {
  test('S2: internal notes are never in the customer view; T3: afterId resumes without loss or repeats', async () => {
    const db = await setup();
    const agent = await addUser(db);
    const { ticket, message: first } = await createTicket(db, publicTicket());
    const note = await addMessage(db, { ticketId: ticket.id, authorId: agent.id, authorKind: 'agent', body: 'Check the ID first', internal: true });
    const reply = await addMessage(db, { ticketId: ticket.id, authorId: agent.id, authorKind: 'agent', body: 'We are on it.' });
    expect(note.ok && reply.ok).toBe(true);
    expect((await messagesOf(db, ticket.id)).map((m) => m.body)).toEqual(['I cannot sign in any more.', 'We are on it.']);
    expect((await messagesOf(db, ticket.id, { includeInternal: true })).map((m) => m.body)).toEqual(['I cannot sign in any more.', 'Check the ID first', 'We are on it.']);
    expect((await messagesOf(db, ticket.id, { afterId: first.id })).map((m) => m.body)).toEqual(['We are on it.']);
  });

  test('T4: a customer reply reopens a resolved or pending ticket; an agent reply does not change the status', async () => {
    const db = await setup();
    const { ticket } = await createTicket(db, publicTicket());
    await db.update(tickets).set({ status: 'resolved', resolvedAt: 2_000 }).where(eq(tickets.id, ticket.id));
    await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'agent', body: 'Glad it works.' }, 3_000);
    expect(await ticketById(db, ticket.id)).toMatchObject({ status: 'resolved', resolvedAt: 2_000, updatedAt: 3_000 });
    await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: 'It broke again.' }, 4_000);
    expect(await ticketById(db, ticket.id)).toMatchObject({ status: 'open', resolvedAt: null, updatedAt: 4_000 });
    await db.update(tickets).set({ status: 'pending' }).where(eq(tickets.id, ticket.id));
    await addMessage(db, { ticketId: ticket.id, authorId: null, authorKind: 'customer', body: 'Here is the info.' }, 5_000);
    expect((await ticketById(db, ticket.id))!.status).toBe('open');
  });
});

describe('T6 / A19: confirming the sender address', () => {
  test('A19: a tampered or malformed link is refused and confirms nothing', async () => {
    const db = await setup();
    const { ticket, confirmationToken } = await createTicket(db, publicTicket());
    const [id, secret] = confirmationToken!.split('.') as [string, string];
    for (const bad of [`${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`, 'garbage', '', `${id}`]) {
      expect(await confirmSender(db, bad)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await ticketById(db, ticket.id))!.senderVerifiedAt).toBeNull();
  });

  test('A19: the link expires after 24 hours', async () => {
    const db = await setup();
    const { ticket, confirmationToken } = await createTicket(db, publicTicket(), 1_000);
    expect(await confirmSender(db, confirmationToken!, 1_000 + SENDER_CONFIRMATION_TTL_MS)).toEqual({ ok: false, reason: 'expired' });
    expect((await ticketById(db, ticket.id))!.senderVerifiedAt).toBeNull();
  });

  test('A19: the link confirms the address once (the ticket records when); two parallel uses confirm once', async () => {
    const db = await setup();
    const { ticket, confirmationToken } = await createTicket(db, publicTicket(), 1_000);
    const results = await Promise.all([confirmSender(db, confirmationToken!, 2_000), confirmSender(db, confirmationToken!, 2_000)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, ticketNumber: ticket.number, locale: 'nl' }]);
    expect(await ticketById(db, ticket.id)).toMatchObject({ unverifiedSender: true, senderVerifiedAt: 2_000 });
    expect(await confirmSender(db, confirmationToken!, 3_000)).toEqual({ ok: false, reason: 'invalid' });
    expect((await ticketById(db, ticket.id))!.senderVerifiedAt).toBe(2_000);
  });
});

describe('T6: the public request', () => {
  const ctx = (over: Partial<SupportRequestContext> = {}): SupportRequestContext => ({
    user: null,
    locale: 'fr',
    meta: { ip: '192.0.2.9', userAgent: 'vitest', origin: 'http://loket.test' },
    entryExists: (slug) => slug === 'api-key',
    ...over,
  });
  const form = { email: 'visitor@example.com', name: 'Vi', topic: 'other', subject: 'Hello', message: 'A question' };

  test('N2: a wrong-type or unknown field is refused with a problem per field; nothing is written', async () => {
    const db = await setup();
    const result = await submitSupportRequest(db, { email: ['a@b.c'], name: '', topic: 'refund', subject: 7, message: null, entry: 'no-such-entry' }, ctx());
    expect(result).toEqual({ ok: false, reason: 'invalid', errors: { email: 'required', name: 'required', topic: 'invalid', subject: 'required', message: 'required', entry: 'invalid' } });
    expect(await counts(db)).toEqual({ tickets: 0, messages: 0, confirmations: 0, mails: 0 });
  });

  test('T1: a session of an account whose email is not verified opens no ticket for the account', async () => {
    const db = await setup();
    const user = { ...(await addUser(db)), emailVerifiedAt: null };
    const result = await submitSupportRequest(db, { topic: 'deletion-request', subject: 'Delete me', message: 'Please.' }, ctx({ user }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await counts(db)).toEqual({ tickets: 0, messages: 0, confirmations: 0, mails: 0 });
  });

  test('A19 / A16: signed in, the ticket is the account\'s, verified, and acknowledged in the preferred language without a link', async () => {
    const db = await setup();
    const user = await addUser(db);
    const result = await submitSupportRequest(db, { topic: 'deletion-request', subject: 'Delete me', message: 'Please.', email: 'other@example.com' }, ctx({ user, locale: 'nl' }));
    expect(result).toMatchObject({ ok: true, verified: true });
    expect(await ticketsOfCustomer(db, user.id)).toMatchObject([{ senderEmail: user.email, unverifiedSender: false, topic: 'deletion-request', locale: 'nl' }]);
    const [mail] = await db.select().from(mailOutbox);
    expect(mail).toMatchObject({ to: user.email, locale: 'fr' });
    expect(mail!.text).not.toContain('/support/confirm');
  });

  test('A21: the address is limited across networks; the limit counts whoever owns it', async () => {
    const db = await setup();
    for (let i = 0; i < SUPPORT_LIMITS.perEmail.limit; i++) {
      expect((await submitSupportRequest(db, form, ctx({ meta: { ip: `192.0.2.${i + 20}`, userAgent: 'v', origin: 'http://loket.test' } }))).ok).toBe(true);
    }
    const refused = await submitSupportRequest(db, form, ctx({ meta: { ip: '192.0.2.99', userAgent: 'v', origin: 'http://loket.test' } }));
    expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect((await counts(db)).tickets).toBe(SUPPORT_LIMITS.perEmail.limit);
  });

  test('T6: the acknowledgement goes to the given address in the page language with the ticket number and the confirm link', async () => {
    const db = await setup();
    const result = await submitSupportRequest(db, { ...form, entry: 'api-key' }, ctx());
    expect(result).toMatchObject({ ok: true, verified: false });
    const [mail] = await db.select().from(mailOutbox);
    expect(mail).toMatchObject({ to: 'visitor@example.com', kind: 'ticket-received', locale: 'fr' });
    expect(mail!.subject).toContain(String(result.ok && result.ticketNumber));
    expect(mail!.text).toMatch(/http:\/\/loket\.test\/fr\/support\/confirm\?token=[a-z2-7]+\.[a-z2-7]+/);
    expect((await db.select().from(tickets))[0]).toMatchObject({ contextEntrySlug: 'api-key', topic: 'other', unverifiedSender: true });
  });
});
