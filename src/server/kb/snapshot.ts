// The published knowledge base, read from the database once per version and shared by
// every request of this process. A request costs one indexed read of kb_state.version;
// a publish anywhere (any instance) bumps it and the next request reloads (E3, N5).
import { asc } from 'drizzle-orm';
import { kbAreaTranslations, kbAreas, kbEntries, kbEntryTranslations } from '../../../db/schema/index.ts';
import { fallbackLocales, type Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';

export interface AreaText {
  title: string;
  description: string;
}
export interface Area {
  id: number;
  slug: string;
  position: number;
  texts: Map<Locale, AreaText>;
}
export interface EntryText {
  question: string;
  answerHtml: string;
  answerText: string;
  tags: string[];
  version: number;
  publishedAt: number;
}
export interface Entry {
  id: number;
  slug: string;
  area: Area;
  position: number;
  texts: Map<Locale, EntryText>;
}
/** What a page shows: the text in the asked language, or in a fallback with `fallback` set (K5). */
export interface LocalizedEntry extends EntryText {
  id: number;
  slug: string;
  areaSlug: string;
  lang: Locale;
  fallback: boolean;
}
export interface LocalizedArea extends AreaText {
  slug: string;
  lang: Locale;
  fallback: boolean;
}

export class KbSnapshot {
  readonly version: number;
  readonly areas: Area[];
  readonly entries: Entry[];
  private readonly areaBySlug: Map<string, Area>;
  private readonly entryBySlug: Map<string, Entry>;

  constructor(version: number, areas: Area[], entries: Entry[]) {
    this.version = version;
    this.areas = areas;
    this.entries = entries;
    this.areaBySlug = new Map(areas.map((a) => [a.slug, a]));
    this.entryBySlug = new Map(entries.map((e) => [e.slug, e]));
  }

  area(slug: string): Area | undefined {
    return this.areaBySlug.get(slug);
  }

  entry(slug: string): Entry | undefined {
    return this.entryBySlug.get(slug);
  }

  entriesOf(area: Area): Entry[] {
    return this.entries.filter((e) => e.area === area);
  }

  localizeArea(area: Area, lang: Locale): LocalizedArea | undefined {
    for (const l of fallbackLocales(lang)) {
      const text = area.texts.get(l);
      if (text) return { slug: area.slug, lang: l, fallback: l !== lang, ...text };
    }
    return undefined;
  }

  localizeEntry(entry: Entry, lang: Locale): LocalizedEntry | undefined {
    for (const l of fallbackLocales(lang)) {
      const text = entry.texts.get(l);
      if (text) return { id: entry.id, slug: entry.slug, areaSlug: entry.area.slug, lang: l, fallback: l !== lang, ...text };
    }
    return undefined;
  }

  /** All entries of the knowledge base as one language sees them (with fallbacks). */
  localizedEntries(lang: Locale, area?: Area): LocalizedEntry[] {
    const list = area ? this.entriesOf(area) : this.entries;
    return list.map((e) => this.localizeEntry(e, lang)).filter((e): e is LocalizedEntry => e !== undefined);
  }
}

/** How long a version read is reused. Publishes in this process invalidate at once (noteKbChanged). */
export const KB_VERSION_TTL_MS = Math.max(0, Number(process.env.KB_VERSION_TTL_MS ?? 100) || 0);

const versionReads = new WeakMap<Db, { read: Promise<number>; at: number; changes: number }>();

/**
 * Published changes noted in this process. One counter per process on globalThis: the server
 * script (its HTML cache) and the Astro bundle (where publishes happen) each load their own copy
 * of this module and their own Db, so a per-module note would not reach the other copy's reads.
 */
const CHANGES = Symbol.for('loket.kb.changes');
const changes = ((globalThis as Record<symbol, unknown>)[CHANGES] ??= { count: 0 }) as { count: number };

/**
 * The published knowledge-base version: one indexed read, shared by the requests of the next
 * KB_VERSION_TTL_MS (100 ms) so a hot page costs no query at all. A change made in this process
 * calls noteKbChanged() and is seen by the very next request; one made by another instance or
 * the import command within the TTL.
 */
export function readKbVersion(db: Db): Promise<number> {
  const now = performance.now();
  const cached = versionReads.get(db);
  if (cached && cached.changes === changes.count && now - cached.at < KB_VERSION_TTL_MS) return cached.read;
  const read = db.$client.execute('SELECT version FROM kb_state WHERE id = 1').then((r) => Number(r.rows[0]?.version ?? 0));
  const entry = { read, at: now, changes: changes.count };
  versionReads.set(db, entry);
  read.catch(() => versionReads.get(db) === entry && versionReads.delete(db));
  return read;
}

/** Call after writing a published change, so this process (every copy of this module) serves it on the next request (E3). */
export function noteKbChanged(db: Db): void {
  versionReads.delete(db);
  changes.count++;
}

async function loadSnapshot(db: Db, version: number): Promise<KbSnapshot> {
  const [areaRows, areaTexts, entryRows, entryTexts] = await Promise.all([
    db.select().from(kbAreas).orderBy(asc(kbAreas.position), asc(kbAreas.slug)),
    db.select().from(kbAreaTranslations),
    db.select().from(kbEntries).orderBy(asc(kbEntries.position), asc(kbEntries.slug)),
    db
      .select({
        entryId: kbEntryTranslations.entryId,
        lang: kbEntryTranslations.lang,
        question: kbEntryTranslations.question,
        answerHtml: kbEntryTranslations.answerHtml,
        answerText: kbEntryTranslations.answerText,
        tags: kbEntryTranslations.tags,
        version: kbEntryTranslations.version,
        publishedAt: kbEntryTranslations.publishedAt,
      })
      .from(kbEntryTranslations),
  ]);
  const areaById = new Map<number, Area>();
  const areas = areaRows.map((a) => {
    const area: Area = { id: a.id, slug: a.slug, position: a.position, texts: new Map() };
    areaById.set(a.id, area);
    return area;
  });
  for (const t of areaTexts) areaById.get(t.areaId)?.texts.set(t.lang as Locale, { title: t.title, description: t.description });
  const entryById = new Map<number, Entry>();
  const entries: Entry[] = [];
  for (const e of entryRows) {
    const area = areaById.get(e.areaId);
    if (!area) continue;
    const entry: Entry = { id: e.id, slug: e.slug, area, position: e.position, texts: new Map() };
    entryById.set(e.id, entry);
    entries.push(entry);
  }
  for (const { entryId, lang, ...text } of entryTexts) entryById.get(entryId)?.texts.set(lang as Locale, text);
  // Entries without any published text are not public.
  const published = entries.filter((e) => e.texts.size > 0);
  published.sort((a, b) => a.area.position - b.area.position || a.position - b.position || a.slug.localeCompare(b.slug));
  return new KbSnapshot(version, areas, published);
}

const current = new WeakMap<Db, { version: number; snapshot: Promise<KbSnapshot> }>();

/** The snapshot for the database's current version; concurrent callers share one load. */
export async function getKb(db: Db): Promise<KbSnapshot> {
  const version = await readKbVersion(db);
  const cached = current.get(db);
  if (cached && cached.version === version) return cached.snapshot;
  const snapshot = loadSnapshot(db, version);
  current.set(db, { version, snapshot });
  snapshot.catch(() => {
    if (current.get(db)?.snapshot === snapshot) current.delete(db);
  });
  return snapshot;
}
