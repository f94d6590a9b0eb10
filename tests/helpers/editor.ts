// The editor workspace's tests: read an editor form back from its HTML (as a browser would submit
// it), a fingerprint of every knowledge-base table (to prove a refusal wrote nothing), and the
// starter entries to work on.
import { query } from './http.ts';

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

/** Everything the editor can write, as one string: equal before and after means nothing was written. */
export async function kbFingerprint(dbUrl: string): Promise<string> {
  const tables = [
    'SELECT id, slug, area_id, position, source_lang, edit_revision, updated_at FROM kb_entries ORDER BY id',
    'SELECT * FROM kb_entry_translations ORDER BY entry_id, lang',
    'SELECT * FROM kb_entry_drafts ORDER BY entry_id, lang',
    'SELECT * FROM kb_entry_revisions ORDER BY id',
    'SELECT * FROM kb_slug_redirects ORDER BY kind, old_slug',
    'SELECT * FROM kb_areas ORDER BY id',
    'SELECT * FROM kb_area_translations ORDER BY area_id, lang',
    'SELECT version FROM kb_state',
  ];
  const rows = await Promise.all(tables.map((sql) => query(dbUrl, sql)));
  return JSON.stringify(rows);
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
