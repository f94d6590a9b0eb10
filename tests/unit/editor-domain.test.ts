// E1 / E2 / E3 / E5: the editor's domain module against a real database file loaded with the
// starter content — drafts stay private, publishing is live at once, every version is kept and
// restorable, a concurrent edit is detected, translations go outdated when the source changes.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { users } from '../../db/schema/index.ts';
import { randomId } from '../../src/server/auth/crypto.ts';
import type { Db } from '../../src/server/db/client.ts';
import { createArea, listAreas, moveAreaStep, updateArea } from '../../src/server/editor/areas.ts';
import { diffTexts } from '../../src/server/editor/diff.ts';
import {
  createEntry,
  deleteEntry,
  listEntrySummaries,
  loadEditorEntry,
  moveEntryStep,
  moveEntryToArea,
  publishDraft,
  renameEntry,
  restoreVersion,
  revisionsOf,
  saveDrafts,
  setSourceLang,
  unpublish,
} from '../../src/server/editor/entries.ts';
import { parseReportFilters, translationReport } from '../../src/server/editor/report.ts';
import { markdownToText } from '../../src/server/kb/markdown.ts';
import { getKb } from '../../src/server/kb/snapshot.ts';
import { importContentDir } from '../../src/server/kb/import.ts';
import { CONTENT_ROOT, starterKb } from '../helpers/kb.ts';

let kb: Awaited<ReturnType<typeof starterKb>>;
let db: Db;
let editor: { id: string; role: 'editor' };
const SLUG = 'reset-password';

beforeEach(async () => {
  kb = await starterKb();
  db = kb.db;
  const id = randomId();
  await db.insert(users).values({ id, email: `ed-${id.slice(0, 6)}@example.com`, name: 'Eddie Editor', username: `ed-${id.slice(0, 6)}`, passwordHash: '!', role: 'editor', emailVerifiedAt: Date.now() });
  editor = { id, role: 'editor' };
});
afterEach(() => kb.close());

async function entry(slug = SLUG) {
  const e = await loadEditorEntry(db, slug);
  if (!e) throw new Error(`no entry ${slug}`);
  return e;
}
const textOf = (e: Awaited<ReturnType<typeof entry>>, lang: 'nl' | 'en' | 'fr') => {
  const p = e.langs[lang].published!;
  return { question: p.question, answer: p.answerMd, tags: [...p.tags] };
};
const publicAnswer = async (slug: string, lang: 'nl' | 'en' | 'fr') => (await getKb(db)).entry(slug)?.texts.get(lang)?.answerText;

