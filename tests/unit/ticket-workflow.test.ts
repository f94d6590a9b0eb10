// T4 / T5 / S2 on a real database file: status changes by agents only, claiming and assigning,
// replies and internal notes (T5: emailed when the customer is not watching), rating after
// resolution, and the 7-day auto-close — each change with its live event, or none when refused.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { mailOutbox, ticketEvents, tickets, users, type Role } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { enterPresence } from '../../src/server/live/presence.ts';
import { channels, latestPosition, ticketSource } from '../../src/server/tickets/live-events.ts';
import { createTicket, ticketById } from '../../src/server/tickets/tickets.ts';
import { AUTO_CLOSE_AFTER_MS, assignTicket, closeResolvedTickets, rateTicket, replyAsAgent, setTicketStatus } from '../../src/server/tickets/workflow.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const ORIGIN = 'https://help.example.com';

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const make = async (role: Role, extra: Partial<typeof users.$inferInsert> = {}) => {
    const id = randomId();
    await h.db.insert(users).values({ id, email: `${role}-${id}@example.com`, name: `The ${role}`, username: `${role}-${id.slice(0, 6)}`, passwordHash: 'x', role, emailVerifiedAt: 1, ...extra });
    return { id, role };
  };
  const customer = await make('customer', { locale: 'nl', name: 'Klant Jansen' });
  const other = await make('customer');
  const agent = await make('agent', { name: 'Sam Agent' });
  const admin = await make('admin');
  const editor = await make('editor');
  const newTicket = async () =>
    (await createTicket(h.db, { customerId: customer.id, senderEmail: `customer@example.com`, senderName: 'Klant', unverifiedSender: false, subject: 'Inloggen lukt niet', body: 'Help', topic: 'question', locale: 'nl' })).ticket;
  const events = async (ticketId: string) => h.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId));
  return { db: h.db, customer, other, agent, admin, editor, newTicket, events };
}

describe('T4 / S2: status changes', () => {
  test('T4 / S2: customers and editors cannot change a status; nothing is recorded', async () => {
    const s = await setup();
    const t = await s.newTicket();
    for (const actor of [s.customer, s.editor]) expect(await setTicketStatus(s.db, actor, t.id, 'resolved')).toEqual({ ok: false, reason: 'forbidden' });
    expect((await ticketById(s.db, t.id))!.status).toBe('new');
    expect(await s.events(t.id)).toHaveLength(1); // only 'created'
  });

  test('T4: an unknown status or ticket is refused; closed tickets stay closed and record nothing', async () => {
    const s = await setup();
    const t = await s.newTicket();
    for (const bad of ['closed', 'new', 'done', '', null, 3]) expect(await setTicketStatus(s.db, s.agent, t.id, bad)).toEqual({ ok: false, reason: 'invalid' });
    expect(await setTicketStatus(s.db, s.agent, 'nope', 'open')).toEqual({ ok: false, reason: 'not-found' });
    await s.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, t.id));
    expect(await setTicketStatus(s.db, s.agent, t.id, 'open')).toEqual({ ok: false, reason: 'closed' });
    expect(await s.events(t.id)).toHaveLength(1);
  });

  test('T4: open → pending → resolved, each a status event the customer sees; resolved records the time', async () => {
    const s = await setup();
    const t = await s.newTicket();
    expect(await setTicketStatus(s.db, s.agent, t.id, 'pending', 1_000)).toEqual({ ok: true, changed: true });
    expect(await setTicketStatus(s.db, s.admin, t.id, 'pending', 2_000)).toEqual({ ok: true, changed: false });
    expect(await setTicketStatus(s.db, s.agent, t.id, 'resolved', 3_000)).toEqual({ ok: true, changed: true });
    expect(await ticketById(s.db, t.id)).toMatchObject({ status: 'resolved', resolvedAt: 3_000 });
    const seen = await ticketSource(s.db, t.id, 'customer').after(1);
    expect(seen.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([
      ['status', 'pending'],
      ['status', 'resolved'],
    ]);
  });
});

