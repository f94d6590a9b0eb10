import { describe, expect, test } from 'vitest';
import { fallbackLocales, isLocale, negotiateLocale } from '../../src/i18n/locales.ts';

describe('K1: locale negotiation from Accept-Language', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['nl', 'nl'],
    ['nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
    ['fr-CA', 'fr'],
    ['de-DE,de;q=0.9,fr;q=0.5,en;q=0.4', 'fr'],
    ['en;q=0.5,nl;q=0.8', 'nl'],
    ['de, it', 'en'],
    ['nl;q=0, fr', 'fr'],
    ['*', 'en'],
    ['FR-fr', 'fr'],
    ['en-US;q=abc, nl;q=0.1', 'nl'],
    [';;;,,,', 'en'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  test('a very long header is handled and still falls back', () => {
    expect(negotiateLocale(`${'de;q=0.9,'.repeat(500)}fr`)).toBe('en');
  });

  test('isLocale accepts only nl, en, fr', () => {
    expect(['nl', 'en', 'fr'].every(isLocale)).toBe(true);
    expect(['NL', 'de', '', null, 1, 'en-GB'].some(isLocale)).toBe(false);
  });

  test('K5: fallback order starts with the asked language, then English', () => {
    expect(fallbackLocales('nl')).toEqual(['nl', 'en', 'fr']);
    expect(fallbackLocales('fr')).toEqual(['fr', 'en', 'nl']);
    expect(fallbackLocales('en')).toEqual(['en', 'nl', 'fr']);
  });
});
