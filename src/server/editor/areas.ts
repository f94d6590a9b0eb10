// E1: the areas of the knowledge base as the editor manages them — create, retitle in each
// language, rename the slug (the old URL redirects), reorder. Area texts have no drafts: a
// title and a description are published as saved (E3), in one batch.
import type { BatchItem } from 'drizzle-orm/batch';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { kbAreaTranslations, kbAreas, kbEntries, kbSlugRedirects } from '../../../db/schema/index.ts';
import { locales, type Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { isConstraintError, isUniqueViolation } from '../db/errors.ts';
import { bumpKbVersion } from '../kb/import.ts';
import { noteKbChanged } from '../kb/snapshot.ts';
import { redirectStatements } from './entries.ts';
import { validateAreaText, validateSlug, type FieldProblem } from './validate.ts';

export interface EditorArea {
  id: number;
  slug: string;
  position: number;
  /** E1: changes with every save of the area's texts or slug; a save names the one it was made from. */
  revision: number;
  texts: Record<Locale, { title: string; description: string } | null>;
  entries: number;
}

export type AreaTextsInput = Partial<Record<Locale, { title?: unknown; description?: unknown }>>;
type AreaResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid'; problems: FieldProblem[] }
  | { ok: false; reason: 'conflict'; current: EditorArea };

const nowMs = sql`(unixepoch('subsec') * 1000)`;

export async function listAreas(db: Db): Promise<EditorArea[]> {
  const [areas, texts, counts] = await Promise.all([
    db.select().from(kbAreas).orderBy(asc(kbAreas.position), asc(kbAreas.slug)),
    db.select().from(kbAreaTranslations),
    db.select({ areaId: kbEntries.areaId, n: count() }).from(kbEntries).groupBy(kbEntries.areaId),
  ]);
  const n = new Map(counts.map((c) => [c.areaId, c.n]));
  return areas.map((a) => {
    const t = {} as EditorArea['texts'];
    for (const l of locales) {
      const row = texts.find((x) => x.areaId === a.id && x.lang === l);
      t[l] = row ? { title: row.title, description: row.description } : null;
    }
    return { id: a.id, slug: a.slug, position: a.position, revision: a.updatedAt, texts: t, entries: n.get(a.id) ?? 0 };
  });
}

/** Title and description are required in all three languages: an area is a page in each (K2). */
function checkTexts(input: AreaTextsInput): { ok: true; value: Record<Locale, { title: string; description: string }> } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const value = {} as Record<Locale, { title: string; description: string }>;
  for (const l of locales) {
    const r = validateAreaText(input[l] ?? {}, l);
    if (r.ok) value[l] = r.value;
    else problems.push(...r.problems);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

function textStatements(db: Db, areaId: number, texts: Record<Locale, { title: string; description: string }>): BatchItem<'sqlite'>[] {
  return locales.map((lang) =>
    db
      .insert(kbAreaTranslations)
      .values({ areaId, lang, ...texts[lang] })
      .onConflictDoUpdate({ target: [kbAreaTranslations.areaId, kbAreaTranslations.lang], set: { ...texts[lang], updatedAt: nowMs } }),
  );
}

async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return (await db.select({ id: kbAreas.id }).from(kbAreas).where(eq(kbAreas.slug, slug))).length > 0;
}

export async function createArea(db: Db, input: { slug: unknown; texts: AreaTextsInput }): Promise<AreaResult<{ id: number; slug: string }>> {
  const problems: FieldProblem[] = [];
  const slug = validateSlug(input.slug, 'slug', { area: true });
  if (!slug.ok) problems.push(slug.problem);
  else if (await slugTaken(db, slug.value)) problems.push({ field: 'slug', problem: 'taken' });
  const texts = checkTexts(input.texts);
  if (!texts.ok) problems.push(...texts.problems);
  if (problems.length || !slug.ok || !texts.ok) return { ok: false, reason: 'invalid', problems };
  const [last] = await db.select({ p: sql<number | null>`max(${kbAreas.position})` }).from(kbAreas);
  try {
    const [inserted] = await db.batch([
      db.insert(kbAreas).values({ slug: slug.value, position: (last?.p ?? -1) + 1 }).returning({ id: kbAreas.id }),
      ...locales.map((lang) => db.insert(kbAreaTranslations).values({ areaId: sql`(SELECT id FROM kb_areas WHERE slug = ${slug.value})`, lang, ...texts.value[lang] })),
      // a live slug wins over an old one that redirected elsewhere
      db.delete(kbSlugRedirects).where(and(eq(kbSlugRedirects.kind, 'area'), eq(kbSlugRedirects.oldSlug, slug.value))),
      bumpKbVersion(db),
    ]);
    noteKbChanged(db);
    return { ok: true, id: inserted[0]!.id, slug: slug.value };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'taken' }] };
    throw error;
  }
}

