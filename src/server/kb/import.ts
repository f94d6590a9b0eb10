// E4: loads content/ into the database. Idempotent: an unchanged tree writes nothing;
// a changed file updates its translation, keeps the previous version as a revision (E1)
// and bumps the knowledge-base version so caches and the search index refresh (E3).
import type { BatchItem } from 'drizzle-orm/batch';
import { max, sql } from 'drizzle-orm';
import {
  kbAreaTranslations,
  kbAreas,
  kbEntries,
  kbEntryRevisions,
  kbEntryTranslations,
  kbState,
} from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { readContent, type ContentSet } from './content-files.ts';
import { markdownToText, renderMarkdown } from './markdown.ts';
import { noteKbChanged } from './snapshot.ts';

export interface ImportReport {
  areasCreated: number;
  areasUpdated: number;
  entriesCreated: number;
  entriesUpdated: number;
  translationsCreated: number;
  translationsUpdated: number;
  unchanged: number;
  /** True when anything was written. */
  changed: boolean;
}

const nowMs = sql`(unixepoch('subsec') * 1000)`;
/** E2: entries created by the import are written in Dutch first (the schema's default). */
const DEFAULT_SOURCE_LANG = 'nl';
const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

export async function importContentDir(db: Db, root: string): Promise<ImportReport> {
  return importContent(db, await readContent(root));
}

