// E4: writes the published knowledge base to a content/ tree in exactly the form the import reads,
// so that the tree equals the published KB: stale files of ours are removed, unchanged files are
// left alone (no mtime change, no git diff), and every write is a temp file renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { kbAreaTranslations, kbAreas, kbEntries, kbEntryTranslations } from '../../../db/schema/index.ts';
import { locales } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import type { Db } from '../db/client.ts';
import { AREA_FILE, areaFileText, areaFrontMatter, ContentError, entryFileText, entryFrontMatter } from './content-files.ts';
import type { TagId } from './tags.ts';

export interface ExportReport {
  areas: number;
  entries: number;
  /** Files created or rewritten because their text changed. */
  written: number;
  /** Files already holding the exported text, left untouched. */
  unchanged: number;
  /** Stale files of ours removed (a renamed, moved or unpublished translation). */
  removed: number;
}

/** The published knowledge base as files: `<lang>/<area>/<file>` → text. Never reads kb_entry_drafts. */
export async function publishedFiles(db: Db): Promise<{ files: Map<string, string>; areas: number; entries: number }> {
  const [areas, entries] = await Promise.all([
    db
      .select({ slug: kbAreas.slug, position: kbAreas.position, lang: kbAreaTranslations.lang, title: kbAreaTranslations.title, description: kbAreaTranslations.description })
      .from(kbAreaTranslations)
      .innerJoin(kbAreas, eq(kbAreas.id, kbAreaTranslations.areaId))
      .orderBy(asc(kbAreas.position), asc(kbAreas.slug), asc(kbAreaTranslations.lang)),
    db
      .select({
        slug: kbEntries.slug,
        area: kbAreas.slug,
        position: kbEntries.position,
        lang: kbEntryTranslations.lang,
        question: kbEntryTranslations.question,
        answer: kbEntryTranslations.answerMd,
        tags: kbEntryTranslations.tags,
      })
      .from(kbEntryTranslations)
      .innerJoin(kbEntries, eq(kbEntries.id, kbEntryTranslations.entryId))
      .innerJoin(kbAreas, eq(kbAreas.id, kbEntries.areaId))
      .orderBy(asc(kbEntries.position), asc(kbEntries.slug), asc(kbEntryTranslations.lang)),
  ]);
  // The import would refuse what it cannot read back; refuse it here, before any file is touched (N2).
  const problems: string[] = [];
  const files = new Map<string, string>();
  for (const a of areas) {
    const path = `${a.lang}/${a.slug}/${AREA_FILE}`;
    const front = { title: a.title, description: a.description, order: a.position };
    if (!areaFrontMatter.safeParse(front).success) problems.push(`${path}: the area's text is not valid content`);
    files.set(path, areaFileText(front));
  }
  for (const e of entries) {
    const path = `${e.lang}/${e.area}/${e.slug}.md`;
    const front = { question: e.question, tags: e.tags as TagId[], order: e.position };
    if (!entryFrontMatter.safeParse(front).success || !e.answer.trim()) problems.push(`${path}: the entry's text is not valid content`);
    if (!files.has(`${e.lang}/${e.area}/${AREA_FILE}`)) problems.push(`${path}: area "${e.area}" has no ${e.lang} text (${AREA_FILE})`);
    files.set(path, entryFileText({ ...front, answer: e.answer }));
  }
  for (const path of files.keys()) {
    const [lang, area] = path.split('/');
    if (!(locales as readonly string[]).includes(lang!) || !isSlug(area)) problems.push(`${path}: not a locale/area-slug path`);
  }
  if (problems.length) throw new ContentError(problems, 'the published knowledge base');
  return { files, areas: new Set(areas.map((a) => a.slug)).size, entries: new Set(entries.map((e) => e.slug)).size };
}

export async function exportContent(db: Db, root: string): Promise<ExportReport> {
  const { files, areas, entries } = await publishedFiles(db);
  const report: ExportReport = { areas, entries, written: 0, unchanged: 0, removed: 0 };
  for (const [path, text] of files) {
    const target = join(root, path);
    if ((await readText(target)) === text) {
      report.unchanged++;
      continue;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await writeAtomically(target, text);
    report.written++;
  }
  // Stale files are removed only after every current file is in place.
  for (const path of await ourFiles(root)) {
    if (files.has(path)) continue;
    await rm(join(root, path));
    report.removed++;
    await rmdir(join(root, path, '..')).catch(() => undefined); // only succeeds once the area folder is empty
  }
  return report;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A crash or a full disk leaves the old file or the new one, never half of one. */
async function writeAtomically(target: string, text: string): Promise<void> {
  // Not ending in .md, so an interrupted export leaves nothing the import would read.
  const temp = join(target, '..', `.${randomBytes(6).toString('hex')}.export-tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function dirents(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The files under root that the export owns: `<nl|en|fr>/<area slug>/<_area or slug>.md`, nothing else. */
async function ourFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const lang of locales) {
    for (const area of await dirents(join(root, lang))) {
      if (!area.isDirectory() || !isSlug(area.name)) continue;
      for (const file of await dirents(join(root, lang, area.name))) {
        const ours = file.name === AREA_FILE || (file.name.endsWith('.md') && isSlug(file.name.slice(0, -3)));
        if (file.isFile() && ours) found.push(`${lang}/${area.name}/${file.name}`);
      }
    }
  }
  return found;
}