describe('E1: drafts and publishing', () => {
  test('E1 / E3: a saved draft changes nothing public; publishing makes it the live text at once, as a new version by its author', async () => {
    const before = await entry();
    expect(before.langs.en.status).toBe('current');
    const v1 = before.langs.en.published!.version;
    const saved = await saveDrafts(db, editor, before.id, before.editRevision, { en: { ...textOf(before, 'en'), answer: 'Use the zebracorn link we email you.' } });
    expect(saved).toMatchObject({ ok: true, editRevision: before.editRevision + 1 });
    expect(await publicAnswer(SLUG, 'en')).not.toContain('zebracorn');
    const drafted = await entry();
    expect(drafted.langs.en.draft).toMatchObject({ answerMd: 'Use the zebracorn link we email you.', updatedBy: editor.id, updatedByName: 'Eddie Editor' });

    const published = await publishDraft(db, editor, drafted.id, 'en', drafted.editRevision);
    expect(published).toMatchObject({ ok: true, version: v1 + 1 });
    expect(await publicAnswer(SLUG, 'en')).toBe('Use the zebracorn link we email you.');
    const after = await entry();
    expect(after.langs.en.draft).toBeNull();
    const [latest] = await revisionsOf(db, after.id, 'en');
    expect(latest).toMatchObject({ version: v1 + 1, author: editor.id, authorName: 'Eddie Editor', action: 'publish', answerMd: 'Use the zebracorn link we email you.' });
    expect(latest!.createdAt).toBeGreaterThan(Date.now() - 60_000);
  });

  test('E1: a text equal to the published one needs no draft; a blank column discards a draft; nothing to publish is refused', async () => {
    const e = await entry();
    expect(await saveDrafts(db, editor, e.id, e.editRevision, { nl: textOf(e, 'nl') })).toEqual({ ok: true, editRevision: e.editRevision });
    expect((await entry()).langs.nl.draft).toBeNull();
    const r = await saveDrafts(db, editor, e.id, e.editRevision, { fr: { ...textOf(e, 'fr'), question: 'Une autre question ?' } });
    expect((await entry()).langs.fr.draft?.question).toBe('Une autre question ?');
    const r2 = await saveDrafts(db, editor, e.id, r.ok ? r.editRevision : -1, { fr: { question: '', answer: '  ', tags: [] } });
    expect(r2.ok).toBe(true);
    expect((await entry()).langs.fr.draft).toBeNull();
    expect(await publishDraft(db, editor, e.id, 'fr', r2.ok ? r2.editRevision : -1)).toEqual({ ok: false, reason: 'nothing-to-publish' });
  });

  test('E1 / N2: invalid text in any column refuses the whole save and writes nothing', async () => {
    const e = await entry();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ question: 'ab', answer: 'x', tags: ['password'] }, 'question', 'too-short'],
      [{ question: 'q'.repeat(161), answer: 'x', tags: ['password'] }, 'question', 'too-long'],
      [{ question: 'A question?', answer: '   ', tags: ['password'] }, 'answer', 'required'],
      [{ question: 'A question?', answer: 'a'.repeat(20_001), tags: ['password'] }, 'answer', 'too-long'],
      [{ question: 'A question?', answer: 'x', tags: [] }, 'tags', 'required'],
      [{ question: 'A question?', answer: 'x', tags: ['no-such-tag'] }, 'tags', 'invalid'],
      [{ question: 'A question?', answer: 'x', tags: ['password', 'password'] }, 'tags', 'duplicate'],
      [{ question: 'A question?', answer: 'x', tags: ['account', 'password', 'security', 'sessions', 'login', 'email', 'privacy'] }, 'tags', 'too-many'],
      [{ question: 7, answer: 'x', tags: ['password'] }, 'question', 'invalid'],
      [{ question: 'A question?', answer: 'x', tags: 'password' }, 'tags', 'invalid'],
    ];
    for (const [fr, field, problem] of cases) {
      const r = await saveDrafts(db, editor, e.id, e.editRevision, { en: { ...textOf(e, 'en'), answer: 'A fine new answer.' }, fr });
      expect(r, `${field} ${problem}`).toEqual({ ok: false, reason: 'invalid', problems: [{ field, lang: 'fr', problem }] });
    }
    const after = await entry();
    expect(after.editRevision).toBe(e.editRevision);
    expect(after.langs.en.draft).toBeNull();
    expect(after.langs.fr.draft).toBeNull();
  });

  test('E1: restore brings back an old text as a new version; unpublish hides a language and keeps its text as the draft', async () => {
    const e = await entry();
    const original = textOf(e, 'en');
    let rev = e.editRevision;
    const s = await saveDrafts(db, editor, e.id, rev, { en: { ...original, answer: 'A newer answer.' } });
    rev = s.ok ? s.editRevision : -1;
    const p = await publishDraft(db, editor, e.id, 'en', rev);
    rev = p.ok ? p.editRevision : -1;
    expect(await publicAnswer(SLUG, 'en')).toBe('A newer answer.');
    const restored = await restoreVersion(db, editor, e.id, 'en', e.langs.en.published!.version, rev);
    expect(restored).toMatchObject({ ok: true, version: e.langs.en.published!.version + 2 });
    rev = restored.ok ? restored.editRevision : -1;
    expect((await entry()).langs.en.published!.answerMd).toBe(original.answer);
    const [latest] = await revisionsOf(db, e.id, 'en');
    expect(latest).toMatchObject({ action: 'restore', restoredFrom: e.langs.en.published!.version, author: editor.id });
    expect(await restoreVersion(db, editor, e.id, 'en', 999, rev)).toEqual({ ok: false, reason: 'not-found' });

    const u = await unpublish(db, editor, e.id, 'en', rev);
    expect(u.ok).toBe(true);
    const kbNow = await getKb(db);
    expect(kbNow.entry(SLUG)?.texts.has('en')).toBe(false);
    expect(kbNow.entry(SLUG)?.texts.has('nl')).toBe(true);
    expect((await entry()).langs.en.draft?.answerMd).toBe(original.answer);
    expect(await unpublish(db, editor, e.id, 'en', u.ok ? u.editRevision : -1)).toEqual({ ok: false, reason: 'not-published' });
    // publishing again continues the numbering past every earlier version
    const again = await publishDraft(db, editor, e.id, 'en', u.ok ? u.editRevision : -1);
    expect(again).toMatchObject({ ok: true, version: e.langs.en.published!.version + 3 });
  });

  test('E1 / E3: a new entry is invisible until a language is published', async () => {
    const [area] = await listAreas(db);
    const created = await createEntry(db, editor, { areaId: area!.id, sourceLang: 'en', text: { question: 'Can I print my tickets?', answer: 'Yes, with **Print**.', tags: ['tickets'] } });
    expect(created).toMatchObject({ ok: true, slug: 'can-i-print-my-tickets' });
    expect((await getKb(db)).entry('can-i-print-my-tickets')).toBeUndefined();
    const e = await entry('can-i-print-my-tickets');
    expect(e).toMatchObject({ sourceLang: 'en', isPublic: false });
    expect(await publishDraft(db, editor, e.id, 'en', e.editRevision)).toMatchObject({ ok: true, version: 1 });
    expect((await getKb(db)).entry('can-i-print-my-tickets')?.texts.get('en')?.answerHtml).toContain('<strong>Print</strong>');
    // the same question again gets the next free slug; a given slug that is taken is refused
    expect(await createEntry(db, editor, { areaId: area!.id, sourceLang: 'en', text: { question: 'Can I print my tickets?', answer: 'Again.', tags: ['tickets'] } })).toMatchObject({ ok: true, slug: 'can-i-print-my-tickets-2' });
    expect(await createEntry(db, editor, { areaId: area!.id, slug: SLUG, sourceLang: 'en', text: { question: 'Taken?', answer: 'x', tags: ['tickets'] } })).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'taken' }] });
    expect(await createEntry(db, editor, { areaId: 99_999, slug: 'Bad Slug', sourceLang: 'en', text: { question: 'Taken?', answer: 'x', tags: ['tickets'] } })).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [{ field: 'area', problem: 'invalid' }, { field: 'slug', problem: 'invalid' }],
    });
  });
});

