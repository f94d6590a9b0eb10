// Issue 5 (E1 / E2 / E3 / E5 / N2) on one real server and database file: the entry editor, its
// history, the new-entry form and the preview API — who may use them, drafts that stay private
// until published, publish live at the very next request, restore, diff, translation status,
// two editors on one entry, bad and hostile input refused (nothing written), and renames.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { t } from '../../src/i18n/index.ts';
import { ANSWER_MAX_LENGTH } from '../../src/server/editor/validate.ts';
import { createActors, type Actor, type ActorName } from '../helpers/actors.ts';
import { activeMarkup, decode, formFields, kbRows, outsideAttributes, slice, starterEntries, withTags, type StarterEntry } from '../helpers/editor.ts';
import { query } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { openTicket } from '../helpers/staff.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
let entries: StarterEntry[];
const en = t('en');

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: '1' });
  actors = await createActors(server.origin, server.dbUrl);
  entries = await starterEntries(server.dbUrl);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** A different starter entry for each test, so they never meet. */
let nextEntry = 0;
const freshEntry = () => entries[nextEntry++]!;
const editorUrl = (slug: string) => `/editor/entries/${slug}`;
const publicUrl = (lang: string, e: { area: string; slug: string }) => `/${lang}/${e.area}/${e.slug}`;

/** The entry editor's form as the actor's browser has it now. */
async function openForm(actor: Actor, slug: string): Promise<Record<string, string>> {
  const res = await actor.device.get(editorUrl(slug));
  expect(res.status).toBe(200);
  return formFields(await res.text());
}

async function anonymousGet(path: string): Promise<Response> {
  return fetch(server.origin + path, { redirect: 'manual', headers: { 'X-Forwarded-For': '203.0.113.9' } });
}

/** Whether an anonymous visitor's GET of `path` contains `text` (a boolean keeps failure output short). */
async function publicHas(path: string, text: string): Promise<boolean> {
  return (await (await anonymousGet(path)).text()).includes(text);
}