describe('S2: claiming and assigning', () => {
  test('S2: claiming a new ticket assigns it and opens it; the assignment is staff-only', async () => {
    const s = await setup();
    const t = await s.newTicket();
    expect(await assignTicket(s.db, s.agent, t.id, s.agent.id)).toEqual({ ok: true });
    expect(await ticketById(s.db, t.id)).toMatchObject({ assigneeId: s.agent.id, status: 'open' });
    const staff = await ticketSource(s.db, t.id, 'staff').after(1);
    expect(staff.map((e) => e.type)).toEqual(['assigned', 'status']);
    expect(staff[0]!.data).toMatchObject({ assigneeId: s.agent.id, by: s.agent.id });
    const customer = await ticketSource(s.db, t.id, 'customer').after(1);
    expect(customer.map((e) => e.type)).toEqual(['status']);
  });

  test('S2: only agents and admins can be assigned, only by agents and admins', async () => {
    const s = await setup();
    const t = await s.newTicket();
    expect(await assignTicket(s.db, s.editor, t.id, s.agent.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await assignTicket(s.db, s.customer, t.id, s.customer.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await assignTicket(s.db, s.agent, t.id, s.editor.id)).toEqual({ ok: false, reason: 'invalid' });
    expect(await assignTicket(s.db, s.agent, t.id, s.customer.id)).toEqual({ ok: false, reason: 'invalid' });
    expect(await assignTicket(s.db, s.agent, t.id, 'nobody')).toEqual({ ok: false, reason: 'invalid' });
    expect(await assignTicket(s.db, s.agent, t.id, s.admin.id)).toEqual({ ok: true });
    expect(await assignTicket(s.db, s.agent, t.id, null)).toEqual({ ok: true });
    expect((await ticketById(s.db, t.id))!.assigneeId).toBeNull();
  });
});

describe('T5 / S2: agent replies and notes', () => {
  test('T5: a reply to a customer who is not watching goes by email in their language, with the text and a link back; the ticket opens', async () => {
    const s = await setup();
    const t = await s.newTicket();
    const result = await replyAsAgent(s.db, s.agent, t.id, 'Probeer het nu opnieuw.\nGroet', { origin: ORIGIN });
    expect(result).toMatchObject({ ok: true, emailed: true });
    const [mail] = await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'ticket-reply'));
    expect(mail).toMatchObject({ locale: 'nl', subject: `Nieuw antwoord op je vraag (#${t.number})` });
    expect(mail!.text).toContain('> Probeer het nu opnieuw.\n> Groet');
    expect(mail!.text).toContain(`${ORIGIN}/nl/support/tickets/${t.number}`);
    expect(mail!.text).toContain('Sam Agent');
    expect((await ticketById(s.db, t.id))!.status).toBe('open');
  });

  test('T5: no email while the customer has the ticket open; an internal note never emails and never reaches the customer (S2)', async () => {
    const s = await setup();
    const t = await s.newTicket();
    const leave = await enterPresence(s.db, channels.ticket(t.id, 'customer'), s.customer.id);
    expect(await replyAsAgent(s.db, s.agent, t.id, 'I am on it', { origin: ORIGIN })).toMatchObject({ ok: true, emailed: false });
    await leave();
    expect(await replyAsAgent(s.db, s.agent, t.id, 'customer seems confused', { internal: true, origin: ORIGIN })).toMatchObject({ ok: true });
    expect(await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'ticket-reply'))).toHaveLength(0);
    const customer = await ticketSource(s.db, t.id, 'customer').after(0);
    expect(JSON.stringify(customer)).not.toContain('confused');
  });

  test('T6: a public sender is always answered by email, pointing to /support with the ticket number', async () => {
    const s = await setup();
    const { ticket } = await createTicket(s.db, { customerId: null, senderEmail: 'public@example.com', senderName: 'Pub', unverifiedSender: true, subject: 'Lost access', body: 'Help', topic: 'lost-access', locale: 'fr' });
    expect(await replyAsAgent(s.db, s.agent, ticket.id, 'Bonjour', { origin: ORIGIN })).toMatchObject({ ok: true, emailed: true });
    const [mail] = await s.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'ticket-reply'));
    expect(mail).toMatchObject({ to: 'public@example.com', locale: 'fr' });
    expect(mail!.text).toContain(`${ORIGIN}/fr/support`);
    expect(mail!.text).toContain(`n° ${ticket.number}`);
  });

  test('S2: customers and editors cannot reply as agents; bad text is refused and records nothing', async () => {
    const s = await setup();
    const t = await s.newTicket();
    for (const actor of [s.customer, s.editor]) expect((await replyAsAgent(s.db, actor, t.id, 'hi', { origin: ORIGIN })).ok).toBe(false);
    for (const body of ['', '   ', 'x'.repeat(10_001), 42, null]) expect((await replyAsAgent(s.db, s.agent, t.id, body, { origin: ORIGIN })).ok).toBe(false);
    expect(await latestPosition(s.db, { ticketId: t.id, audience: 'staff' })).toBe(1);
  });
});