describe('E1: deleting an entry no visitor sees', () => {
  test('E1: a never-published entry is deleted with its drafts and old slugs; a public one is refused until every language is unpublished', async () => {
    const [area] = await listAreas(db);
    const made = await createEntry(db, editor, { areaId: area!.id, sourceLang: 'en', text: { question: 'A draft to throw away?', answer: 'Nothing yet.', tags: ['tickets'] } });
    if (!made.ok) throw new Error('not created');
    const draft = await entry(made.slug);
    const renamed = await renameEntry(db, draft.id, 'throw-away', draft.editRevision);
    if (!renamed.ok) throw new Error('not renamed');
    expect(await deleteEntry(db, draft.id, draft.editRevision)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await deleteEntry(db, draft.id, renamed.editRevision)).toMatchObject({ ok: true });
    expect(await loadEditorEntry(db, draft.id)).toBeNull();
    const left = await db.$client.execute({ sql: "SELECT (SELECT count(*) FROM kb_entry_drafts WHERE entry_id = ?) AS drafts, (SELECT count(*) FROM kb_slug_redirects WHERE kind = 'entry' AND target_id = ?) AS redirects", args: [draft.id, draft.id] });
    expect(left.rows[0]).toMatchObject({ drafts: 0, redirects: 0 });

    const published = await entry();
    const before = await listEntrySummaries(db, 'en');
    expect(await deleteEntry(db, published.id, published.editRevision)).toEqual({ ok: false, reason: 'still-published' });
    expect(await listEntrySummaries(db, 'en')).toEqual(before);
    let rev = published.editRevision;
    for (const lang of ['nl', 'en', 'fr'] as const) {
      const u = await unpublish(db, editor, published.id, lang, rev);
      rev = u.ok ? u.editRevision : -1;
    }
    expect(await deleteEntry(db, published.id, rev)).toMatchObject({ ok: true });
    expect((await getKb(db)).entry(SLUG)).toBeUndefined();
  });
});

