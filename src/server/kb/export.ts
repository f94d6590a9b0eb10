// E4: writes the published knowledge base to a content/ tree in exactly the form the import reads.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { kbAreaTranslations, kbAreas, kbEntries, kbEntryTranslations } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { AREA_FILE, areaFileText, entryFileText } from './content-files.ts';
import type { TagId } from './tags.ts';

export async function exportContent(db: Db, root: string): Promise<{ areas: number; entries: number }> {
  const areas = await db
    .select({ slug: kbAreas.slug, position: kbAreas.position, lang: kbAreaTranslations.lang, title: kbAreaTranslations.title, description: kbAreaTranslations.description })
    .from(kbAreaTranslations)
    .innerJoin(kbAreas, eq(kbAreas.id, kbAreaTranslations.areaId))
    .orderBy(asc(kbAreas.position));
  const entries = await db
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
    .orderBy(asc(kbEntries.position));
  for (const a of areas) {
    await mkdir(join(root, a.lang, a.slug), { recursive: true });
    await writeFile(join(root, a.lang, a.slug, AREA_FILE), areaFileText({ title: a.title, description: a.description, order: a.position }));
  }
  for (const e of entries) {
    await mkdir(join(root, e.lang, e.area), { recursive: true });
    await writeFile(
      join(root, e.lang, e.area, `${e.slug}.md`),
      entryFileText({ question: e.question, tags: e.tags as TagId[], order: e.position, answer: e.answer }),
    );
  }
  return { areas: new Set(areas.map((a) => a.slug)).size, entries: new Set(entries.map((e) => e.slug)).size };
}
