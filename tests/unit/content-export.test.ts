// E4: the export writes the published knowledge base back as content/, exactly: the tree equals the
// published KB (stale files of ours removed, nothing else touched), and unchanged files are not rewritten.
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { kbEntryDrafts } from '../../db/schema/index.ts';
import type { Db } from '../../src/server/db/client.ts';
import { ContentError } from '../../src/server/kb/content-files.ts';
import { exportContent } from '../../src/server/kb/export.ts';
import { bumpKbVersion, importContentDir } from '../../src/server/kb/import.ts';
import { markdownToText, renderMarkdown } from '../../src/server/kb/markdown.ts';
import { CONTENT_ROOT, starterKb, tempDb, tempFolder } from '../helpers/kb.ts';

// The file system is the edge of the world here: a rename can be made to fail once (disk full, crash).
const failNextRename = vi.hoisted(() => ({ armed: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (failNextRename.armed) {
        failNextRename.armed = false;
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return fs.rename(from, to);
    },
  };
});

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const tempDir = () => tempFolder('loket-export-', cleanups);
async function starter() {
  const h = await starterKb();
  cleanups.push(h.close);
  return h.db;
}
async function empty() {
  const h = await tempDb();
  cleanups.push(h.close);
  return h.db;
}

/** Every file below dir, by relative path, with its bytes. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path).toString('base64'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** The published knowledge base, read with plain SQL (independent of the exporter's own query). */
async function published(d: Db) {
  const areas = await d.$client.execute(
    `SELECT a.slug, a.position, t.lang, t.title, t.description FROM kb_area_translations t JOIN kb_areas a ON a.id = t.area_id ORDER BY a.slug, t.lang`,
  );
  const entries = await d.$client.execute(
    `SELECT e.slug, a.slug AS area, e.position, t.lang, t.question, t.answer_md, t.answer_html, t.answer_text, t.tags
     FROM kb_entry_translations t JOIN kb_entries e ON e.id = t.entry_id JOIN kb_areas a ON a.id = e.area_id ORDER BY e.slug, t.lang`,
  );
  return { areas: areas.rows.map((r) => ({ ...r })), entries: entries.rows.map((r) => ({ ...r })) };
}

const PAST = new Date('2020-01-01T00:00:00Z');

/** Exports into a new folder and dates one file back, so that a rewrite of it would show in its mtime. */
async function exportedWithOneFileDatedBack(d: Db, file: string): Promise<string> {
  const out = tempDir();
  await exportContent(d, out);
  utimesSync(join(out, file), PAST, PAST);
  return out;
}

const exec = (d: Db, query: string, ...args: Array<string | number>) => d.$client.execute({ sql: query, args });

/** What an editor does: publish a new text, rename one entry, move another, unpublish a language. */
async function editLikeAnEditor(d: Db) {
  const answer = 'Nieuw antwoord met een [link](https://example.com/) en **nadruk**.';
  await exec(
    d,
    `UPDATE kb_entry_translations SET question = ?, answer_md = ?, answer_html = ?, answer_text = ?, tags = ?, version = version + 1
     WHERE lang = 'nl' AND entry_id = (SELECT id FROM kb_entries WHERE slug = 'password-requirements')`,
    'Aan welke eisen moet een nieuw wachtwoord voldoen?',
    answer,
    renderMarkdown(answer),
    markdownToText(answer),
    JSON.stringify(['password', 'account']),
  );
  await exec(d, `UPDATE kb_entries SET slug = 'password-length-limit', edit_revision = edit_revision + 1 WHERE slug = 'password-maximum-length'`);
  await exec(d, `UPDATE kb_entries SET area_id = (SELECT id FROM kb_areas WHERE slug = 'support-tickets') WHERE slug = 'api-key'`);
  await exec(d, `DELETE FROM kb_entry_translations WHERE lang = 'fr' AND entry_id = (SELECT id FROM kb_entries WHERE slug = 'single-sign-on')`);
  await d.batch([bumpKbVersion(d)]);
}

