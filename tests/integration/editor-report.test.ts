// E2: the translation report through the real page — nothing to do on a fresh server with the
// starter content; a published change to an entry's source text (nl) makes its en and fr texts
// outdated until they are updated and published; a deleted translation shows as missing; the
// filters (area, language, state) work as a plain GET form and unknown values fall back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locale } from '../../src/i18n/locales.ts';
import { loadEditorEntry, publishDraft, saveDrafts } from '../../src/server/editor/entries.ts';
import type { Actor, ActorName } from '../helpers/actors.ts';
import { startEditorServer, textOf, withDb } from '../helpers/editor.ts';
import { query } from '../helpers/http.ts';
import type { RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let actors: Record<ActorName, Actor>;
const SLUG = 'password-requirements';

beforeAll(async () => {
  ({ server, actors } = await startEditorServer());
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function report(query = ''): Promise<{ status: number; html: string; text: string }> {
  const res = await actors.editor.device.get(`/editor/report${query}`);
  const html = await res.text();
  return { status: res.status, html, text: textOf(html) };
}

/** The report's rows: slug → language → state. */
function rows(html: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const m of html.matchAll(/<tr data-row="([a-z0-9-]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const states: Record<string, string> = {};
    for (const c of m[2]!.matchAll(/data-lang="([a-z]{2})" data-state="([a-z]+)"/g)) states[c[1]!] = c[2]!;
    out.set(m[1]!, states);
  }
  return out;
}

/** Saves a new text for one language and publishes it, as the entry editor does (E1). */
async function publishText(lang: Locale, change: (text: { question: string; answerMd: string; tags: string[] }) => { question: string; answerMd: string; tags: string[] }) {
  await withDb(server.dbUrl, async (db) => {
    const entry = (await loadEditorEntry(db, SLUG))!;
    const text = change(entry.langs[lang].published!);
    const saved = await saveDrafts(db, { id: actors.editor.id! }, entry.id, entry.editRevision, { [lang]: { question: text.question, answer: text.answerMd, tags: text.tags } });
    expect(saved.ok).toBe(true);
    const published = await publishDraft(db, { id: actors.editor.id! }, entry.id, lang, saved.ok ? saved.editRevision : -1);
    expect(published.ok).toBe(true);
  });
}

describe('E2: the translation report', () => {
  test('E2: with the starter content nothing is missing or outdated, and the report says so', async () => {
    const r = await report();
    expect(r.status).toBe(200);
    expect(r.text).toContain('Every translation is up to date.');
    expect(rows(r.html).size).toBe(0);
    for (const lang of ['Dutch', 'English', 'French']) expect(r.text).toContain(`${lang} 0 missing, 0 outdated`);
    // "Every entry" lists them all, each language up to date or the source.
    const all = await report('?state=all');
    const [count] = await query(server.dbUrl, 'SELECT count(*) AS n FROM kb_entries');
    const listed = rows(all.html);
    expect(listed.size).toBe(Number(count!.n));
    for (const [slug, states] of listed) expect(states, slug).toEqual({ nl: 'source', en: 'current', fr: 'current' });
  });

  test('E2: a published change to the nl source makes en and fr outdated until each is updated and published; filters by language, state and area', async () => {
    const [before] = await query(server.dbUrl, "SELECT t.version FROM kb_entry_translations t JOIN kb_entries e ON e.id = t.entry_id WHERE e.slug = ? AND t.lang = 'nl'", [SLUG]);
    const v = Number(before!.version);
    await publishText('nl', (t) => ({ ...t, answerMd: `${t.answerMd}\n\nEen wachtwoordzin van vier woorden is ook goed.` }));

    let r = await report();
    expect(rows(r.html).get(SLUG)).toEqual({ nl: 'source', en: 'outdated', fr: 'outdated' });
    expect(rows(r.html).size).toBe(1);
    expect(r.text).toContain(`source v${v + 1}, this text made against v${v}`);
    expect(r.html).toContain(`href="/editor/entries/${SLUG}#lang-en"`);
    expect(r.html).toContain(`href="/editor/entries/${SLUG}#lang-fr"`);
    expect(r.text).toContain('Dutch 0 missing, 0 outdated');
    expect(r.text).toContain('English 0 missing, 1 outdated');
    expect(r.text).toContain('French 0 missing, 1 outdated');

    // Filters: by language (only that column), by state, by area.
    r = await report('?lang=en');
    expect(rows(r.html).get(SLUG)).toEqual({ en: 'outdated' });
    r = await report('?lang=nl');
    expect(rows(r.html).size).toBe(0);
    expect(r.text).toContain('Every translation is up to date.');
    expect(rows((await report('?state=outdated')).html).has(SLUG)).toBe(true);
    r = await report('?state=missing');
    expect(rows(r.html).size).toBe(0);
    expect(r.text).toContain('No entries match these filters.');
    expect(rows((await report('?area=account-security')).html).has(SLUG)).toBe(true);
    expect(rows((await report('?area=getting-started')).html).size).toBe(0);
    // The form shows the filters in force.
    r = await report('?area=account-security&lang=fr&state=outdated');
    expect(rows(r.html).get(SLUG)).toEqual({ fr: 'outdated' });
    expect(r.html).toMatch(/<option value="account-security" selected/);
    expect(r.html).toMatch(/<option value="fr" selected/);
    expect(r.html).toMatch(/<option value="outdated" selected/);

    // English brought up to date: only French is left.
    await publishText('en', (t) => ({ ...t, answerMd: `${t.answerMd}\n\nA passphrase of four words is fine too.` }));
    r = await report();
    expect(rows(r.html).get(SLUG)).toEqual({ nl: 'source', en: 'current', fr: 'outdated' });
    expect(r.text).toContain('English 0 missing, 0 outdated');
    // A French draft alone changes nothing, though the report mentions it.
    await withDb(server.dbUrl, async (db) => {
      const entry = (await loadEditorEntry(db, SLUG))!;
      const fr = entry.langs.fr.published!;
      expect((await saveDrafts(db, { id: actors.editor.id! }, entry.id, entry.editRevision, { fr: { question: fr.question, answer: `${fr.answerMd}\n\nBrouillon.`, tags: fr.tags } })).ok).toBe(true);
    });
    r = await report();
    expect(rows(r.html).get(SLUG)?.fr).toBe('outdated');
    expect(r.text).toContain('a draft is pending');
    await publishText('fr', (t) => ({ ...t, answerMd: `${t.answerMd}\n\nUne phrase de passe de quatre mots convient aussi.` }));
    r = await report();
    expect(rows(r.html).size).toBe(0);
    expect(r.text).toContain('Every translation is up to date.');
  });

  test('E2: a translation that is not there (its published row deleted) shows as missing', async () => {
    const slug = 'what-is-loket';
    await query(server.dbUrl, "DELETE FROM kb_entry_translations WHERE lang = 'fr' AND entry_id = (SELECT id FROM kb_entries WHERE slug = ?)", [slug]);
    let r = await report();
    expect(rows(r.html).get(slug)).toEqual({ nl: 'source', en: 'current', fr: 'missing' });
    expect(r.text).toContain('French 1 missing, 0 outdated');
    expect(rows((await report('?state=missing')).html).get(slug)?.fr).toBe('missing');
    expect(rows((await report('?state=outdated')).html).has(slug)).toBe(false);
    r = await report('?lang=fr&area=getting-started');
    expect(rows(r.html).get(slug)).toEqual({ fr: 'missing' });
  });

  test('E2: unknown filter values fall back to the defaults without an error', async () => {
    const defaults = rows((await report()).html);
    for (const q of ['?lang=de', '?state=bogus', '?area=NOT%20AN%20AREA', '?area=no-such-area-at-all', '?lang=&state=&area=', `?lang=${'x'.repeat(300)}`]) {
      const r = await report(q);
      expect(r.status, q).toBe(200);
      if (q !== '?area=no-such-area-at-all') expect(rows(r.html), q).toEqual(defaults);
    }
    // An unknown (well-formed) area simply matches nothing.
    expect((await report('?area=no-such-area-at-all')).text).toContain('Every translation is up to date.');
    const r = await report('?lang=de&state=bogus');
    expect(r.html).toMatch(/<option value="problems" selected/);
    expect(r.html).toMatch(/<option value="" selected[^>]*>All languages/);
  });

  test('E2: the report is in the editor’s language', async () => {
    await query(server.dbUrl, "UPDATE users SET locale = 'fr' WHERE id = ?", [actors.admin.id!]);
    const text = textOf(await (await actors.admin.device.get('/editor/report')).text());
    expect(text).toContain('Rapport de traduction');
    expect(text).toContain('Français manquantes : 1, périmées : 0');
  });
});
