// K5: the search index (build/load round trip) and relevance on the starter knowledge base.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locale } from '../../src/i18n/locales.ts';
import { highlight, processTerm } from '../../src/lib/search.ts';
import { documentsFingerprint, indexFor, loadIndex, runSearch, searchDocs, type LanguageIndex } from '../../src/server/kb/search-index.ts';
import { getKb, type KbSnapshot } from '../../src/server/kb/snapshot.ts';
import { starterKb } from '../helpers/kb.ts';

let handle: Awaited<ReturnType<typeof starterKb>>;
let kb: KbSnapshot;
const index = (lang: Locale): LanguageIndex => indexFor(kb, lang);
const first = (lang: Locale, q: string) => runSearch(index(lang), q)[0];

beforeAll(async () => {
  handle = await starterKb();
  kb = await getKb(handle.db);
});
afterAll(() => handle.close());

describe('K5: index build and load', () => {
  test('the JSON index loads back into an index that answers exactly like the original', () => {
    for (const lang of ['nl', 'en', 'fr'] as const) {
      const loaded = loadIndex(index(lang).json);
      for (const q of ['wachtwoord', 'password', 'sécurité', '2fa', 'sesion', 'herstel']) {
        const a = runSearch(index(lang), q).map((h) => [h.id, h.score.toFixed(6)]);
        const b = loaded.search(q).map((h) => [h.id, h.score.toFixed(6)]);
        expect(b.slice(0, a.length)).toEqual(a);
      }
    }
  });

  test('one document per published entry, in the page language', () => {
    const docs = searchDocs(kb, 'nl');
    expect(docs).toHaveLength(kb.entries.length);
    const doc = docs.find((d) => d.id === 'password-requirements')!;
    expect(doc.q).toMatch(/wachtwoord/i);
    expect(doc.t).toContain('wachtwoord'); // tag labels are localized
    expect(doc.l).toBe('');
  });

  test('the hash changes with the content and is stable otherwise', () => {
    const again = indexFor(kb, 'en');
    expect(again.hash).toBe(index('en').hash);
    expect(index('en').hash).not.toBe(index('nl').hash);
  });
});

describe('K5: relevance on the starter knowledge base', () => {
  test('"wachtwoord vergeten" (nl) finds the forgotten-password answers first', () => {
    expect(['reset-password', 'forgot-password-link']).toContain(first('nl', 'wachtwoord vergeten')?.id);
    expect(runSearch(index('nl'), 'wachtwoord vergeten').slice(0, 2).map((h) => h.id)).toContain('reset-password');
  });

  test('"2FA uitschakelen" (nl) finds how to turn 2FA off first', () => {
    expect(first('nl', '2FA uitschakelen')?.id).toBe('turn-off-2fa');
  });

  test('"désactiver 2FA" (fr) finds how to turn 2FA off first', () => {
    expect(first('fr', 'désactiver 2FA')?.id).toBe('turn-off-2fa');
  });

  test('"mot de passe" (fr) finds a password answer first', () => {
    const hit = first('fr', 'mot de passe')!;
    expect(hit.q.toLowerCase()).toContain('mot de passe');
    expect(kb.entry(hit.id)!.texts.get('fr')!.tags).toContain('password');
  });

  test('typo tolerance: "sesion" finds the sessions answers (en, fr)', () => {
    expect(['active-sessions', 'end-session', 'session-expiry']).toContain(first('en', 'sesion')?.id);
    expect(first('fr', 'sesion')?.id).toBe('session-expiry');
  });

  test('typo tolerance: "pasword" (en) finds a password answer', () => {
    expect(kb.entry(first('en', 'pasword')!.id)!.texts.get('en')!.tags).toContain('password');
  });

  test('prefix matching: "herstelc" (nl) finds the recovery codes', () => {
    expect(first('nl', 'herstelc')?.id).toMatch(/recovery-code/);
  });

  test('accents do not matter: "verrouille" equals "verrouillé" (fr)', () => {
    expect(first('fr', 'verrouille')?.id).toBe(first('fr', 'verrouillé')?.id);
    expect(['locked-sign-in-message', 'account-locked-why']).toContain(first('fr', 'verrouillé')?.id);
  });

  test('"api key" (en) and "delete my account" (en)', () => {
    expect(first('en', 'api key')?.id).toBe('api-key');
    expect(first('en', 'delete my account')?.id).toBe('delete-account');
  });

  test('searching is per language: a Dutch word is not found in the French index', () => {
    expect(runSearch(index('fr'), 'tweestapsverificatie')).toEqual([]);
  });

  test('nonsense finds nothing', () => {
    expect(runSearch(index('en'), 'zzqxv')).toEqual([]);
  });
});

describe('K5: highlighting', () => {
  test('marks words whose search form matched, keeps the rest verbatim', () => {
    expect(highlight('Réinitialiser le mot de passe', ['passe', 'reinitialiser'])).toEqual([
      { text: 'Réinitialiser', mark: true },
      { text: ' le mot de ', mark: false },
      { text: 'passe', mark: true },
    ]);
    expect(highlight('nothing here', ['password'])).toEqual([{ text: 'nothing here', mark: false }]);
  });
  test('processTerm folds case and accents and drops stop words', () => {
    expect(processTerm('Sécurité')).toBe('securite');
    expect(processTerm('the')).toBeNull();
    expect(processTerm('2')).toBe('2');
    expect(processTerm('x')).toBeNull();
  });
});