describe('E4: export writes what the import reads', () => {
  test('E4: import of the starter content/ then export gives a tree byte-identical to content/', async () => {
    const d = await starter();
    const out = tempDir();
    const report = await exportContent(d, out);
    expect(report.entries).toBeGreaterThanOrEqual(45);
    expect(report).toMatchObject({ removed: 0, unchanged: 0 });
    expect(report.written).toBe(tree(CONTENT_ROOT).size);
    expect(tree(out)).toEqual(tree(CONTENT_ROOT));
  });

  test('E4: export → import into the same database is a no-op; export → import into a new one reproduces it', async () => {
    const d = await starter();
    const out = tempDir();
    await exportContent(d, out);
    expect((await importContentDir(d, out)).changed).toBe(false);
    const fresh = await empty();
    await importContentDir(fresh, out);
    expect(await published(fresh)).toEqual(await published(d));
  });

  test('E4: a second export changes no file: same bytes, same modification times', async () => {
    const d = await starter();
    const file = 'en/account-security/password-requirements.md';
    const out = await exportedWithOneFileDatedBack(d, file);
    const before = tree(out);
    const again = await exportContent(d, out);
    expect(again).toMatchObject({ written: 0, removed: 0, unchanged: before.size });
    expect(tree(out)).toEqual(before);
    expect(statSync(join(out, file)).mtime.getTime()).toBe(PAST.getTime());
  });
});

describe('E4: after editor changes the export equals the published knowledge base', () => {
  test('E4: a changed text, a renamed slug, a moved entry and an unpublished language: export → fresh import reproduces the published KB', async () => {
    const d = await starter();
    const untouched = 'nl/getting-started/what-is-loket.md';
    const out = await exportedWithOneFileDatedBack(d, untouched);
    await editLikeAnEditor(d);
    const report = await exportContent(d, out);
    // written: 1 changed text + 3 renamed + 3 moved; removed: 3 old slugs + 3 old places + 1 unpublished language
    expect(report).toMatchObject({ written: 7, removed: 7 });

    const files = tree(out);
    for (const lang of ['nl', 'en', 'fr']) {
      expect(files.has(`${lang}/account-security/password-maximum-length.md`)).toBe(false);
      expect(files.has(`${lang}/account-security/password-length-limit.md`)).toBe(true);
      expect(files.has(`${lang}/account-security/api-key.md`)).toBe(false);
      expect(files.has(`${lang}/support-tickets/api-key.md`)).toBe(true);
    }
    expect(files.has('fr/account-security/single-sign-on.md')).toBe(false);
    expect(files.has('nl/account-security/single-sign-on.md')).toBe(true);
    expect(readFileSync(join(out, 'nl/account-security/password-requirements.md'), 'utf8')).toBe(
      '---\nquestion: Aan welke eisen moet een nieuw wachtwoord voldoen?\ntags: [password, account]\norder: 70\n---\n' +
        'Nieuw antwoord met een [link](https://example.com/) en **nadruk**.\n',
    );
    expect(statSync(join(out, untouched)).mtime.getTime()).toBe(PAST.getTime());

    const fresh = await empty();
    await importContentDir(fresh, out);
    expect(await published(fresh)).toEqual(await published(d));
    expect((await importContentDir(d, out)).changed).toBe(false);
  });

  test('E4: drafts are never exported', async () => {
    const d = await starter();
    const out = tempDir();
    const before = await exportContent(d, out).then(() => tree(out));
    await exec(d, `INSERT INTO kb_entries (slug, area_id, position) VALUES ('draft-only', (SELECT id FROM kb_areas WHERE slug = 'getting-started'), 5)`);
    const [draftOnly] = (await exec(d, `SELECT id FROM kb_entries WHERE slug = 'draft-only'`)).rows;
    const [live] = (await exec(d, `SELECT id FROM kb_entries WHERE slug = 'what-is-loket'`)).rows;
    await d.insert(kbEntryDrafts).values([
      { entryId: Number(draftOnly!.id), lang: 'en', question: 'A draft question?', answerMd: 'Not public yet.', tags: ['account'] },
      { entryId: Number(live!.id), lang: 'en', question: 'Edited but not published?', answerMd: 'Draft text.', tags: ['account'] },
    ]);
    const report = await exportContent(d, out);
    expect(report).toMatchObject({ written: 0, removed: 0 });
    expect(tree(out)).toEqual(before);
  });

  test('E4: an area emptied by a move loses its folder', async () => {
    const d = await starter();
    const out = tempDir();
    await exportContent(d, out);
    await exec(d, `UPDATE kb_entries SET area_id = (SELECT id FROM kb_areas WHERE slug = 'getting-started') WHERE area_id = (SELECT id FROM kb_areas WHERE slug = 'support-tickets')`);
    await exec(d, `DELETE FROM kb_area_translations WHERE area_id = (SELECT id FROM kb_areas WHERE slug = 'support-tickets')`);
    await exportContent(d, out);
    for (const lang of ['nl', 'en', 'fr']) expect(readdirSync(join(out, lang)).sort()).toEqual(['account-security', 'getting-started']);
  });
});