describe('T4: rating and closing', () => {
  test('T4: only the ticket’s customer rates, only after resolution; a refused rating records nothing', async () => {
    const s = await setup();
    const t = await s.newTicket();
    expect(await rateTicket(s.db, s.customer, t.id, { rating: 'good' })).toEqual({ ok: false, reason: 'not-resolved' });
    expect(await s.events(t.id)).toHaveLength(1);
    await setTicketStatus(s.db, s.agent, t.id, 'resolved');
    expect(await rateTicket(s.db, s.other, t.id, { rating: 'good' })).toEqual({ ok: false, reason: 'not-found' });
    expect(await rateTicket(s.db, s.customer, t.id, { rating: 'great' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await rateTicket(s.db, s.customer, t.id, { rating: 'bad', comment: 'x'.repeat(1001) })).toEqual({ ok: false, reason: 'comment-too-long' });
    expect(await rateTicket(s.db, s.customer, t.id, { rating: 'bad', comment: '  Took too long  ' })).toEqual({ ok: true });
    expect(await ticketById(s.db, t.id)).toMatchObject({ rating: 'bad', ratingComment: 'Took too long' });
    expect((await s.events(t.id)).map((e) => e.type)).toEqual(['created', 'status', 'rated']);
  });

  test('T4: resolved tickets close 7 days after resolution, not before; a customer reply reopens them first', async () => {
    const s = await setup();
    const [a, b, c] = [await s.newTicket(), await s.newTicket(), await s.newTicket()];
    const t0 = 1_700_000_000_000;
    await setTicketStatus(s.db, s.agent, a.id, 'resolved', t0);
    await setTicketStatus(s.db, s.agent, b.id, 'resolved', t0 + 60_000);
    await setTicketStatus(s.db, s.agent, c.id, 'resolved', t0);
    const { addMessage } = await import('../../src/server/tickets/tickets.ts');
    await addMessage(s.db, { ticketId: c.id, authorId: s.customer.id, authorKind: 'customer', body: 'Not fixed yet' }, t0 + 1000);
    expect(await closeResolvedTickets(s.db, t0 + AUTO_CLOSE_AFTER_MS - 1)).toBe(0);
    expect(await closeResolvedTickets(s.db, t0 + AUTO_CLOSE_AFTER_MS)).toBe(1);
    expect(await ticketById(s.db, a.id)).toMatchObject({ status: 'closed', closedAt: t0 + AUTO_CLOSE_AFTER_MS });
    expect((await ticketById(s.db, b.id))!.status).toBe('resolved');
    expect((await ticketById(s.db, c.id))!.status).toBe('open');
    const seen = await ticketSource(s.db, a.id, 'customer').after(0);
    expect(seen.at(-1)).toMatchObject({ type: 'status', data: { status: 'closed' } });
  });
});
