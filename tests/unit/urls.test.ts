import { describe, expect, test } from 'vitest';
import { isSlug, slugify } from '../../src/lib/slug.ts';
import { areaUrl, entryUrl, homeUrl, localizedPath, searchIndexUrl, searchUrl } from '../../src/lib/urls.ts';

describe('K4: slugs', () => {
  test('valid slugs are lowercase words joined by single hyphens', () => {
    for (const s of ['password-requirements', '2fa-enabled-notice', 'a', 'api-key']) expect(isSlug(s)).toBe(true);
    for (const s of ['', 'Password', 'double--hyphen', '-lead', 'trail-', 'has space', 'é', 'a/b', 'x'.repeat(81), 42])
      expect(isSlug(s)).toBe(false);
  });
  test('slugify folds accents and punctuation', () => {
    expect(slugify('Réinitialiser le mot de passe !')).toBe('reinitialiser-le-mot-de-passe');
    expect(slugify('  2FA: uitschakelen? ')).toBe('2fa-uitschakelen');
    expect(isSlug(slugify('Wat is Loket, eigenlijk?'))).toBe(true);
  });
});

describe('K1: every public URL starts with the locale', () => {
  test('builders', () => {
    expect(homeUrl('nl')).toBe('/nl/');
    expect(areaUrl('fr', 'account-security')).toBe('/fr/account-security/');
    expect(areaUrl('en', 'account-security', '2fa')).toBe('/en/account-security/?tag=2fa');
    expect(entryUrl('nl', 'account-security', 'reset-password')).toBe('/nl/account-security/reset-password');
    expect(searchUrl('fr', 'mot de passe')).toBe('/fr/search?q=mot%20de%20passe');
    expect(searchUrl('en')).toBe('/en/search');
    expect(searchIndexUrl('nl', 'abc')).toBe('/nl/search-index.json?v=abc');
  });
  test('localizedPath swaps only the locale segment and keeps the rest', () => {
    expect(localizedPath('/en/account-security/reset-password', 'nl')).toBe('/nl/account-security/reset-password');
    expect(localizedPath('/en/account-security/?tag=2fa', 'fr')).toBe('/fr/account-security/?tag=2fa');
    expect(localizedPath('/en/', 'fr')).toBe('/fr/');
    expect(localizedPath('/', 'nl')).toBe('/nl/');
  });
});
