// The editor workspace's tests: tickets arranged through the ticket domain functions (a customer's
// question, an agent's reply, optionally an internal note, a status), and a snapshot of every
// knowledge-base table to prove that a refused request wrote nothing.
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { createTicket } from '../../src/server/tickets/tickets.ts';
import { replyAsAgent, setTicketStatus } from '../../src/server/tickets/workflow.ts';
import { createActors, type Actor, type ActorName } from './actors.ts';
import { Device, query } from './http.ts';
import { startServer, type RunningServer } from './server.ts';

/** A real server with a fresh database (the starter content) and a signed-in Device per role. */
export async function startEditorServer(): Promise<{ server: RunningServer; actors: Record<ActorName, Actor>; visitor: Device }> {
  const server = await startServer({ TRUST_PROXY: '1' });
  return { server, actors: await createActors(server.origin, server.dbUrl), visitor: new Device(server.origin) };
}

/** Runs `f` with its own connection to the server's database file. */
export async function withDb<T>(dbUrl: string, f: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: dbUrl });
  try {
    return await f(db);
  } finally {
    db.$client.close();
  }
}

export interface TicketSetup {
  customer: { id: string; email: string };
  agent: { id: string };
  subject: string;
  question?: string;
  /** The agent's reply (none: a ticket without an answer). */
  reply?: string;
  /** An internal note, which must never reach a draft (E5). */
  note?: string;
  status?: 'open' | 'pending' | 'resolved';
  locale?: 'nl' | 'en' | 'fr';
  areaSlug?: string | null;
}

/** A ticket as the support desk leaves it; answers its id and number. */
export async function arrangeTicket(dbUrl: string, setup: TicketSetup): Promise<{ id: string; number: number }> {
  return withDb(dbUrl, async (db) => {
    const { ticket } = await createTicket(db, {
      customerId: setup.customer.id,
      senderEmail: setup.customer.email,
      senderName: 'Customer',
      unverifiedSender: false,
      subject: setup.subject,
      body: setup.question ?? 'Please help me with this.',
      topic: 'question',
      locale: setup.locale ?? 'en',
      areaSlug: setup.areaSlug ?? null,
    });
    const agent = { id: setup.agent.id, role: 'agent' as const };
    if (setup.note) await replyAsAgent(db, agent, ticket.id, setup.note, { internal: true, origin: 'http://localhost' });
    if (setup.reply) await replyAsAgent(db, agent, ticket.id, setup.reply, { origin: 'http://localhost' });
    if (setup.status) await setTicketStatus(db, agent, ticket.id, setup.status);
    return { id: ticket.id, number: ticket.number };
  });
}

const KB_TABLES = ['kb_areas', 'kb_area_translations', 'kb_entries', 'kb_entry_translations', 'kb_entry_drafts', 'kb_entry_revisions', 'kb_slug_redirects', 'kb_state'];

/** Every row of every knowledge-base table, as one string to compare before and after. */
export async function kbRows(dbUrl: string): Promise<string> {
  const parts: string[] = [];
  for (const table of KB_TABLES) parts.push(`${table}: ${JSON.stringify(await query(dbUrl, `SELECT * FROM ${table} ORDER BY rowid`))}`);
  return parts.join('\n');
}

/** The visible text of a page: tags dropped, whitespace collapsed (for "shows X" assertions). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