describe('K5: a missing translation falls back with its language marked', () => {
  test('an entry without a Dutch text is searchable in Dutch, marked as English', async () => {
    const { importContent } = await import('../../src/server/kb/import.ts');
    await importContent(handle.db, {
      areas: [{ lang: 'en', area: 'getting-started', title: 'Getting started', description: 'Find your way around the help center', order: 3, path: 'x' }],
      entries: [{ lang: 'en', area: 'getting-started', slug: 'only-in-english', question: 'Is the zebrafish manual translated?', tags: ['getting-started'], order: 999, answer: 'Not yet: the zebrafish manual is only in English.', path: 'x' }],
    });
    const fresh = await getKb(handle.db);
    const hit = runSearch(indexFor(fresh, 'nl'), 'zebrafish')[0];
    expect(hit?.id).toBe('only-in-english');
    expect(hit?.l).toBe('en');
    expect(fresh.localizeEntry(fresh.entry('only-in-english')!, 'fr')).toMatchObject({ lang: 'en', fallback: true });
  });
});

describe('E3: a publish rebuilds only the languages whose documents changed', () => {
  test('E3: after an English-only change the nl and fr indexes are taken over (same object, same ETag); en is rebuilt with a new ETag and the new word', async () => {
    const { tempDb } = await import('../helpers/kb.ts');
    const { importContentDir } = await import('../../src/server/kb/import.ts');
    const { CONTENT_ROOT } = await import('../helpers/kb.ts');
    const own = await tempDb();
    try {
      await importContentDir(own.db, CONTENT_ROOT);
      const before = await getKb(own.db);
      const old = { nl: indexFor(before, 'nl'), en: indexFor(before, 'en'), fr: indexFor(before, 'fr') };
      await own.db.$client.execute("UPDATE kb_entry_translations SET answer_text = answer_text || ' quokkarebuild', version = version + 1 WHERE lang = 'en' AND entry_id = (SELECT id FROM kb_entries WHERE slug = 'reset-password')");
      await own.db.$client.execute('UPDATE kb_state SET version = version + 1 WHERE id = 1');
      const { noteKbChanged } = await import('../../src/server/kb/snapshot.ts');
      noteKbChanged(own.db);
      const after = await getKb(own.db);
      expect(after).not.toBe(before);
      const now = { nl: indexFor(after, 'nl'), en: indexFor(after, 'en'), fr: indexFor(after, 'fr') };
      expect(now.nl.search).toBe(old.nl.search);
      expect(now.nl.hash).toBe(old.nl.hash);
      expect(now.fr.compressed).toBe(old.fr.compressed);
      expect(now.en.search).not.toBe(old.en.search);
      expect(now.en.hash).not.toBe(old.en.hash);
      expect(runSearch(now.en, 'quokkarebuild')[0]?.id).toBe('reset-password');
      expect(runSearch(now.nl, 'quokkarebuild')).toEqual([]);
      expect(now.en.kbVersion).toBe(after.version);
      // the URL version pages link to is the documents' fingerprint, known without building
      expect(documentsFingerprint(after, 'nl')).toBe(documentsFingerprint(before, 'nl'));
      expect(documentsFingerprint(after, 'en')).not.toBe(documentsFingerprint(before, 'en'));
      expect(now.en.urlVersion).toBe(documentsFingerprint(after, 'en').slice(0, 16));
      expect(now.nl.kbVersion).toBe(after.version);
    } finally {
      own.close();
    }
  });
});

describe('K5: large knowledge bases stay fast (pruneCommonTerms)', async () => {
  const { pruneCommonTerms } = await import('../../src/lib/search.ts');
  const { buildIndex } = await import('../../src/server/kb/search-index.ts');
  const doc = (i: number, q: string, a: string) => ({ id: `d${i}`, s: 'area', q, a, t: '', x: '', l: '' });

  test('a small knowledge base is indexed untouched', () => {
    const docs = [doc(1, 'Reset password', 'common words here'), doc(2, 'Other', 'common words')];
    expect(pruneCommonTerms(docs, 300).map((d) => [d.qi, d.a])).toEqual([
      ['Reset password', 'common words here'],
      ['Other', 'common words'],
    ]);
  });

  test('a word in more than `keep` answers is indexed only where it weighs most; rare words everywhere', () => {
    const docs = Array.from({ length: 50 }, (_, i) =>
      doc(i, `Question ${i}`, i === 7 ? 'widget widget widget' : `widget ${'filler '.repeat(i + 1)}rare${i}`),
    );
    const index = buildIndex(docs);
    // not pruned at this size (50 ≤ 300)
    expect(index.search('widget', { prefix: false, fuzzy: false })).toHaveLength(50);
    const pruned = pruneCommonTerms(docs, 10);
    const withWidget = pruned.filter((d) => /widget/.test(d.a));
    expect(withWidget).toHaveLength(10);
    expect(withWidget.map((d) => d.id)).toContain('d7'); // the answer that is all about widgets
    for (const d of pruned) expect(d.a).toMatch(/rare\d+|widget/);
    expect(pruned.every((d, i) => i === 7 || d.a.includes(`rare${i}`))).toBe(true);
    expect(pruned.map((d) => d.q)).toEqual(docs.map((d) => d.q)); // what is shown is unchanged
  });
});
