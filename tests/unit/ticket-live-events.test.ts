// T3 / S1 / S2 on a real database file: each change of a ticket is recorded with positions per
// ticket (staff), per ticket for the customer (internal notes excluded) and over all tickets
// (the queue); concurrent writers never share a position; the sources replay exactly what each
// audience may see. Presence (T3 agent online, T5, S2) holds across "instances" sharing a database.
import { afterEach, describe, expect, test } from 'vitest';
import { tickets, users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import { InProcessEventBus, type BusMessage } from '../../src/server/live/bus.ts';
import { enterPresence, isPresent, presentUsers, refreshPresenceNow, STALE_MS } from '../../src/server/live/presence.ts';
import { channels, eventsOf, latestPosition, publishTicketEvents, queueSource, ticketEventStatement, ticketSource, type TicketEvent } from '../../src/server/tickets/live-events.ts';
import { tempDb } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

async function setup() {
  const h = await tempDb();
  cleanups.push(h.close);
  const customerId = randomId();
  await h.db.insert(users).values({ id: customerId, email: 'c@example.com', name: 'C', username: 'c', passwordHash: 'x', emailVerifiedAt: Date.now() });
  let number = 1000;
  const addTicket = async () => {
    const id = randomId();
    await h.db.insert(tickets).values({ id, number: ++number, customerId, senderEmail: 'c@example.com', subject: 'Help', locale: 'en' });
    return id;
  };
  const record = async (ticketId: string, type: 'message' | 'status', data: Record<string, unknown>, customerVisible = true): Promise<TicketEvent> => {
    const [rows] = await h.db.batch([ticketEventStatement(h.db, { ticketId, type, data, customerVisible, at: Date.now() })]);
    return eventsOf(rows)[0]!;
  };
  return { db: h.db, addTicket, record };
}

describe('T3 / S2: the ticket record', () => {
  test('T3: positions increase per ticket; internal notes get no customer position (S2)', async () => {
    const { addTicket, record } = await setup();
    const a = await addTicket();
    const b = await addTicket();
    const e1 = await record(a, 'message', { body: 'hello' });
    const e2 = await record(a, 'message', { body: 'internal note', internal: true }, false);
    const e3 = await record(b, 'message', { body: 'other ticket' });
    const e4 = await record(a, 'status', { status: 'pending' });
    expect([e1.seq, e2.seq, e4.seq]).toEqual([1, 2, 3]);
    expect([e1.customerSeq, e2.customerSeq, e4.customerSeq]).toEqual([1, null, 2]);
    expect([e3.seq, e3.customerSeq]).toEqual([1, 1]);
    expect(e1.id < e2.id && e2.id < e3.id && e3.id < e4.id).toBe(true);
  });

  test('T3: 50 concurrent writers on one ticket get 50 distinct, gapless positions', async () => {
    const { addTicket, record } = await setup();
    const a = await addTicket();
    const events = await Promise.all(Array.from({ length: 50 }, (_, i) => record(a, 'message', { body: `m${i}` }, i % 5 !== 0)));
    expect(events.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(events.flatMap((e) => (e.customerSeq === null ? [] : [e.customerSeq])).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  test('S2: the customer source never replays an internal note; the staff source replays everything', async () => {
    const { db, addTicket, record } = await setup();
    const a = await addTicket();
    await record(a, 'message', { body: 'question' });
    await record(a, 'message', { body: 'staff only', internal: true }, false);
    await record(a, 'message', { body: 'answer' });
    const bus = new InProcessEventBus();
    const customer = await ticketSource(db, a, 'customer', bus).after(0);
    const staff = await ticketSource(db, a, 'staff', bus).after(0);
    expect(customer.map((e) => [e.seq, (e.data as { body: string }).body])).toEqual([
      [1, 'question'],
      [2, 'answer'],
    ]);
    expect(staff.map((e) => (e.data as { body: string }).body)).toEqual(['question', 'staff only', 'answer']);
    expect(await ticketSource(db, a, 'customer', bus).after(1)).toHaveLength(1);
    expect(await latestPosition(db, { ticketId: a, audience: 'customer' })).toBe(2);
    expect(await latestPosition(db, { ticketId: a, audience: 'staff' })).toBe(3);
  });

  test('S1 / S2: publishing sends staff and queue everything, the customer only their copy', async () => {
    const { db, addTicket, record } = await setup();
    const a = await addTicket();
    const bus = new InProcessEventBus();
    const got: Record<string, BusMessage[]> = { customer: [], staff: [], queue: [] };
    bus.subscribe(channels.ticket(a, 'customer'), (m) => got.customer!.push(m));
    bus.subscribe(channels.ticket(a, 'staff'), (m) => got.staff!.push(m));
    bus.subscribe(channels.queue, (m) => got.queue!.push(m));
    const note = await record(a, 'message', { body: 'note', internal: true }, false);
    const reply = await record(a, 'message', { body: 'reply' });
    await publishTicketEvents([note, reply], bus);
    expect(got.customer!.map((m) => m.seq)).toEqual([1]);
    expect(got.staff!.map((m) => m.seq)).toEqual([1, 2]);
    expect(got.queue!.map((m) => m.seq)).toEqual([note.id, reply.id]);
    expect((await queueSource(db, bus).after(note.id)).map((m) => m.seq)).toEqual([reply.id]);
    expect(await latestPosition(db, 'queue')).toBe(reply.id);
  });
});

describe('T3 / T5 / S2: presence', () => {
  test('T3: an open stream counts at once; closing it removes it; a stale one (dead instance) does not count', async () => {
    const { db } = await setup();
    expect(await isPresent(db, 'staff')).toBe(false);
    const leave = await enterPresence(db, 'staff', 'agent-1');
    const leaveToo = await enterPresence(db, 'staff', 'agent-1'); // a second tab
    const other = await enterPresence(db, 'staff', 'agent-2');
    expect(await isPresent(db, 'staff')).toBe(true);
    expect((await presentUsers(db, 'staff')).sort()).toEqual(['agent-1', 'agent-2']);
    expect(await presentUsers(db, 'staff', { except: 'agent-1' })).toEqual(['agent-2']);
    await leave();
    expect((await presentUsers(db, 'staff')).sort()).toEqual(['agent-1', 'agent-2']);
    await leaveToo();
    await other();
    expect(await isPresent(db, 'staff')).toBe(false);
    // a stream whose instance stopped refreshing goes stale
    const gone = await enterPresence(db, 'ticket:x:customer', 'customer-1');
    expect(await isPresent(db, 'ticket:x:customer', Date.now() + STALE_MS + 1000)).toBe(false);
    await refreshPresenceNow(Date.now() + STALE_MS + 1000);
    expect(await isPresent(db, 'ticket:x:customer', Date.now() + STALE_MS + 1500)).toBe(true);
    await gone();
  });
});

describe('T3 / T4 / S2: ticket changes write their events in the same batch', () => {
  test('T3: a new ticket and each message are recorded with the message id, author and the ticket summary', async () => {
    const { db } = await setup();
    const { createTicket, addMessage } = await import('../../src/server/tickets/tickets.ts');
    const customer = (await db.select().from(users).limit(1))[0]!;
    const { ticket, message } = await createTicket(db, {
      customerId: customer.id,
      senderEmail: customer.email,
      senderName: customer.name,
      unverifiedSender: false,
      subject: 'Cannot sign in',
      body: 'Help me please',
      topic: 'question',
      locale: 'en',
    });
    const agentId = randomId();
    await db.insert(users).values({ id: agentId, email: 'agent@example.com', name: 'Agent Smith', username: 'agent', passwordHash: 'x', role: 'agent', emailVerifiedAt: Date.now() });
    const note = await addMessage(db, { ticketId: ticket.id, authorId: agentId, authorKind: 'agent', body: 'check the logs', internal: true });
    const reply = await addMessage(db, { ticketId: ticket.id, authorId: agentId, authorKind: 'agent', body: 'Try again now' });
    expect(note.ok && reply.ok).toBe(true);
    const staff = await ticketSource(db, ticket.id, 'staff').after(0);
    expect(staff.map((e) => [e.seq, e.type])).toEqual([
      [1, 'created'],
      [2, 'message'],
      [3, 'message'],
    ]);
    expect(staff[0]!.data).toMatchObject({ messageId: message.id, authorKind: 'customer', authorName: customer.name, body: 'Help me please', internal: false, number: ticket.number, subject: 'Cannot sign in', status: 'new' });
    expect(staff[1]!.data).toMatchObject({ internal: true, body: 'check the logs', authorName: 'Agent Smith' });
    const customerCopy = await ticketSource(db, ticket.id, 'customer').after(0);
    expect(customerCopy.map((e) => (e.data as { body: string }).body)).toEqual(['Help me please', 'Try again now']);
    expect(JSON.stringify(customerCopy)).not.toContain('check the logs');
    expect((customerCopy[1]!.data as { messageId: number }).messageId).toBe(reply.ok ? reply.message.id : -1);
  });

  test('T4: a customer reply that reopens a resolved ticket records the message and the status change', async () => {
    const { db } = await setup();
    const { createTicket, addMessage } = await import('../../src/server/tickets/tickets.ts');
    const customer = (await db.select().from(users).limit(1))[0]!;
    const { ticket } = await createTicket(db, { customerId: customer.id, senderEmail: customer.email, senderName: '', unverifiedSender: false, subject: 'S', body: 'B', topic: 'question', locale: 'en' });
    await db.update(tickets).set({ status: 'resolved', resolvedAt: Date.now() });
    await addMessage(db, { ticketId: ticket.id, authorId: customer.id, authorKind: 'customer', body: 'Still broken' });
    const events = await ticketSource(db, ticket.id, 'customer').after(1);
    expect(events.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([
      ['message', 'open'],
      ['status', 'open'],
    ]);
    // a bad message writes no event
    expect((await addMessage(db, { ticketId: ticket.id, authorId: customer.id, authorKind: 'customer', body: '   ' })).ok).toBe(false);
    expect(await latestPosition(db, { ticketId: ticket.id, audience: 'staff' })).toBe(3);
  });
});
