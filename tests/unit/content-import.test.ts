// E4 / K8: content/ validation and the idempotent import.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { kbEntryRevisions, kbEntryTranslations } from '../../db/schema/index.ts';
import { ContentError, entryFileText, readContent, splitFrontMatter } from '../../src/server/kb/content-files.ts';
import { importContentDir } from '../../src/server/kb/import.ts';
import { getKb, readKbVersion } from '../../src/server/kb/snapshot.ts';
import { CONTENT_ROOT, tempDb, tempFolder } from '../helpers/kb.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function copyContent(): string {
  const dir = tempFolder('loket-content-', cleanups);
  cpSync(CONTENT_ROOT, dir, { recursive: true });
  return dir;
}
async function db() {
  const h = await tempDb();
  cleanups.push(h.close);
  return h.db;
}

describe('E4: import is idempotent', () => {
  test('importing the same tree twice writes nothing the second time', async () => {
    const d = await db();
    const first = await importContentDir(d, CONTENT_ROOT);
    expect(first.changed).toBe(true);
    expect(first.translationsCreated).toBeGreaterThanOrEqual(3 * 45);
    const version = await readKbVersion(d);
    const revisions = (await d.select().from(kbEntryRevisions)).length;

    const second = await importContentDir(d, CONTENT_ROOT);
    expect(second).toMatchObject({ changed: false, areasCreated: 0, entriesCreated: 0, translationsCreated: 0, translationsUpdated: 0 });
    expect(second.unchanged).toBe(first.translationsCreated);
    expect(await readKbVersion(d)).toBe(version);
    expect((await d.select().from(kbEntryRevisions)).length).toBe(revisions);
  });

  test('a changed file updates only its translation, keeps the old version and bumps the KB version', async () => {
    const d = await db();
    const dir = copyContent();
    await importContentDir(d, dir);
    const before = await readKbVersion(d);
    const file = join(dir, 'nl/account-security/password-requirements.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n---\n/, '\n---\nNIEUW: '));
    const report = await importContentDir(d, dir);
    expect(report).toMatchObject({ changed: true, translationsUpdated: 1, translationsCreated: 0 });
    expect(await readKbVersion(d)).toBe(before + 1);
    const kb = await getKb(d);
    const nl = kb.entry('password-requirements')!.texts.get('nl')!;
    expect(nl.answerText.startsWith('NIEUW:')).toBe(true);
    expect(nl.version).toBe(2);
    const revisions = await d.select().from(kbEntryRevisions);
    expect(revisions.filter((r) => r.lang === 'nl' && r.entryId === kb.entry('password-requirements')!.id).map((r) => r.version)).toEqual([1, 2]);
  });

  test('answers are stored as Markdown, rendered once, and raw HTML never renders', async () => {
    const d = await db();
    const dir = copyContent();
    const file = join(dir, 'en/getting-started/what-is-loket.md');
    writeFileSync(
      file,
      entryFileText({ question: 'Is this safe?', tags: ['getting-started'], order: 10, answer: '**Yes**. <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>' }),
    );
    await importContentDir(d, dir);
    const [row] = await d.select().from(kbEntryTranslations).where((await import('drizzle-orm')).sql`question = 'Is this safe?'`);
    expect(row!.answerHtml).toContain('<strong>Yes</strong>');
    expect(row!.answerHtml).not.toMatch(/<script|<img|href="javascript:/i);
    expect(row!.answerMd).toContain('<script>');
  });
});

describe('E4: bad content is refused with every problem named, and nothing is written', () => {
  test.each([
    ['no front matter', 'Just text'],
    ['an unknown tag', '---\nquestion: "Valid question?"\ntags: [password, unicorns]\norder: 1\n---\nAnswer.'],
    ['a missing question', '---\ntags: [password]\norder: 1\n---\nAnswer.'],
    ['an unknown key', '---\nquestion: "Valid question?"\ntags: [password]\norder: 1\nauthor: me\n---\nAnswer.'],
    ['an empty answer', '---\nquestion: "Valid question?"\ntags: [password]\norder: 1\n---\n'],
    ['a non-integer order', '---\nquestion: "Valid question?"\ntags: [password]\norder: first\n---\nAnswer.'],
  ])('%s', async (_name, text) => {
    const dir = copyContent();
    writeFileSync(join(dir, 'en/account-security/broken-entry.md'), text);
    await expect(readContent(dir)).rejects.toThrow(ContentError);
    const d = await db();
    await expect(importContentDir(d, dir)).rejects.toThrow(/broken-entry\.md/);
    expect(await readKbVersion(d)).toBe(0);
  });

  test('a bad slug, a reserved area name and an unknown language folder are named', async () => {
    const dir = copyContent();
    writeFileSync(join(dir, 'en/account-security/Bad_Slug.md'), '---\nquestion: "Valid question?"\ntags: [password]\norder: 1\n---\nAnswer.');
    cpSync(join(dir, 'en/getting-started'), join(dir, 'en/search'), { recursive: true });
    cpSync(join(dir, 'en'), join(dir, 'de'), { recursive: true });
    const error = await readContent(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const problems = (error as ContentError).problems.join('\n');
    expect(problems).toMatch(/Bad_Slug\.md: file name is not a valid slug/);
    expect(problems).toMatch(/en\/search\/: "search" is reserved/);
    expect(problems).toMatch(/de\/: not a locale/);
  });

  test('front matter round-trips through entryFileText', () => {
    const text = entryFileText({ question: 'Why: a colon?', tags: ['password', '2fa'], order: 5, answer: 'Body\n\n- one' });
    const parsed = splitFrontMatter(text)!;
    expect(parsed.data).toEqual({ question: 'Why: a colon?', tags: ['password', '2fa'], order: 5 });
    expect(parsed.body).toBe('Body\n\n- one');
  });
});
