// N4: every UI string exists in nl, en and fr; every content entry and area exists in all three.
import { describe, expect, test } from 'vitest';
import { mailResources, resources, t } from '../../src/i18n/index.ts';
import { locales } from '../../src/i18n/locales.ts';
import { readContent } from '../../src/server/kb/content-files.ts';
import { tagIds } from '../../src/server/kb/tags.ts';
import { CONTENT_ROOT } from '../helpers/kb.ts';

function flatKeys(obj: unknown, prefix = ''): string[] {
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) =>
    v && typeof v === 'object' ? flatKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
/** Plural forms differ per language (_one/_other; French may add _many): compare base keys. */
const baseKey = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe.each([
  ['UI strings', resources],
  ['email texts', mailResources],
] as const)('N4: %s', (_name, resources) => {
  const keys = Object.fromEntries(locales.map((l) => [l, new Set(flatKeys(resources[l]).map(baseKey))]));
  const all = new Set(locales.flatMap((l) => [...keys[l]!]));

  test.each(locales)('%s has every key that any language has', (lang) => {
    const missing = [...all].filter((k) => !keys[lang]!.has(k));
    expect(missing).toEqual([]);
  });

  test.each(locales)('%s has no empty string', (lang) => {
    const empty = flatKeys(resources[lang]).filter((k) => {
      const value = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], resources[lang]);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(empty).toEqual([]);
  });


  test('interpolation placeholders agree across languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{-?\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');
    for (const key of flatKeys(resources.en)) {
      const get = (lang: (typeof locales)[number]) =>
        key.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown> | undefined)?.[part], resources[lang]);
      const en = get('en');
      for (const lang of locales) {
        const value = get(lang);
        if (typeof value === 'string' && typeof en === 'string') expect(placeholders(value), `${lang}:${key}`).toBe(placeholders(en));
      }
    }
  });
});

describe('K3: tag labels', () => {
  test.each(locales)('%s has a label for every tag id', (lang) => {
    for (const tag of tagIds) expect(t(lang)(`tags.${tag}`, { defaultValue: '' }), tag).not.toBe('');
  });
});

describe('N4 / K8: content is complete in all three languages', async () => {
  const content = await readContent(CONTENT_ROOT);

  test('every entry slug exists in nl, en and fr with the same area, tags and order', () => {
    const bySlug = new Map<string, typeof content.entries>();
    for (const e of content.entries) bySlug.set(e.slug, [...(bySlug.get(e.slug) ?? []), e]);
    const incomplete = [...bySlug].filter(([, list]) => locales.some((l) => !list.some((e) => e.lang === l))).map(([s]) => s);
    expect(incomplete).toEqual([]);
    for (const [slug, list] of bySlug) {
      expect(new Set(list.map((e) => e.area)).size, slug).toBe(1);
      expect(new Set(list.map((e) => e.tags.join(','))).size, slug).toBe(1);
      expect(new Set(list.map((e) => e.order)).size, slug).toBe(1);
    }
  });

  test('every area has a title and description in nl, en and fr', () => {
    const areas = new Set(content.entries.map((e) => e.area));
    for (const area of areas)
      for (const lang of locales) expect(content.areas.some((a) => a.area === area && a.lang === lang), `${lang}/${area}`).toBe(true);
  });

  test('K8: the starter areas exist, Account & Security has at least 45 entries', () => {
    const count = (area: string) => content.entries.filter((e) => e.area === area && e.lang === 'en').length;
    expect(count('account-security')).toBeGreaterThanOrEqual(45);
    expect(count('support-tickets')).toBeGreaterThan(0);
    expect(count('getting-started')).toBeGreaterThan(0);
    const enAreas = content.areas.filter((a) => a.lang === 'en').map((a) => [a.area, a.title, a.description]);
    expect(enAreas).toContainEqual(['account-security', 'Account & Security', 'Sign-in, 2FA, security and account recovery']);
  });

  test('translations differ from each other (no copy left untranslated)', () => {
    const bySlug = new Map<string, Record<string, string>>();
    for (const e of content.entries) bySlug.set(e.slug, { ...bySlug.get(e.slug), [e.lang]: e.answer });
    for (const [slug, texts] of bySlug) {
      expect(texts.nl, slug).not.toBe(texts.en);
      expect(texts.fr, slug).not.toBe(texts.en);
    }
  });
});