function previewRequest(actor: Actor, body: string, type = 'application/json') {
  const cookie = [...actor.device.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return fetch(`${server.origin}/api/editor/preview`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.origin, 'Content-Type': type, 'X-Forwarded-For': actor.device.ip, ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}

/** The status and, for a column, the `data-status` of one language on the entry editor page. */
async function statusOf(slug: string, lang: string): Promise<string> {
  const html = await (await actors.editor.device.get(editorUrl(slug))).text();
  return /data-status="(\w+)"/.exec(slice(html, `data-column="${lang}"`))![1]!;
}

describe('E1: who may use the entry editor', () => {
  test('E1: anonymous visitors are sent to sign in (the API says 401); customers and agents get 403 and nothing is written; editors and admins get in', async () => {
    const e = freshEntry();
    const form = await openForm(actors.editor, e.slug);
    const changed = { ...form, 'a-en': 'Hijacked answer text.' };
    const requests: Array<{ name: string; method: 'GET' | 'POST'; path: string; form?: Record<string, string> }> = [
      { name: 'entry editor', method: 'GET', path: editorUrl(e.slug) },
      { name: 'history', method: 'GET', path: `${editorUrl(e.slug)}/history?lang=en` },
      { name: 'new entry', method: 'GET', path: '/editor/new' },
      { name: 'save draft', method: 'POST', path: editorUrl(e.slug), form: { ...changed, action: 'save' } },
      { name: 'publish', method: 'POST', path: editorUrl(e.slug), form: { ...changed, action: 'publish-en' } },
      { name: 'preview (no JS)', method: 'POST', path: editorUrl(e.slug), form: { ...changed, action: 'preview' } },
      { name: 'unpublish', method: 'POST', path: editorUrl(e.slug), form: { action: 'unpublish', lang: 'fr', revision: form.revision! } },
      { name: 'rename', method: 'POST', path: editorUrl(e.slug), form: { action: 'rename', slug: 'hijacked-slug', revision: form.revision! } },
      { name: 'move', method: 'POST', path: editorUrl(e.slug), form: { action: 'move', area: String(entries.at(-1)!.areaId), revision: form.revision! } },
      { name: 'source language', method: 'POST', path: editorUrl(e.slug), form: { action: 'source', sourceLang: e.sourceLang === 'en' ? 'fr' : 'en', revision: form.revision! } },
      { name: 'restore', method: 'POST', path: `${editorUrl(e.slug)}/history?lang=en`, form: { action: 'restore', version: '1', revision: form.revision! } },
      { name: 'create', method: 'POST', path: '/editor/new', form: { area: String(e.areaId), sourceLang: 'en', slug: 'hijacked-new', q: 'A question nobody may ask?', a: 'An answer.', 'tag-account': 'on' } },
    ];
    const before = await kbRows(server.dbUrl);
    for (const who of ['anonymous', 'customerA', 'agent'] as const) {
      for (const r of requests) {
        const res = r.method === 'GET' ? await actors[who].device.get(r.path) : await actors[who].device.post(r.path, r.form!);
        if (who === 'anonymous') {
          expect(res.status, `${who} ${r.name}`).toBe(303);
          expect(res.headers.get('location'), `${who} ${r.name}`).toBe(`/en/login?next=${encodeURIComponent(r.path)}`);
        } else {
          expect(res.status, `${who} ${r.name}`).toBe(403);
          expect(await res.text()).toContain(en('editor.forbidden.editorsOnly'));
        }
      }
      const api = await previewRequest(actors[who], JSON.stringify({ markdown: '**hi**', lang: 'en' }));
      expect(api.status, `${who} preview API`).toBe(who === 'anonymous' ? 401 : 403);
      expect(api.headers.get('content-type')).toContain('application/json');
      expect(api.headers.get('cache-control')).toBe('no-store');
      expect(await api.json()).toMatchObject({ error: who === 'anonymous' ? 'sign-in-required' : 'forbidden' });
    }
    expect(await kbRows(server.dbUrl)).toBe(before);

    for (const who of ['editor', 'admin'] as const) {
      for (const r of requests.filter((x) => x.method === 'GET')) expect((await actors[who].device.get(r.path)).status, `${who} ${r.name}`).toBe(200);
      const preview = await actors[who].device.post(editorUrl(e.slug), { ...changed, action: 'preview' });
      expect(preview.status, `${who} preview`).toBe(200);
      const api = await previewRequest(actors[who], JSON.stringify({ markdown: '**hi**', lang: 'en' }));
      expect(api.status).toBe(200);
      expect(api.headers.get('cache-control')).toBe('no-store');
      expect(await api.json()).toEqual({ html: '<p><strong>hi</strong></p>\n' });
    }
    expect(await kbRows(server.dbUrl)).toBe(before); // previews write nothing
    // An admin may save too (and the draft is gone again when the text matches the published one).
    const saved = await actors.admin.device.post(editorUrl(e.slug), { ...changed, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${editorUrl(e.slug)}?done=saved`);
    expect(await query(server.dbUrl, 'SELECT answer_md FROM kb_entry_drafts WHERE entry_id = ? AND lang = ?', [e.id, 'en'])).toEqual([{ answer_md: 'Hijacked answer text.' }]);
  });

  test('E1: an unknown entry is a localized 404 inside the workspace', async () => {
    const res = await actors.editor.device.get(editorUrl('no-such-entry-here'));
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain(en('editor.entry.notFound'));
    expect(html).toContain('href="/editor/report"'); // the workspace frame
    expect((await actors.editor.device.get(`${editorUrl('no-such-entry-here')}/history?lang=en`)).status).toBe(404);
  });
});

describe('E1 / E3: drafts are private, a publish is live at the next request', () => {
  test('E1 / E3: a saved draft of the en answer is not on the public page, in search or in the search index; after publishing, the very next requests show it and the index ETag changes', async () => {
    const e = freshEntry();
    const word = 'quorbleflux';
    const indexBefore = await anonymousGet('/en/search-index.json');
    const etagBefore = indexBefore.headers.get('etag');
    expect((await indexBefore.text()).includes(word)).toBe(false);

    const form = await openForm(actors.editor, e.slug);
    const text = { ...form, 'a-en': `${word} is the new first word. ${form['a-en']}` };
    const saved = await actors.editor.device.post(editorUrl(e.slug), { ...text, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${editorUrl(e.slug)}?done=saved`);
    expect(await publicHas(publicUrl('en', e), word)).toBe(false);
    expect(await publicHas(`/en/search?q=${word}`, `href="${publicUrl('en', e)}"`)).toBe(false);
    const indexDraft = await anonymousGet('/en/search-index.json');
    expect(indexDraft.headers.get('etag')).toBe(etagBefore);
    expect((await indexDraft.text()).includes(word)).toBe(false);
    // The editor sees the draft as pending, by whom.
    const page = await (await actors.editor.device.get(`${editorUrl(e.slug)}?done=saved`)).text();
    expect(page).toContain(en('editor.entry.done.saved'));
    expect(decode(slice(page, 'data-column="en"'))).toContain('Unpublished changes saved by editor person');

    const published = await actors.editor.device.post(editorUrl(e.slug), { ...(await openForm(actors.editor, e.slug)), action: 'publish-en' });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe(`${editorUrl(e.slug)}?done=published&lang=en`);
    expect(await publicHas(publicUrl('en', e), word)).toBe(true);
    expect(await publicHas(`/en/search?q=${word}`, `href="${publicUrl('en', e)}"`)).toBe(true);
    const indexAfter = await anonymousGet('/en/search-index.json');
    expect(indexAfter.headers.get('etag')).not.toBe(etagBefore);
    expect((await indexAfter.text()).includes(word)).toBe(true);
    expect(await query(server.dbUrl, 'SELECT COUNT(*) AS n FROM kb_entry_drafts WHERE entry_id = ?', [e.id])).toEqual([{ n: 0 }]);
  });

  test('E1 / E3: a new entry from /editor/new is a public 404, absent from search and the sitemap until it is published', async () => {
    const area = entries[0]!;
    const word = 'zentraplume';
    const res = await actors.editor.device.post('/editor/new', {
      area: String(area.areaId),
      sourceLang: 'en',
      slug: '',
      q: `How does the ${word} setting work?`,
      a: `The ${word} setting is an example.\n\n- one\n- two`,
      'tag-account': 'on',
      'tag-security': 'on',
    });
    expect(res.status).toBe(303);
    const slug = `how-does-the-${word}-setting-work`;
    expect(res.headers.get('location')).toBe(`${editorUrl(slug)}?done=created`);
    const created = { area: area.area, slug };
    expect((await anonymousGet(publicUrl('en', created))).status).toBe(404);
    expect(await publicHas(`/en/search?q=${word}`, slug)).toBe(false);
    expect(await publicHas('/en/search-index.json', word)).toBe(false);
    expect(await publicHas('/sitemap.xml', slug)).toBe(false);
    const page = await (await actors.editor.device.get(`${editorUrl(slug)}?done=created`)).text();
    expect(page).toContain(en('editor.entry.done.created'));
    // ?area=<slug> chooses the area in the form.
    const other = entries.find((x) => x.areaId !== area.areaId)!;
    expect(formFields(await (await actors.editor.device.get(`/editor/new?area=${other.area}`)).text(), 'new-entry-form').area).toBe(String(other.areaId));

    const publish = await actors.editor.device.post(editorUrl(slug), { ...formFields(page), action: 'publish-en' });
    expect(publish.status).toBe(303);
    const live = await anonymousGet(publicUrl('en', created));
    expect(live.status).toBe(200);
    expect(await live.text()).toContain(`How does the ${word} setting work?`);
    expect(await publicHas(`/en/search?q=${word}`, `href="${publicUrl('en', created)}"`)).toBe(true);
    expect(await publicHas('/sitemap.xml', slug)).toBe(true);
  });

  test('E1: saving the form unchanged writes nothing (tags keep their saved order), and an answer changed back to the published text drops its draft', async () => {
    // An entry whose tags are not in the vocabulary's order (the order the checkboxes are sent in).
    const e = entries.slice(nextEntry).find((x) => x.slug === 'set-up-2fa') ?? freshEntry();
    entries.splice(entries.indexOf(e), 1);
    const [row] = await query(server.dbUrl, 'SELECT tags FROM kb_entry_translations WHERE entry_id = ? AND lang = ?', [e.id, 'en']);
    const form = await openForm(actors.editor, e.slug);
    const before = await kbRows(server.dbUrl);
    const res = await actors.editor.device.post(editorUrl(e.slug), { ...form, action: 'save' });
    expect(res.status).toBe(303);
    expect(await kbRows(server.dbUrl)).toBe(before);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-en': 'A passing change.', action: 'save' })).status).toBe(303);
    expect(await query(server.dbUrl, 'SELECT tags FROM kb_entry_drafts WHERE entry_id = ? AND lang = ?', [e.id, 'en'])).toEqual([{ tags: row!.tags }]);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...(await openForm(actors.editor, e.slug)), 'a-en': form['a-en']!, action: 'save' })).status).toBe(303);
    expect(await query(server.dbUrl, 'SELECT COUNT(*) AS n FROM kb_entry_drafts WHERE entry_id = ?', [e.id])).toEqual([{ n: 0 }]);
  });

  test('E1: the Preview button (no JavaScript) re-renders the page with the typed text previewed and writes nothing', async () => {
    const e = freshEntry();
    const form = await openForm(actors.editor, e.slug);
    const before = await kbRows(server.dbUrl);
    const res = await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-fr': 'Un **aperçu** sans JavaScript.', action: 'preview' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(slice(html, 'data-preview="a-fr"')).toContain('<strong>aperçu</strong>');
    expect(formFields(html)['a-fr']).toBe('Un **aperçu** sans JavaScript.');
    expect(formFields(html).revision).toBe(form.revision);
    expect(await kbRows(server.dbUrl)).toBe(before);
  });
});

