// S1: the queue's query string — read strictly (an unknown value is named, never widened) and
// written back without defaults, so links, paging and the live refresh keep the same filters.
import { describe, expect, test } from 'vitest';
import { parseQueueFilters, queueQuery, QUEUE_SEARCH_MAX_LENGTH } from '../../src/server/tickets/console.ts';
import { consoleGate } from '../../src/server/tickets/console-access.ts';
import type { SessionUser } from '../../src/server/auth/session.ts';

const parse = (q: string) => parseQueueFilters(new URLSearchParams(q));

describe('S1: queue filters', () => {
  test('S1 / N2: unknown views, languages, statuses, areas, pages and over-long searches are refused by name', () => {
    expect(parse('view=everything')).toEqual({ ok: false, problem: 'view' });
    expect(parse('lang=de')).toEqual({ ok: false, problem: 'locale' });
    expect(parse('status=lost')).toEqual({ ok: false, problem: 'status' });
    expect(parse('area=..%2Fetc')).toEqual({ ok: false, problem: 'area' });
    expect(parse('page=0')).toEqual({ ok: false, problem: 'page' });
    expect(parse('page=1.5')).toEqual({ ok: false, problem: 'page' });
    expect(parse(`q=${'a'.repeat(QUEUE_SEARCH_MAX_LENGTH + 1)}`)).toEqual({ ok: false, problem: 'q' });
  });

  test('S1: defaults are the unassigned view, page 1, no filters; searches are trimmed and their whitespace collapsed', () => {
    expect(parse('')).toEqual({ ok: true, filters: { view: 'unassigned', area: null, locale: null, status: null, q: '', page: 1 } });
    expect(parse('view=mine&lang=fr&status=pending&area=account-security&q=%20lost%20%20%20phone%20&page=3')).toEqual({
      ok: true,
      filters: { view: 'mine', area: 'account-security', locale: 'fr', status: 'pending', q: 'lost phone', page: 3 },
    });
  });

  test('S1: the query string round-trips and leaves defaults out', () => {
    expect(queueQuery({ view: 'unassigned', page: 1, q: '' })).toBe('');
    const q = queueQuery({ view: 'resolved', area: 'getting-started', locale: 'nl', status: 'resolved', q: 'a@b.example', page: 2 });
    const back = parseQueueFilters(new URLSearchParams(q.slice(1)));
    expect(back).toEqual({ ok: true, filters: { view: 'resolved', area: 'getting-started', locale: 'nl', status: 'resolved', q: 'a@b.example', page: 2 } });
  });
});

describe('S1 / S5: who enters the console', () => {
  const user = (role: SessionUser['role'], locale = 'fr'): SessionUser => ({ id: 'u', email: 'u@example.com', name: 'U', username: 'u', role, locale, timeZone: 'UTC', region: 'fr-FR', emailVerifiedAt: 1, totpEnabledAt: 1 });
  const url = new URL('http://x/staff/tickets/1001?kbq=a');

  test('S1: signed out → the sign-in page with the way back; customers and editors → 403; agents and admins in, in their own language', () => {
    expect(consoleGate(null, 'nl', url)).toEqual({ ok: false, status: 303, location: `/nl/login?next=${encodeURIComponent('/staff/tickets/1001?kbq=a')}` });
    expect(consoleGate(user('customer'), 'en', url)).toEqual({ ok: false, status: 403, lang: 'fr', adminOnly: false });
    expect(consoleGate(user('editor'), 'en', url, { admin: true })).toEqual({ ok: false, status: 403, lang: 'fr', adminOnly: false });
    expect(consoleGate(user('agent'), 'en', url)).toMatchObject({ ok: true, lang: 'fr' });
    expect(consoleGate(user('admin', 'xx'), 'nl', url)).toMatchObject({ ok: true, lang: 'nl' });
  });

  test('S5: the admin pages are for admins only', () => {
    expect(consoleGate(user('agent'), 'en', url, { admin: true })).toEqual({ ok: false, status: 403, lang: 'fr', adminOnly: true });
    expect(consoleGate(user('admin'), 'en', url, { admin: true })).toMatchObject({ ok: true });
  });
});