describe('E1: a concurrent edit is detected', () => {
  test('E1: the second editor to save from the same revision is told the entry changed; nothing of theirs overwrites the first', async () => {
    const opened = await entry(); // both editors open the entry
    const first = await saveDrafts(db, editor, opened.id, opened.editRevision, { en: { ...textOf(opened, 'en'), answer: 'First editor wins.' } });
    expect(first.ok).toBe(true);
    const second = await saveDrafts(db, editor, opened.id, opened.editRevision, { en: { ...textOf(opened, 'en'), answer: 'Second editor, unaware.' } });
    expect(second).toEqual({ ok: false, reason: 'conflict', editRevision: opened.editRevision + 1 });
    expect((await entry()).langs.en.draft?.answerMd).toBe('First editor wins.');
    for (const attempt of [
      () => publishDraft(db, editor, opened.id, 'en', opened.editRevision),
      () => unpublish(db, editor, opened.id, 'en', opened.editRevision),
      () => restoreVersion(db, editor, opened.id, 'en', 1, opened.editRevision),
      () => renameEntry(db, opened.id, 'another-slug', opened.editRevision),
      () => setSourceLang(db, opened.id, 'en', opened.editRevision),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, reason: 'conflict' });
    }
    expect(await publicAnswer(SLUG, 'en')).toBe(markdownToText(opened.langs.en.published!.answerMd));
    const now = await entry();
    expect(now.slug).toBe(SLUG);
    expect(now.langs.en.published!.version).toBe(opened.langs.en.published!.version);
  });

  test('E1: two saves racing from the same revision: exactly one lands (the guard is inside the batch)', async () => {
    const opened = await entry();
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((who) => saveDrafts(db, editor, opened.id, opened.editRevision, { en: { ...textOf(opened, 'en'), answer: `Saved by ${who}.` } })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(3);
    expect((await entry()).editRevision).toBe(opened.editRevision + 1);
  });

  test('E1: an import that changes the entry also moves its revision on', async () => {
    const opened = await entry();
    await db.$client.execute({ sql: "UPDATE kb_entry_translations SET question = 'Changed by hand' WHERE lang = 'en' AND entry_id = ?", args: [opened.id] });
    await importContentDir(db, CONTENT_ROOT); // puts the file's text back
    expect((await entry()).editRevision).toBe(opened.editRevision + 1);
    expect((await saveDrafts(db, editor, opened.id, opened.editRevision, { en: { ...textOf(opened, 'en'), answer: 'Stale.' } })).ok).toBe(false);
  });
});