describe('E1: versions, history and restore', () => {
  test('E1: publish v2, restore v1 — the page shows v1 again as v3, with author and time in the history; the diff shows the change', async () => {
    const e = freshEntry();
    const [v1] = await query(server.dbUrl, 'SELECT answer_md FROM kb_entry_revisions WHERE entry_id = ? AND lang = ? AND version = 1', [e.id, 'en']);
    const original = String(v1!.answer_md);
    const form = await openForm(actors.editor, e.slug);
    const v2 = 'Version two says something quite different, with snorkelwidget inside.';
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-en': v2, action: 'publish-en' })).status).toBe(303);
    expect(await publicHas(publicUrl('en', e), 'snorkelwidget')).toBe(true);

    // The history: v2 by the editor, v1 imported; the diff of v2 against v1.
    const history = await (await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=en`)).text();
    expect(history).toContain('data-version="2"');
    expect(decode(slice(history, 'data-version="2"', '</tr>'))).toContain('editor person');
    expect(decode(slice(history, 'data-version="1"', '</tr>'))).toContain(en('editor.history.actions.import'));
    const diff = decode(slice(history, 'data-diff'));
    expect(diff).toContain(en('editor.history.diffTitle', { from: 1, to: 2 }));
    expect(diff).toMatch(/<ins><span class="visually-hidden" lang="en">\[added\] <\/span>[^<]*snorkelwidget/);
    expect(diff).toMatch(/<del><span class="visually-hidden" lang="en">\[removed\] <\/span>/);
    // Two versions chosen explicitly: the same diff the other way round.
    const back = decode(slice(await (await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=en&from=2&to=1`)).text(), 'data-diff'));
    expect(back).toMatch(/<del><span class="visually-hidden" lang="en">\[removed\] <\/span>[^<]*snorkelwidget/);

    // Restore v1: a confirmation step first, then the POST.
    const confirm = await (await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=en&restore=1`)).text();
    expect(confirm).toContain(en('editor.history.restoreTitle', { version: 1 }));
    const restoreForm = formFields(confirm, 'class="actions"');
    expect(restoreForm).toMatchObject({ action: 'restore', version: '1' });
    const restored = await actors.editor.device.post(`${editorUrl(e.slug)}/history?lang=en`, restoreForm);
    expect(restored.status).toBe(303);
    expect(restored.headers.get('location')).toBe(`${editorUrl(e.slug)}/history?lang=en&done=restored&restored=1&as=3`);
    const publicPage = await (await anonymousGet(publicUrl('en', e))).text();
    expect(publicPage.includes('snorkelwidget')).toBe(false);
    expect(decode(slice(publicPage, 'class="answer-main"', '</div>'))).toContain(original.split('\n')[0]!.replace(/[*_`[\]]/g, '').slice(0, 30));
    const after = await (await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=en&done=restored&restored=1&as=3`)).text();
    expect(after).toContain(en('editor.history.done', { from: 1, version: 3 }));
    const row3 = decode(slice(after, 'data-version="3"', '</tr>'));
    expect(row3).toContain(en('editor.history.actions.restore', { from: 1 }));
    expect(row3).toContain('editor person');
    expect(row3).toMatch(/\d{4}/); // a date
    const [rev] = await query(server.dbUrl, 'SELECT answer_md, action, restored_from, author FROM kb_entry_revisions WHERE entry_id = ? AND lang = ? AND version = 3', [e.id, 'en']);
    expect(rev).toEqual({ answer_md: original, action: 'restore', restored_from: 1, author: actors.editor.id });
  });

  test('E1: a restore made from an outdated page is refused with 409 and restores nothing', async () => {
    const e = freshEntry();
    const start = await openForm(actors.editor, e.slug);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...start, 'a-nl': 'Tweede versie.', action: 'publish-nl' })).status).toBe(303);
    const confirm = await (await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=nl&restore=1`)).text();
    const form = formFields(confirm, 'class="actions"');
    const change = await openForm(actors.admin, e.slug);
    expect((await actors.admin.device.post(editorUrl(e.slug), { ...change, 'a-nl': 'Nieuwe tekst van de beheerder.', action: 'publish-nl' })).status).toBe(303);
    const before = await kbRows(server.dbUrl);
    const res = await actors.editor.device.post(`${editorUrl(e.slug)}/history?lang=nl`, form);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(en('editor.history.errors.conflict'));
    expect(await kbRows(server.dbUrl)).toBe(before);
  });
});

