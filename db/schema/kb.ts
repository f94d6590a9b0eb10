// Knowledge base: areas and entries, a stable slug shared by all languages (K4),
// one published translation per language, every published version kept (E1),
// and "was this helpful" votes and counts per entry and language (K6).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(unixepoch('subsec') * 1000)`;

export const kbAreas = sqliteTable('kb_areas', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  position: integer('position').notNull().default(0),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

export const kbAreaTranslations = sqliteTable(
  'kb_area_translations',
  {
    areaId: integer('area_id').notNull().references(() => kbAreas.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.areaId, t.lang] })],
);

export const kbEntries = sqliteTable(
  'kb_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    areaId: integer('area_id').notNull().references(() => kbAreas.id),
    position: integer('position').notNull().default(0),
    /** E2: the language the others are translated from; a change to it makes them outdated. */
    sourceLang: text('source_lang').notNull().default('nl'),
    /** E1: bumped by every editor write to the entry; a save names the one it started from (conflict check). */
    editRevision: integer('edit_revision').notNull().default(0),
    /** E5: the ticket this entry was drafted from (one entry per ticket). */
    fromTicketId: text('from_ticket_id'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('kb_entries_area').on(t.areaId, t.position), uniqueIndex('kb_entries_from_ticket').on(t.fromTicketId)],
);

/** The published text of an entry in one language. */
export const kbEntryTranslations = sqliteTable(
  'kb_entry_translations',
  {
    entryId: integer('entry_id').notNull().references(() => kbEntries.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    question: text('question').notNull(),
    answerMd: text('answer_md').notNull(),
    /** Rendered once on write so that pages never parse Markdown per request. */
    answerHtml: text('answer_html').notNull(),
    /** Plain text of the answer, for search and excerpts. */
    answerText: text('answer_text').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    version: integer('version').notNull().default(1),
    publishedAt: integer('published_at').notNull().default(now),
    /**
     * E2: the published version of the source language this text was written against. The source
     * language's own row carries its own version; a translation with a lower number is outdated.
     */
    sourceVersion: integer('source_version'),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.lang] })],
);

/** E1: the unpublished working text of an entry in one language (at most one per language). */
export const kbEntryDrafts = sqliteTable(
  'kb_entry_drafts',
  {
    entryId: integer('entry_id').notNull().references(() => kbEntries.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    question: text('question').notNull(),
    answerMd: text('answer_md').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    /** The user who saved it last (null once that account is deleted). */
    updatedBy: text('updated_by'),
    updatedAt: integer('updated_at').notNull().default(now),
    /** E5: the ticket it was drafted from, if any. */
    ticketId: text('ticket_id'),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.lang] })],
);

/** E1: an old slug keeps working after a rename: `kind` 'entry' or 'area', pointing at the row's id. */
export const kbSlugRedirects = sqliteTable(
  'kb_slug_redirects',
  {
    kind: text('kind', { enum: ['entry', 'area'] }).notNull(),
    oldSlug: text('old_slug').notNull(),
    targetId: integer('target_id').notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.kind, t.oldSlug] })],
);

/** Every published version of a translation (E1: kept, restorable). */
export const kbEntryRevisions = sqliteTable(
  'kb_entry_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id').notNull().references(() => kbEntries.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    version: integer('version').notNull(),
    question: text('question').notNull(),
    answerMd: text('answer_md').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    /** Who published it: `import` for the content/ importer, else the editor's user id. */
    author: text('author').notNull(),
    /** E1: `publish`, `restore` (then `restoredFrom` names the version brought back) or `import`. */
    action: text('action').notNull().default('publish'),
    restoredFrom: integer('restored_from'),
    /** E2: as on kb_entry_translations, at the time of this version. */
    sourceVersion: integer('source_version'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('kb_entry_revisions_version').on(t.entryId, t.lang, t.version)],
);

/** One row, bumped on every published change: cache keys and the search index ETag (E3). */
export const kbState = sqliteTable('kb_state', {
  id: integer('id').primaryKey(),
  version: integer('version').notNull().default(0),
  updatedAt: integer('updated_at').notNull().default(now),
});

/** K6: one vote per browser (voter cookie) per entry. */
export const kbFeedbackVotes = sqliteTable(
  'kb_feedback_votes',
  {
    entryId: integer('entry_id').notNull().references(() => kbEntries.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    lang: text('lang').notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.voter] })],
);

/** K6: the counts per entry and language, kept in step with the votes in one batch. */
export const kbFeedbackCounts = sqliteTable(
  'kb_feedback_counts',
  {
    entryId: integer('entry_id').notNull().references(() => kbEntries.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    yes: integer('yes').notNull().default(0),
    no: integer('no').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.lang] })],
);
