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

// Reading editor forms back from their HTML (as a browser would submit them).
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, code: string) => {
    if (code[0] === '#') return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? m;
  });

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) out[m[1]!.toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** The fields of the first `<form>` whose opening tag matches `marker`, as the browser would post them (no submit button). */
export function formFields(html: string, marker: RegExp | string = 'entry-form'): Record<string, string> {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms.find((f) => (typeof marker === 'string' ? f.slice(0, f.indexOf('>')).includes(marker) : marker.test(f)));
  if (!form) throw new Error(`no form ${marker}`);
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    if (!a.name) continue;
    if (a.type === 'checkbox' || a.type === 'radio') {
      if ('checked' in a) out[a.name] = a.value || 'on';
    } else if (a.type !== 'submit' && a.type !== 'button') out[a.name] = a.value ?? '';
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attributes(m[1]!);
    if (a.name) out[a.name] = decode(m[2]!);
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attributes(m[1]!);
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
    if (a.name) out[a.name] = (options.find((o) => 'selected' in o) ?? options[0])?.value ?? '';
  }
  return out;
}

/** The tag boxes of one column replaced by `tags`. */
export function withTags(form: Record<string, string>, lang: string, tags: string[]): Record<string, string> {
  const out = Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith(`tag-${lang}-`)));
  for (const tag of tags) out[`tag-${lang}-${tag}`] = 'on';
  return out;
}


export interface StarterEntry {
  id: number;
  slug: string;
  area: string;
  areaId: number;
  sourceLang: string;
}

/** The starter entries in area order, published in all three languages. */
export async function starterEntries(dbUrl: string): Promise<StarterEntry[]> {
  const rows = await query(
    dbUrl,
    `SELECT e.id, e.slug, a.slug AS area, a.id AS area_id, e.source_lang FROM kb_entries e JOIN kb_areas a ON a.id = e.area_id
     WHERE (SELECT COUNT(*) FROM kb_entry_translations t WHERE t.entry_id = e.id) = 3 ORDER BY a.position, e.position`,
  );
  return rows.map((r) => ({ id: Number(r.id), slug: String(r.slug), area: String(r.area), areaId: Number(r.area_id), sourceLang: String(r.source_lang) }));
}

/** The part of a page between the element opening with `marker` and the next `until` (or the end). */
export function slice(html: string, marker: string, until?: string): string {
  const start = html.indexOf(marker);
  if (start < 0) return '';
  const end = until ? html.indexOf(until, start + marker.length) : -1;
  return html.slice(start, end < 0 ? undefined : end);
}

/** N2 / E1: markup that can run script — script/iframe/svg/object/embed elements, on* attributes, javascript: URLs. */
export function activeMarkup(html: string): string[] {
  const found: string[] = [];
  // Attribute values are quoted (and their own quotes escaped): a `<` inside one is text, not a tag.
  for (const m of html.matchAll(/<([a-z][\w-]*)\b((?:"[^"]*"|'[^']*'|[^>'"])*)>/gi)) {
    const [tag, name, attrs] = [m[0], m[1]!.toLowerCase(), m[2]!];
    if (['script', 'iframe', 'svg', 'object', 'embed', 'math', 'style', 'base', 'form', 'meta', 'link'].includes(name)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(attrs)) found.push(tag);
    for (const a of Object.values(attributes(attrs))) if (/^\s*(javascript|vbscript|data\s*:\s*text\/html)/i.test(a.replace(/[\u0000-\u001f\s]+/g, ''))) found.push(tag);
  }
  return found;
}

/** The markup outside attribute values (where `<script>` inside a quoted value is harmless text). */
export const outsideAttributes = (html: string) => html.replace(/"[^"]*"/g, '""');