describe('E2: translation status follows the source language', () => {
  test('E2: publishing a change of the source (nl) answer marks en and fr outdated; publishing en makes it current again; a "small fix" keeps current translations current', async () => {
    const e = entries.slice(nextEntry).find((x) => x.sourceLang === 'nl')!;
    entries.splice(entries.indexOf(e), 1);
    expect(await statusOf(e.slug, 'nl')).toBe('source');
    expect(await statusOf(e.slug, 'en')).toBe('current');

    let form = await openForm(actors.editor, e.slug);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-nl': `${form['a-nl']} Een nieuwe zin.`, action: 'publish-nl' })).status).toBe(303);
    expect(await statusOf(e.slug, 'en')).toBe('outdated');
    expect(await statusOf(e.slug, 'fr')).toBe('outdated');

    form = await openForm(actors.editor, e.slug);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-en': `${form['a-en']} A new sentence.`, action: 'publish-en' })).status).toBe(303);
    expect(await statusOf(e.slug, 'en')).toBe('current');
    expect(await statusOf(e.slug, 'fr')).toBe('outdated');

    form = await openForm(actors.editor, e.slug);
    expect(form['small-fix']).toBeUndefined(); // unticked by default
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-nl': form['a-nl']!.replace('Een nieuwe zin.', 'Een nieuwe zin!'), 'small-fix': 'on', action: 'publish-nl' })).status).toBe(303);
    expect(await statusOf(e.slug, 'en')).toBe('current');
    expect(await statusOf(e.slug, 'fr')).toBe('outdated');

    form = await openForm(actors.editor, e.slug);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...form, 'a-nl': `${form['a-nl']} Nog een zin.`, action: 'publish-nl' })).status).toBe(303);
    expect(await statusOf(e.slug, 'en')).toBe('outdated');
  });
});