describe('E4: the export touches only its own files', () => {
  test('E4: files that are not <nl|en|fr>/<area>/<slug>.md are kept, stale files of ours are removed', async () => {
    const d = await starter();
    const out = tempDir();
    const keep = [
      'README.txt',
      'notes/todo.md',
      'de/account-security/passwort.md',
      'en/account-security/README.md',
      'en/account-security/notes.txt',
      'en/Drafts/old-entry.md',
      'en/account-security/.hidden.md',
    ];
    for (const path of keep) {
      mkdirSync(join(out, path, '..'), { recursive: true });
      writeFileSync(join(out, path), `kept: ${path}\n`);
    }
    const staleEntry = 'en/account-security/an-entry-that-was-deleted.md';
    const staleArea = 'fr/old-area/_area.md';
    for (const path of [staleEntry, staleArea]) {
      mkdirSync(join(out, path, '..'), { recursive: true });
      writeFileSync(join(out, path), '---\nquestion: Old?\ntags: [account]\norder: 1\n---\nOld.\n');
    }
    const report = await exportContent(d, out);
    expect(report.removed).toBe(2);
    for (const path of keep) expect(readFileSync(join(out, path), 'utf8')).toBe(`kept: ${path}\n`);
    const files = tree(out);
    expect(files.has(staleEntry)).toBe(false);
    expect(files.has(staleArea)).toBe(false);
    expect(readdirSync(join(out, 'fr'))).not.toContain('old-area');
  });

  test('E4: a knowledge base the import could not read back is refused, naming the problem, and no file is touched', async () => {
    const d = await starter();
    const out = tempDir();
    await exportContent(d, out);
    const before = tree(out);
    // An entry published in French in an area that has no French title: content/ cannot express it.
    await exec(d, `DELETE FROM kb_area_translations WHERE lang = 'fr' AND area_id = (SELECT id FROM kb_areas WHERE slug = 'getting-started')`);
    await exec(d, `UPDATE kb_entries SET slug = 'renamed-meanwhile' WHERE slug = 'what-is-loket'`);
    const error = await exportContent(d, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems.join('\n')).toMatch(/fr\/getting-started\/renamed-meanwhile\.md: area "getting-started" has no fr text/);
    expect(tree(out)).toEqual(before);
  });

  test('E4: a write that fails halfway leaves the previous file whole and no temporary file behind', async () => {
    const d = await starter();
    const out = tempDir();
    await exportContent(d, out);
    const before = tree(out);
    await exec(d, `UPDATE kb_entry_translations SET question = 'Changed question?' WHERE lang = 'en' AND entry_id = (SELECT id FROM kb_entries WHERE slug = 'what-is-loket')`);
    failNextRename.armed = true;
    await expect(exportContent(d, out)).rejects.toThrow(/ENOSPC/);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(join(out, 'en/getting-started')).filter((f) => !f.endsWith('.md'))).toEqual([]);
    // and the next export completes the job
    expect((await exportContent(d, out)).written).toBe(1);
    expect(readFileSync(join(out, 'en/getting-started/what-is-loket.md'), 'utf8')).toContain('question: Changed question?');
  });
});