const conflict = async (db: Db, areaId: number): Promise<AreaResult<{ slug: string }>> => {
  const current = (await listAreas(db)).find((a) => a.id === areaId);
  return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'not-found' };
};

/**
 * New titles and descriptions (all three languages), and optionally a new slug with a redirect
 * from the old one. `revision` is the area's revision the form was made from: if another editor
 * saved the area since, nothing is written and the current area comes back (E1, like entries).
 */
export async function updateArea(db: Db, areaId: number, input: { slug?: unknown; texts: AreaTextsInput; revision: number }): Promise<AreaResult<{ slug: string }>> {
  const [area] = await db.select().from(kbAreas).where(eq(kbAreas.id, areaId));
  if (!area) return { ok: false, reason: 'not-found' };
  if (area.updatedAt !== input.revision) return conflict(db, areaId);
  const problems: FieldProblem[] = [];
  let newSlug = area.slug;
  if (input.slug !== undefined) {
    const slug = validateSlug(input.slug, 'slug', { area: true });
    if (!slug.ok) problems.push(slug.problem);
    else if (slug.value !== area.slug && (await slugTaken(db, slug.value))) problems.push({ field: 'slug', problem: 'taken' });
    else newSlug = slug.value;
  }
  const texts = checkTexts(input.texts);
  if (!texts.ok) problems.push(...texts.problems);
  if (problems.length || !texts.ok) return { ok: false, reason: 'invalid', problems };
  // The guard: moves the revision on, or fails the whole batch (NOT NULL) if it moved on already.
  const guard = db
    .update(kbAreas)
    .set({ updatedAt: sql`CASE WHEN ${kbAreas.updatedAt} = ${input.revision} THEN max(${nowMs}, ${input.revision} + 1) ELSE NULL END` })
    .where(eq(kbAreas.id, areaId));
  const statements: BatchItem<'sqlite'>[] = [guard, ...textStatements(db, areaId, texts.value)];
  if (newSlug !== area.slug) {
    statements.push(db.update(kbAreas).set({ slug: newSlug }).where(eq(kbAreas.id, areaId)), ...redirectStatements(db, 'area', area.slug, newSlug, areaId));
  }
  statements.push(bumpKbVersion(db));
  try {
    await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (error) {
    if (isConstraintError(error, /NOT NULL constraint failed: kb_areas\.updated_at/i)) return conflict(db, areaId);
    if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'taken' }] };
    throw error;
  }
  noteKbChanged(db);
  return { ok: true, slug: newSlug };
}

/** One step up or down in the list of areas (the order of the help center's home page). */
export async function moveAreaStep(db: Db, areaId: number, direction: 'up' | 'down'): Promise<boolean> {
  const areas = await db.select({ id: kbAreas.id, position: kbAreas.position }).from(kbAreas).orderBy(asc(kbAreas.position), asc(kbAreas.slug));
  const ids = areas.map((a) => a.id);
  const i = ids.indexOf(areaId);
  if (i < 0) return false;
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= ids.length) return true;
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  const statements: BatchItem<'sqlite'>[] = ids.flatMap((id, position) => (areas.find((a) => a.id === id)!.position === position ? [] : [db.update(kbAreas).set({ position }).where(eq(kbAreas.id, id))]));
  statements.push(bumpKbVersion(db));
  await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  noteKbChanged(db);
  return true;
}