describe('E1 / E4: the import and the editor share one version history', () => {
  test('E4: an import after an editor unpublished a language republishes it past every earlier version (no clash with the kept history)', async () => {
    const e = await entry();
    let rev = e.editRevision;
    const s = await saveDrafts(db, editor, e.id, rev, { en: { ...textOf(e, 'en'), answer: 'An editor’s answer.' } });
    rev = s.ok ? s.editRevision : -1;
    const p = await publishDraft(db, editor, e.id, 'en', rev);
    rev = p.ok ? p.editRevision : -1;
    expect(p).toMatchObject({ ok: true, version: 2 });
    expect((await unpublish(db, editor, e.id, 'en', rev)).ok).toBe(true);
    const report = await importContentDir(db, CONTENT_ROOT); // content/ still has the en file
    expect(report).toMatchObject({ changed: true, translationsCreated: 1 });
    const after = await entry();
    expect(after.langs.en.published).toMatchObject({ version: 3, answerMd: e.langs.en.published!.answerMd });
    expect((await revisionsOf(db, e.id, 'en')).map((r) => [r.version, r.action])).toEqual([
      [3, 'import'],
      [2, 'publish'],
      [1, 'import'],
    ]);
  });
});

describe('E2: translations go outdated when the source language changes', () => {
  const status = async () => {
    const e = await entry();
    return { nl: e.langs.nl.status, en: e.langs.en.status, fr: e.langs.fr.status };
  };
  const change = async (lang: 'nl' | 'en' | 'fr', answer: string, options = {}) => {
    const e = await entry();
    const s = await saveDrafts(db, editor, e.id, e.editRevision, { [lang]: { ...textOf(e, lang), answer } });
    if (!s.ok) throw new Error(JSON.stringify(s));
    const p = await publishDraft(db, editor, e.id, lang, s.editRevision, options);
    if (!p.ok) throw new Error(JSON.stringify(p));
  };

  test('E2: the starter content is all current; a published nl change makes en and fr outdated until each is updated', async () => {
    expect(await status()).toEqual({ nl: 'source', en: 'current', fr: 'current' });
    const report = await translationReport(db, 'en', parseReportFilters(new URLSearchParams()));
    expect(report.rows).toEqual([]);
    expect(report.totals).toEqual({ nl: { missing: 0, outdated: 0 }, en: { missing: 0, outdated: 0 }, fr: { missing: 0, outdated: 0 } });

    await change('nl', 'Een nieuw Nederlands antwoord.');
    expect(await status()).toEqual({ nl: 'source', en: 'outdated', fr: 'outdated' });
    const r1 = await translationReport(db, 'en', parseReportFilters(new URLSearchParams('state=outdated')));
    expect(r1.rows.map((r) => r.slug)).toEqual([SLUG]);
    expect(r1.totals.en.outdated).toBe(1);
    // a draft alone does not make a translation current
    const e = await entry();
    await saveDrafts(db, editor, e.id, e.editRevision, { en: { ...textOf(e, 'en'), answer: 'A draft only.' } });
    expect((await status()).en).toBe('outdated');
    await change('en', 'A new English answer.');
    expect(await status()).toEqual({ nl: 'source', en: 'current', fr: 'outdated' });
    expect((await translationReport(db, 'en', parseReportFilters(new URLSearchParams('lang=en')))).rows).toEqual([]);
    expect((await translationReport(db, 'en', parseReportFilters(new URLSearchParams('lang=fr')))).rows.map((r) => r.slug)).toEqual([SLUG]);
    await change('fr', 'Une nouvelle réponse.');
    expect(await status()).toEqual({ nl: 'source', en: 'current', fr: 'current' });
  });

  test('E2: a small fix to the source keeps current translations current; a translation change never outdates the source', async () => {
    await change('nl', 'Een kleine correctie.', { keepTranslationsCurrent: true });
    expect(await status()).toEqual({ nl: 'source', en: 'current', fr: 'current' });
    await change('fr', 'Une réponse plus claire.');
    expect(await status()).toEqual({ nl: 'source', en: 'current', fr: 'current' });
  });

  test('E2: missing translations are reported; changing the source language re-bases the others', async () => {
    const e = await entry();
    await unpublish(db, editor, e.id, 'fr', e.editRevision);
    expect((await status()).fr).toBe('missing');
    const report = await translationReport(db, 'en', parseReportFilters(new URLSearchParams('state=missing')));
    expect(report.rows.map((r) => [r.slug, r.langs.fr.status, r.langs.fr.hasDraft])).toEqual([[SLUG, 'missing', true]]);
    await change('nl', 'Nieuw.');
    expect((await status()).en).toBe('outdated');
    const now = await entry();
    expect(await setSourceLang(db, now.id, 'en', now.editRevision)).toMatchObject({ ok: true });
    expect(await status()).toEqual({ nl: 'current', en: 'source', fr: 'missing' });
    // unknown filter values fall back to the defaults
    expect(parseReportFilters(new URLSearchParams('lang=de&state=bogus&area=../x'))).toEqual({ area: null, lang: null, state: 'problems' });
  });
});

