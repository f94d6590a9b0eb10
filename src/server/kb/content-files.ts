// E4: the knowledge base as files — content/<lang>/<area>/_area.md and content/<lang>/<area>/<slug>.md,
// YAML front matter + Markdown. Every file is validated here before anything is written.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isSeq, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { isLocale, locales, type Locale } from '../../i18n/locales.ts';
import { isSlug } from '../../lib/slug.ts';
import { tagIds } from './tags.ts';

export const AREA_FILE = '_area.md';

/** First path segments that belong to pages, not areas: /{lang}/search, /{lang}/sign, … */
export const RESERVED_AREA_SLUGS = new Set([
  'search', 'search-index', 'sign', 'signup', 'login', 'logout', 'account', 'support', 'contact', 'terms',
  'staff', 'editor', 'api', 'verify', 'reset', 'recover', 'unlock', 'tickets', 'feedback', 'dev',
]);

export const areaFrontMatter = z.strictObject({
  title: z.string().trim().min(1).max(80),
  description: z.string().trim().min(1).max(200),
  order: z.number().int().min(0).max(1_000_000),
});

export const entryFrontMatter = z.strictObject({
  question: z.string().trim().min(3).max(160),
  tags: z.array(z.enum(tagIds)).min(1).max(6).refine((t) => new Set(t).size === t.length, 'duplicate tag'),
  order: z.number().int().min(0).max(1_000_000),
});

export type AreaFrontMatter = z.infer<typeof areaFrontMatter>;
export type EntryFrontMatter = z.infer<typeof entryFrontMatter>;

export interface AreaFile extends AreaFrontMatter {
  lang: Locale;
  area: string;
  path: string;
}
export interface EntryFile extends EntryFrontMatter {
  lang: Locale;
  area: string;
  slug: string;
  answer: string;
  path: string;
}
export interface ContentSet {
  areas: AreaFile[];
  entries: EntryFile[];
}

export class ContentError extends Error {
  readonly problems: string[];
  constructor(problems: string[], subject = 'content/') {
    super(`${subject} has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.problems = problems;
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export function splitFrontMatter(text: string): { data: unknown; body: string } | null {
  const match = FRONT_MATTER.exec(text.replace(/^\uFEFF/, ''));
  if (!match) return null;
  return { data: parseYaml(match[1] ?? ''), body: (match[2] ?? '').trim() };
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`).join('; ');
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** Reads and validates the whole content/ tree; throws ContentError listing every problem. */
export async function readContent(root: string): Promise<ContentSet> {
  const problems: string[] = [];
  const areas: AreaFile[] = [];
  const entries: EntryFile[] = [];
  const langDirs = await listDirs(root);
  if (langDirs.length === 0) problems.push(`${root}: no language folders (expected ${locales.join(', ')})`);
  for (const lang of langDirs) {
    if (!isLocale(lang)) {
      problems.push(`${lang}/: not a locale (expected ${locales.join(', ')})`);
      continue;
    }
    for (const area of await listDirs(join(root, lang))) {
      const rel = `${lang}/${area}`;
      if (!isSlug(area)) problems.push(`${rel}/: area folder is not a valid slug`);
      else if (RESERVED_AREA_SLUGS.has(area)) problems.push(`${rel}/: "${area}" is reserved for a page`);
      const files = (await readdir(join(root, lang, area))).filter((f) => f.endsWith('.md')).sort();
      if (!files.includes(AREA_FILE)) problems.push(`${rel}/: missing ${AREA_FILE}`);
      for (const file of files) {
        const path = `${rel}/${file}`;
        const parsed = splitFrontMatter(await readFile(join(root, lang, area, file), 'utf8'));
        if (!parsed) {
          problems.push(`${path}: no front matter (--- … ---)`);
          continue;
        }
        if (file === AREA_FILE) {
          const result = areaFrontMatter.safeParse(parsed.data);
          if (result.success) areas.push({ ...result.data, lang, area, path });
          else problems.push(`${path}: ${describe(result.error)}`);
          continue;
        }
        const slug = file.slice(0, -3);
        if (!isSlug(slug)) problems.push(`${path}: file name is not a valid slug`);
        const result = entryFrontMatter.safeParse(parsed.data);
        if (!result.success) problems.push(`${path}: ${describe(result.error)}`);
        else if (!parsed.body) problems.push(`${path}: the answer is empty`);
        else entries.push({ ...result.data, lang, area, slug, answer: parsed.body, path });
      }
    }
  }
  // K4: a slug belongs to one area in every language.
  const areaOfSlug = new Map<string, string>();
  for (const e of entries) {
    const known = areaOfSlug.get(e.slug);
    if (known && known !== e.area) problems.push(`${e.path}: slug "${e.slug}" is also used in area "${known}"`);
    else areaOfSlug.set(e.slug, e.area);
  }
  if (problems.length) throw new ContentError(problems);
  return { areas, entries };
}

export function areaFileText(area: AreaFrontMatter): string {
  return `---\n${stringifyYaml({ title: area.title, description: area.description, order: area.order }, { lineWidth: 0 })}---\n`;
}

export function entryFileText(entry: EntryFrontMatter & { answer: string }): string {
  // A block map with the tags as one flow list (`tags: [password, 2fa]`): the form content/ is written in.
  const front = new Document({ question: entry.question, tags: entry.tags, order: entry.order });
  const tags = front.get('tags', true);
  if (isSeq(tags)) tags.flow = true;
  return `---\n${front.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${entry.answer.trim()}\n`;
}
