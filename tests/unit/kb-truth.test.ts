// The SPEC's opening promise, checked: every Account & Security entry is either proven by named
// tests that exist, or listed as pending with the rule that is still missing.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { missingTests } from '../helpers/test-refs.ts';
import { pending, proven } from '../kb-truth/registry.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const slugs = readdirSync(join(ROOT, 'content/en/account-security'))
  .filter((f) => f.endsWith('.md') && f !== '_area.md')
  .map((f) => f.slice(0, -3))
  .sort();

describe('KB truth: the Account & Security articles and the tests that prove them', () => {
  test('every entry is either proven or pending (with its missing rule), never both', () => {
    const unaccounted = slugs.filter((s) => !(s in proven) && !(s in pending));
    expect(unaccounted).toEqual([]);
    expect(Object.keys(proven).filter((s) => s in pending)).toEqual([]);
    for (const [slug, reason] of Object.entries(pending)) expect(reason.length, slug).toBeGreaterThan(5);
  });

  test('the registry names only existing entries', () => {
    const known = new Set(slugs);
    expect([...Object.keys(proven), ...Object.keys(pending)].filter((s) => !known.has(s))).toEqual([]);
  });

  test('every named test exists, word for word, in the named file', () => {
    expect(missingTests(proven)).toEqual([]);
  });

  test('progress: how many entries are proven', () => {
    const count = Object.keys(proven).length;
    console.info(`KB truth: ${count} of ${slugs.length} Account & Security entries proven, ${Object.keys(pending).length} pending`);
    // A ratchet: raise it whenever an entry moves from pending to proven; it never goes down.
    expect(count).toBeGreaterThanOrEqual(62);
  });
});