describe('E1: slugs, areas and order', () => {
  test('E1: rename keeps a redirect from the old slug (chains point at the entry); invalid and taken slugs are refused', async () => {
    const e = await entry();
    const r = await renameEntry(db, e.id, 'forgot-password', e.editRevision);
    expect(r).toMatchObject({ ok: true, slug: 'forgot-password' });
    const r2 = await renameEntry(db, e.id, 'lost-password', r.ok ? r.editRevision : -1);
    expect(r2.ok).toBe(true);
    const redirects = await db.$client.execute("SELECT old_slug, target_id FROM kb_slug_redirects WHERE kind = 'entry' ORDER BY old_slug");
    expect(redirects.rows.map((x) => [x.old_slug, Number(x.target_id)])).toEqual([
      ['forgot-password', e.id],
      [SLUG, e.id],
    ]);
    expect((await getKb(db)).entry('lost-password')).toBeDefined();
    const rev = r2.ok ? r2.editRevision : -1;
    expect(await renameEntry(db, e.id, 'Not A Slug', rev)).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'invalid' }] });
    const other = (await listEntrySummaries(db, 'en')).find((x) => x.id !== e.id)!;
    expect(await renameEntry(db, e.id, other.slug, rev)).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'slug', problem: 'taken' }] });
    // renaming back to an old slug makes it live again and drops its redirect
    expect(await renameEntry(db, e.id, SLUG, rev)).toMatchObject({ ok: true, slug: SLUG });
    const left = await db.$client.execute("SELECT old_slug FROM kb_slug_redirects WHERE kind = 'entry' ORDER BY old_slug");
    expect(left.rows.map((x) => x.old_slug)).toEqual(['forgot-password', 'lost-password']);
  });

  test('E1: areas are created in all three languages, retitled, renamed with a redirect and reordered; bad input writes nothing', async () => {
    const texts = { nl: { title: 'Facturen', description: 'Over betalen.' }, en: { title: 'Billing', description: 'About paying.' }, fr: { title: 'Factures', description: 'Sur le paiement.' } };
    const made = await createArea(db, { slug: 'billing', texts });
    expect(made).toMatchObject({ ok: true, slug: 'billing' });
    const before = await listAreas(db);
    expect(before.at(-1)).toMatchObject({ slug: 'billing', texts, entries: 0 });
    expect(await createArea(db, { slug: 'billing', texts })).toMatchObject({ ok: false, problems: [{ field: 'slug', problem: 'taken' }] });
    expect(await createArea(db, { slug: 'search', texts })).toMatchObject({ ok: false, problems: [{ field: 'slug', problem: 'reserved' }] });
    expect(await createArea(db, { slug: 'en', texts })).toMatchObject({ ok: false, problems: [{ field: 'slug', problem: 'reserved' }] });
    expect(await createArea(db, { slug: 'payments', texts: { ...texts, fr: { title: '', description: 'd'.repeat(201) } } })).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [
        { field: 'title', lang: 'fr', problem: 'required' },
        { field: 'description', lang: 'fr', problem: 'too-long' },
      ],
    });
    expect((await listAreas(db)).length).toBe(before.length);

    const id = made.ok ? made.id : -1;
    const opened = before.at(-1)!.revision; // two editors open the area
    expect(await updateArea(db, id, { slug: 'invoices', texts: { ...texts, en: { title: 'Invoices', description: 'About paying.' } }, revision: opened })).toEqual({ ok: true, slug: 'invoices' });
    // E1: the second save, made from the same revision, is told the area changed; nothing of it is written
    const second = await updateArea(db, id, { texts: { ...texts, en: { title: 'Payments', description: 'About paying.' } }, revision: opened });
    expect(second).toMatchObject({ ok: false, reason: 'conflict', current: { slug: 'invoices', texts: { en: { title: 'Invoices' } } } });
    expect(second.ok === false && second.reason === 'conflict' && second.current.revision).toBeGreaterThan(opened);
    const kbNow = await getKb(db);
    expect(kbNow.area('invoices')?.texts.get('en')?.title).toBe('Invoices');
    const redirect = await db.$client.execute("SELECT target_id FROM kb_slug_redirects WHERE kind = 'area' AND old_slug = 'billing'");
    expect(Number(redirect.rows[0]!.target_id)).toBe(id);
    expect(await updateArea(db, 99_999, { texts, revision: 0 })).toEqual({ ok: false, reason: 'not-found' });

    expect(await moveAreaStep(db, id, 'up')).toBe(true);
    const order = (await listAreas(db)).map((a) => a.slug);
    expect(order.indexOf('invoices')).toBe(before.length - 2);
    expect((await getKb(db)).areas.map((a) => a.slug)).toEqual(order);
  });

  test('E1: entries move one step within their area and to another area, and the public order follows', async () => {
    const e = await entry();
    const siblings = () => listEntrySummaries(db, 'en', { areaId: e.areaId });
    const before = (await siblings()).map((s) => s.slug);
    const i = before.indexOf(SLUG);
    expect(i).toBeGreaterThan(0);
    await moveEntryStep(db, e.id, 'up');
    const after = (await siblings()).map((s) => s.slug);
    expect(after.indexOf(SLUG)).toBe(i - 1);
    const area = (await getKb(db)).area(e.areaSlug)!;
    expect((await getKb(db)).entriesOf(area).map((x) => x.slug)).toEqual(after);

    const other = (await listAreas(db)).find((a) => a.id !== e.areaId)!;
    const moved = await moveEntryToArea(db, e.id, other.id, e.editRevision);
    expect(moved.ok).toBe(true);
    expect((await getKb(db)).entry(SLUG)?.area.slug).toBe(other.slug);
    expect(await moveEntryToArea(db, e.id, 99_999, moved.ok ? moved.editRevision : -1)).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'area', problem: 'invalid' }] });
  });
});

describe('E1: history diff', () => {
  test('E1: the diff shows changed words of the question, answer lines and tag changes', () => {
    const d = diffTexts({ question: 'How do I reset it?', answerMd: 'Line one.\nLine two.', tags: ['password'] }, { question: 'How do I reset my password?', answerMd: 'Line one.\nLine 2.\nLine three.', tags: ['password', 'login'] });
    expect(d.changed).toBe(true);
    expect(d.tagsAdded).toEqual(['login']);
    expect(d.tagsRemoved).toEqual([]);
    expect(d.question.filter((p) => p.kind === 'added').map((p) => p.text.trim()).join(' ')).toContain('password');
    expect(d.answer.filter((p) => p.kind === 'removed').map((p) => p.text).join('')).toContain('two');
    expect(d.answer.filter((p) => p.kind === 'added').map((p) => p.text).join('')).toContain('three');
    expect(diffTexts({ question: 'Q?', answerMd: 'A', tags: ['api'] }, { question: 'Q?', answerMd: 'A', tags: ['api'] }).changed).toBe(false);
    expect(diffTexts(null, { question: 'Q?', answerMd: 'A', tags: ['api'] })).toMatchObject({ changed: true, tagsAdded: ['api'] });
  });
});