export async function importContent(db: Db, content: ContentSet): Promise<ImportReport> {
  const report: ImportReport = {
    areasCreated: 0,
    areasUpdated: 0,
    entriesCreated: 0,
    entriesUpdated: 0,
    translationsCreated: 0,
    translationsUpdated: 0,
    unchanged: 0,
    changed: false,
  };
  const [areaRows, areaTrRows, entryRows, trRows, revisionRows] = await Promise.all([
    db.select().from(kbAreas),
    db.select().from(kbAreaTranslations),
    db.select().from(kbEntries),
    db
      .select({
        entryId: kbEntryTranslations.entryId,
        lang: kbEntryTranslations.lang,
        question: kbEntryTranslations.question,
        answerMd: kbEntryTranslations.answerMd,
        tags: kbEntryTranslations.tags,
        version: kbEntryTranslations.version,
      })
      .from(kbEntryTranslations),
    // E1: the highest version ever published per translation (an unpublished one has none live)
    db
      .select({ entryId: kbEntryRevisions.entryId, lang: kbEntryRevisions.lang, version: max(kbEntryRevisions.version) })
      .from(kbEntryRevisions)
      .groupBy(kbEntryRevisions.entryId, kbEntryRevisions.lang),
  ]);
  const areaBySlug = new Map(areaRows.map((a) => [a.slug, a]));
  const areaSlugById = new Map(areaRows.map((a) => [a.id, a.slug]));
  const areaTr = new Map(areaTrRows.map((t) => [`${areaSlugById.get(t.areaId)}/${t.lang}`, t]));
  const entryBySlug = new Map(entryRows.map((e) => [e.slug, e]));
  const entrySlugById = new Map(entryRows.map((e) => [e.id, e.slug]));
  const tr = new Map(trRows.map((t) => [`${entrySlugById.get(t.entryId)}/${t.lang}`, t]));
  const lastVersion = new Map(revisionRows.map((r) => [`${entrySlugById.get(r.entryId)}/${r.lang}`, r.version ?? 0]));

  const statements: BatchItem<'sqlite'>[] = [];
  const areaId = (slug: string) => sql`(SELECT id FROM kb_areas WHERE slug = ${slug})`;
  const entryId = (slug: string) => sql`(SELECT id FROM kb_entries WHERE slug = ${slug})`;

  // Areas: position comes from the order in front matter; any language's file may set it.
  const areaOrder = new Map<string, number>();
  for (const a of content.areas) areaOrder.set(a.area, Math.min(areaOrder.get(a.area) ?? a.order, a.order));
  for (const [slug, order] of areaOrder) {
    const existing = areaBySlug.get(slug);
    if (!existing) {
      statements.push(db.insert(kbAreas).values({ slug, position: order }));
      report.areasCreated++;
    } else if (existing.position !== order) {
      statements.push(db.update(kbAreas).set({ position: order, updatedAt: nowMs }).where(sql`${kbAreas.slug} = ${slug}`));
      report.areasUpdated++;
    }
  }
  for (const a of content.areas) {
    const existing = areaTr.get(`${a.area}/${a.lang}`);
    if (existing && existing.title === a.title && existing.description === a.description) continue;
    statements.push(
      db
        .insert(kbAreaTranslations)
        .values({ areaId: areaId(a.area), lang: a.lang, title: a.title, description: a.description })
        .onConflictDoUpdate({
          target: [kbAreaTranslations.areaId, kbAreaTranslations.lang],
          set: { title: a.title, description: a.description, updatedAt: nowMs },
        }),
    );
    if (existing) report.areasUpdated++;
    else report.areasCreated++;
  }

  // Entries: one row per slug; area and position from the files.
  const entryShape = new Map<string, { area: string; order: number }>();
  for (const e of content.entries) {
    const seen = entryShape.get(e.slug);
    entryShape.set(e.slug, { area: e.area, order: Math.min(seen?.order ?? e.order, e.order) });
  }
  for (const [slug, shape] of entryShape) {
    const existing = entryBySlug.get(slug);
    if (!existing) {
      statements.push(db.insert(kbEntries).values({ slug, areaId: areaId(shape.area), position: shape.order }));
      report.entriesCreated++;
    } else if (areaSlugById.get(existing.areaId) !== shape.area || existing.position !== shape.order) {
      statements.push(
        db
          .update(kbEntries)
          .set({ areaId: areaId(shape.area), position: shape.order, updatedAt: nowMs })
          .where(sql`${kbEntries.slug} = ${slug}`),
      );
      report.entriesUpdated++;
    }
  }

  // E2: each entry's source language is written first, so a translation written in the same
  // import records the source version it now matches.
  const sourceLangOf = (slug: string) => entryBySlug.get(slug)?.sourceLang ?? DEFAULT_SOURCE_LANG;
  const ordered = [...content.entries].sort((a, b) => Number(b.lang === sourceLangOf(b.slug)) - Number(a.lang === sourceLangOf(a.slug)));
  const changedEntries = new Set<string>();
  for (const e of ordered) {
    const existing = tr.get(`${e.slug}/${e.lang}`);
    if (existing && existing.question === e.question && existing.answerMd === e.answer && sameTags(existing.tags, e.tags)) {
      report.unchanged++;
      continue;
    }
    // Past every version ever published: a translation an editor unpublished keeps its history.
    const version = Math.max(existing?.version ?? 0, lastVersion.get(`${e.slug}/${e.lang}`) ?? 0) + 1;
    const sourceVersion =
      e.lang === sourceLangOf(e.slug)
        ? sql`${version}`
        : sql`(SELECT t.version FROM kb_entry_translations t JOIN kb_entries k ON k.id = t.entry_id WHERE k.slug = ${e.slug} AND t.lang = k.source_lang)`;
    const values = {
      question: e.question,
      answerMd: e.answer,
      answerHtml: renderMarkdown(e.answer),
      answerText: markdownToText(e.answer),
      tags: e.tags,
      version,
      sourceVersion,
    };
    changedEntries.add(e.slug);
    statements.push(
      db
        .insert(kbEntryTranslations)
        .values({ entryId: entryId(e.slug), lang: e.lang, ...values })
        .onConflictDoUpdate({
          target: [kbEntryTranslations.entryId, kbEntryTranslations.lang],
          set: { ...values, publishedAt: nowMs },
        }),
      db.insert(kbEntryRevisions).values({
        entryId: entryId(e.slug),
        lang: e.lang,
        version,
        question: e.question,
        answerMd: e.answer,
        tags: e.tags,
        author: 'import',
        action: 'import',
        sourceVersion,
      }),
    );
    if (existing) report.translationsUpdated++;
    else report.translationsCreated++;
  }

  // E1: an editor with the entry open is told it changed underneath (see editor/entries.ts).
  for (const slug of changedEntries) statements.push(db.update(kbEntries).set({ editRevision: sql`${kbEntries.editRevision} + 1` }).where(sql`${kbEntries.slug} = ${slug}`));
  if (statements.length > 0) {
    statements.push(bumpKbVersion(db));
    // One batch: the import lands whole or not at all, and never holds a transaction across awaits.
    await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    noteKbChanged(db);
    report.changed = true;
  }
  return report;
}

/** E3: every published change bumps this; caches and the search index key on it. */
export function bumpKbVersion(db: Db) {
  return db
    .insert(kbState)
    .values({ id: 1, version: 1 })
    .onConflictDoUpdate({ target: kbState.id, set: { version: sql`${kbState.version} + 1`, updatedAt: nowMs } });
}
