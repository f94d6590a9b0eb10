// ../shared/SECURITY-CHECKLIST.md, checked: each of its 44 items is proven by named tests that
// exist, or listed as pending with what is still missing.
import { describe, expect, test } from 'vitest';
import { missingTests } from '../helpers/test-refs.ts';
import { CHECKLIST_ITEMS, pending, proven } from '../security-checklist/registry.ts';

describe('SECURITY-CHECKLIST: every item and the tests that prove it', () => {
  test('every item 1–44 is either proven or pending, never both', () => {
    const items = Array.from({ length: CHECKLIST_ITEMS }, (_, i) => i + 1);
    expect(items.filter((n) => !(n in proven) && !(n in pending))).toEqual([]);
    expect(Object.keys(proven).filter((n) => n in pending)).toEqual([]);
    expect([...Object.keys(proven), ...Object.keys(pending)].map(Number).filter((n) => !items.includes(n))).toEqual([]);
  });

  test('every named test exists, word for word, in the named file', () => {
    expect(missingTests(proven)).toEqual([]);
  });

  test('progress: how many items are proven', () => {
    const count = Object.keys(proven).length;
    console.info(`Security checklist: ${count} of ${CHECKLIST_ITEMS} items proven, ${Object.keys(pending).length} pending`);
    // A ratchet: raise it whenever an item moves from pending to proven.
    expect(count).toBeGreaterThanOrEqual(44);
  });
});