describe('E1: safe input', () => {
  test('E1: two editors open the same entry; the first saves; the second save (old revision) is a 409 with the localized message, the first text stays, the second text is in the returned form with the other version beside it', async () => {
    const e = freshEntry();
    const first = await openForm(actors.editor, e.slug);
    const second = await openForm(actors.admin, e.slug);
    expect(first.revision).toBe(second.revision);
    expect((await actors.editor.device.post(editorUrl(e.slug), { ...first, 'a-en': 'The first editor wrote this.', action: 'save' })).status).toBe(303);
    const before = await kbRows(server.dbUrl);

    const res = await actors.admin.device.post(editorUrl(e.slug), { ...second, 'a-en': 'The second editor wrote that.', action: 'save' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(decode(html)).toContain(en('editor.entry.errors.conflict'));
    expect(await kbRows(server.dbUrl)).toBe(before);
    expect(await query(server.dbUrl, 'SELECT answer_md FROM kb_entry_drafts WHERE entry_id = ? AND lang = ?', [e.id, 'en'])).toEqual([{ answer_md: 'The first editor wrote this.' }]);
    const returned = formFields(html);
    expect(returned['a-en']).toBe('The second editor wrote that.');
    // The other version is shown next to theirs (only where the texts differ), with the saved state.
    const column = decode(slice(html, 'data-column="en"', 'data-column="fr"'));
    expect(slice(column, 'data-theirs', '</div>')).toContain('The first editor wrote this.');
    expect(column).toContain('Unpublished changes saved by editor person');
    expect(slice(html, 'data-column="fr"')).not.toContain('data-theirs');
    // The publish button is a conflict too: nothing published over the unseen change.
    const publish = await actors.admin.device.post(editorUrl(e.slug), { ...second, 'a-en': 'The second editor wrote that.', action: 'publish-en' });
    expect(publish.status).toBe(409);
    expect(await kbRows(server.dbUrl)).toBe(before);
    // Having seen it, the second editor may knowingly save again (the returned form carries the new revision).
    expect(Number(returned.revision)).toBeGreaterThan(Number(second.revision));
    const again = await actors.admin.device.post(editorUrl(e.slug), { ...returned, action: 'save' });
    expect(again.status).toBe(303);
    expect(await query(server.dbUrl, 'SELECT answer_md FROM kb_entry_drafts WHERE entry_id = ? AND lang = ?', [e.id, 'en'])).toEqual([{ answer_md: 'The second editor wrote that.' }]);
  });

  test('E1 / N2: bad entry text is refused with 400, a localized message linked to its field, the text kept, and nothing written', async () => {
    const e = freshEntry();
    const form = await openForm(actors.editor, e.slug);
    const cases: Array<{ name: string; change: (f: Record<string, string>) => Record<string, string>; field: string; message: string }> = [
      { name: 'question too short', change: (f) => ({ ...f, 'q-en': 'ab' }), field: 'q-en', message: en('editor.problems.question.too-short', { min: '3' }) },
      { name: 'question too long', change: (f) => ({ ...f, 'q-en': `${'Why '.repeat(41)}?` }), field: 'q-en', message: en('editor.problems.question.too-long', { max: '160' }) },
      { name: 'empty answer', change: (f) => ({ ...f, 'a-en': '   ' }), field: 'a-en', message: en('editor.problems.answer.required') },
      { name: 'answer over the limit', change: (f) => ({ ...f, 'a-en': 'x'.repeat(ANSWER_MAX_LENGTH + 1) }), field: 'a-en', message: en('editor.problems.answer.too-long', { max: ANSWER_MAX_LENGTH.toLocaleString('en') }) },
      { name: 'no tag', change: (f) => withTags(f, 'en', []), field: 'tags-en', message: en('editor.problems.tags.required') },
      { name: 'unknown tag', change: (f) => withTags(f, 'en', ['account', 'not-a-tag']), field: 'tags-en', message: en('editor.problems.tags.invalid') },
      { name: 'more than 6 tags', change: (f) => withTags(f, 'en', ['account', 'password', 'security', 'sessions', 'login', 'verification', 'recovery']), field: 'tags-en', message: en('editor.problems.tags.too-many', { max: '6' }) },
    ];
    const before = await kbRows(server.dbUrl);
    for (const c of cases) {
      for (const action of ['save', 'publish-en']) {
        const sent: Record<string, string> = { ...c.change(form), action };
        const res = await actors.editor.device.post(editorUrl(e.slug), sent);
        expect(res.status, `${c.name} (${action})`).toBe(400);
        const html = await res.text();
        expect(decode(html), c.name).toContain(c.message);
        expect(html).toMatch(new RegExp(`id="${c.field}"[^>]*aria-describedby="[^"]*${c.field}-error`));
        expect(decode(slice(html, `id="${c.field}-error"`, '</p>'))).toContain(c.message);
        const returned = formFields(html);
        if (c.field.startsWith('tags')) expect(Object.keys(returned).filter((k) => k.startsWith('tag-en-')).sort(), c.name).toEqual(Object.keys(sent).filter((k) => k.startsWith('tag-en-')).sort());
        else expect(returned[c.field], c.name).toBe(sent[c.field]);
        expect(returned.revision).toBe(form.revision);
      }
    }
    expect(await kbRows(server.dbUrl)).toBe(before);
  });

  test('E1 / N2: a bad slug, area or source language in the entry settings and in /editor/new is refused with 400 and a localized message; nothing is written', async () => {
    const e = freshEntry();
    const taken = entries.at(-1)!.slug;
    const form = await openForm(actors.editor, e.slug);
    const before = await kbRows(server.dbUrl);
    const settings: Array<[Record<string, string>, string]> = [
      [{ action: 'rename', slug: 'Not A Slug!' }, en('editor.problems.slug.invalid')],
      [{ action: 'rename', slug: '' }, en('editor.problems.slug.required')],
      [{ action: 'rename', slug: `${'a'.repeat(81)}` }, en('editor.problems.slug.too-long', { max: '80' })],
      [{ action: 'rename', slug: taken }, en('editor.problems.slug.taken')],
      [{ action: 'move', area: '999999' }, en('editor.problems.area.invalid')],
      [{ action: 'move', area: 'nope' }, en('editor.problems.area.invalid')],
      [{ action: 'source', sourceLang: 'de' }, en('editor.problems.sourceLang.invalid')],
    ];
    for (const [fields, message] of settings) {
      const res = await actors.editor.device.post(editorUrl(e.slug), { ...fields, revision: form.revision! });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(decode(await res.text()), JSON.stringify(fields)).toContain(message);
    }
    const renamed = await actors.editor.device.post(editorUrl(e.slug), { action: 'rename', slug: 'Not A Slug!', revision: form.revision! });
    const html = await renamed.text();
    expect(html).toMatch(/id="rename-slug"[^>]*value="Not A Slug!"[^>]*aria-describedby="rename-slug-hint rename-slug-error"/);
    const unknown = await actors.editor.device.post(editorUrl(e.slug), { action: 'explode', revision: form.revision! });
    expect(unknown.status).toBe(400);

    const good = { area: String(e.areaId), sourceLang: 'en', slug: '', q: 'A perfectly fine question?', a: 'A fine answer.', 'tag-account': 'on' };
    const create: Array<[Record<string, string>, string]> = [
      [{ ...good, slug: 'Bad Slug' }, en('editor.problems.slug.invalid')],
      [{ ...good, slug: taken }, en('editor.problems.slug.taken')],
      [{ ...good, area: '999999' }, en('editor.problems.area.invalid')],
      [{ ...good, sourceLang: 'xx' }, en('editor.problems.sourceLang.invalid')],
      [{ ...good, q: 'no' }, en('editor.problems.question.too-short', { min: '3' })],
      [{ ...good, a: '' }, en('editor.problems.answer.required')],
      [{ area: good.area, sourceLang: 'en', q: good.q, a: good.a }, en('editor.problems.tags.required')],
      [{ ...good, 'tag-bogus': 'on' }, en('editor.problems.tags.invalid')],
    ];
    for (const [fields, message] of create) {
      const res = await actors.editor.device.post('/editor/new', fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const page = await res.text();
      expect(decode(page), JSON.stringify(fields)).toContain(message);
      expect(formFields(page, 'new-entry-form').q).toBe(fields.q);
    }
    expect(await kbRows(server.dbUrl)).toBe(before);
  });

  test('E1 / N2: the preview API refuses what is not a JSON object with a Markdown string and a language (400), other media types (415) and texts over the answer limit (413, connection closed)', async () => {
    const before = await kbRows(server.dbUrl);
    for (const body of ['{"markdown": 5, "lang": "en"}', '{"markdown": "x", "lang": "de"}', '{"markdown": "x"}', '["x"]', 'null', '{not json', '"text"']) {
      const res = await previewRequest(actors.editor, body);
      expect(res.status, body).toBe(400);
      expect(await res.json(), body).toEqual({ error: 'invalid', message: en('editor.preview.errors.invalid') });
    }
    const plain = await previewRequest(actors.editor, 'hello', 'text/plain');
    expect(plain.status).toBe(415);
    const form = await previewRequest(actors.editor, 'markdown=x&lang=en', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    const long = await previewRequest(actors.editor, JSON.stringify({ markdown: 'x'.repeat(ANSWER_MAX_LENGTH + 1), lang: 'en' }));
    expect(long.status).toBe(413);
    expect(await long.json()).toMatchObject({ error: 'too-large' });
    const atLimit = await previewRequest(actors.editor, JSON.stringify({ markdown: 'x'.repeat(ANSWER_MAX_LENGTH), lang: 'en' }));
    expect(atLimit.status).toBe(200);
    const huge = await previewRequest(actors.editor, JSON.stringify({ markdown: 'x'.repeat(ANSWER_MAX_LENGTH * 7), lang: 'en' }));
    expect(huge.status).toBe(413);
    expect(huge.headers.get('connection')).toBe('close');
    expect(await kbRows(server.dbUrl)).toBe(before);
  });

  const XSS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](java&#115;cript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '![x](javascript:alert(1))',
    '<iframe src="https://example.com/evil"></iframe>',
    '<IMG SRC="jav&#x09;ascript:alert(1)">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<style>body{display:none}</style>',
    '"><script>alert(1)</script>',
  ];

  test('E1 / N2: XSS payloads published through the editor render inert on the public page, in the editor and in the preview API', async () => {
    const e = freshEntry();
    for (const payload of XSS) {
      const res = await previewRequest(actors.editor, JSON.stringify({ markdown: payload, lang: 'en' }));
      expect(res.status, payload).toBe(200);
      const { html } = (await res.json()) as { html: string };
      expect(activeMarkup(html), `${payload} → ${html}`).toEqual([]);
    }
    const form = await openForm(actors.editor, e.slug);
    const answer = XSS.join('\n\n');
    const published = await actors.editor.device.post(editorUrl(e.slug), { ...form, 'q-en': '<script>alert("q")</script> Is this safe?', 'a-en': answer, action: 'publish-en' });
    expect(published.status).toBe(303);
    const page = await (await anonymousGet(publicUrl('en', e))).text();
    const main = slice(page, 'class="answer-main"', '<ul class="tag-list"');
    expect(main).toContain('&lt;script&gt;'); // shown as text
    expect(activeMarkup(main)).toEqual([]);
    expect(outsideAttributes(page).includes('<script>alert')).toBe(false); // in <meta content="…"> it is text
    const editor = await (await actors.editor.device.get(editorUrl(e.slug))).text();
    expect(activeMarkup(slice(editor, 'data-preview="a-en"', '</section>'))).toEqual([]);
    expect(outsideAttributes(editor).includes('<script>alert')).toBe(false);
    expect(formFields(editor)['a-en']).toBe(answer);
  });
});

describe('E1: rename, move, unpublish', () => {
  test('E1: renaming the slug redirects the old editor URL (301) and records the redirect for the public URL in every language', async () => {
    const e = freshEntry();
    const form = await openForm(actors.editor, e.slug);
    const page = await (await actors.editor.device.get(editorUrl(e.slug))).text();
    expect(decode(page)).toContain(`${server.origin}/${e.sourceLang}/${e.area}/${e.slug}`);
    const newSlug = `${e.slug}-renamed`;
    const res = await actors.editor.device.post(editorUrl(e.slug), { action: 'rename', slug: newSlug, revision: form.revision! });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${editorUrl(newSlug)}?done=renamed`);
    expect(await query(server.dbUrl, "SELECT target_id FROM kb_slug_redirects WHERE kind = 'entry' AND old_slug = ?", [e.slug])).toEqual([{ target_id: e.id }]);
    const old = await actors.editor.device.get(`${editorUrl(e.slug)}?x=1`);
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`${editorUrl(newSlug)}?x=1`);
    const oldHistory = await actors.editor.device.get(`${editorUrl(e.slug)}/history?lang=fr`);
    expect(oldHistory.status).toBe(301);
    expect(oldHistory.headers.get('location')).toBe(`${editorUrl(newSlug)}/history?lang=fr`);
    for (const lang of ['nl', 'en', 'fr']) {
      expect((await anonymousGet(publicUrl(lang, { area: e.area, slug: newSlug }))).status, lang).toBe(200);
      // the old public URL answers 301 with the new one
      const moved = await anonymousGet(publicUrl(lang, e));
      expect(moved.status, lang).toBe(301);
      expect(moved.headers.get('location'), lang).toBe(publicUrl(lang, { area: e.area, slug: newSlug }));
    }
  });

  test('E1: moving an entry to another area and changing its source language take effect; unpublishing asks for confirmation first', async () => {
    const e = freshEntry();
    const target = entries.find((x) => x.areaId !== e.areaId)!;
    let form = await openForm(actors.editor, e.slug);
    const moved = await actors.editor.device.post(editorUrl(e.slug), { action: 'move', area: String(target.areaId), revision: form.revision! });
    expect(moved.status).toBe(303);
    expect((await anonymousGet(publicUrl('en', { area: target.area, slug: e.slug }))).status).toBe(200);

    form = await openForm(actors.editor, e.slug);
    const newSource = e.sourceLang === 'fr' ? 'en' : 'fr';
    expect((await actors.editor.device.post(editorUrl(e.slug), { action: 'source', sourceLang: newSource, revision: form.revision! })).status).toBe(303);
    expect(await statusOf(e.slug, newSource)).toBe('source');

    const confirm = await (await actors.editor.device.get(`${editorUrl(e.slug)}?unpublish=fr`)).text();
    expect(decode(confirm)).toContain(en('editor.entry.unpublishTitle', { language: 'French' }));
    const unpublish = formFields(confirm, 'class="actions"');
    expect(unpublish).toMatchObject({ action: 'unpublish', lang: 'fr' });
    const res = await actors.editor.device.post(editorUrl(e.slug), unpublish);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${editorUrl(e.slug)}?done=unpublished&lang=fr`);
    expect(await query(server.dbUrl, 'SELECT COUNT(*) AS n FROM kb_entry_translations WHERE entry_id = ? AND lang = ?', [e.id, 'fr'])).toEqual([{ n: 0 }]);
    expect(await query(server.dbUrl, 'SELECT COUNT(*) AS n FROM kb_entry_drafts WHERE entry_id = ? AND lang = ?', [e.id, 'fr'])).toEqual([{ n: 1 }]);
    // Unpublishing again (nothing published) is refused.
    const again = await actors.editor.device.post(editorUrl(e.slug), { ...unpublish, revision: (await openForm(actors.editor, e.slug)).revision! });
    expect(again.status).toBe(400);
  });
});

describe('E5: a draft made from a ticket', () => {
  test('E5: the editor shows "made from ticket #N — remove personal data before publishing"', async () => {
    const e = freshEntry();
    const ticket = await openTicket(server.dbUrl, actors.customerA.device, 'How do I change my email?', 'My address is jan@example.com, please change it.');
    await query(server.dbUrl, `INSERT INTO kb_entry_drafts (entry_id, lang, question, answer_md, tags, updated_by, ticket_id) VALUES (?, 'en', 'How do I change my email?', 'Jan, we changed it for you.', '[]', ?, ?)`, [e.id, actors.agent.id!, ticket.id]);
    const html = decode(await (await actors.editor.device.get(editorUrl(e.slug))).text());
    expect(html).toContain(en('editor.entry.fromTicket', { number: ticket.number }));
    expect(slice(html, 'data-ticket-notice')).toContain(`#${ticket.number}`);
  });
});
