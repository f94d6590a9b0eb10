// K6: "Was this helpful?" — one vote per browser (voter id) per entry, counted per entry and language.
import { randomBytes } from 'node:crypto';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Locale } from '../../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { getKb } from './snapshot.ts';

export type FeedbackOutcome = 'recorded' | 'duplicate' | 'unknown-entry';

export const VOTER_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function newVoterId(): string {
  return encodeBase64urlNoPadding(randomBytes(16));
}

export async function recordFeedback(
  db: Db,
  vote: { slug: string; lang: Locale; helpful: boolean; voter: string },
): Promise<FeedbackOutcome> {
  const kb = await getKb(db);
  const entry = kb.entry(vote.slug);
  if (!entry || !kb.localizeEntry(entry, vote.lang)) return 'unknown-entry';
  // One atomic batch: the vote (ignored if this browser already voted) and the recount.
  const [inserted] = await db.$client.batch(
    [
      {
        sql: 'INSERT INTO kb_feedback_votes (entry_id, voter, lang, helpful) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        args: [entry.id, vote.voter, vote.lang, vote.helpful ? 1 : 0],
      },
      {
        sql: `INSERT INTO kb_feedback_counts (entry_id, lang, yes, no)
              SELECT ?1, ?2, coalesce(sum(helpful), 0), coalesce(sum(1 - helpful), 0)
              FROM kb_feedback_votes WHERE entry_id = ?1 AND lang = ?2 GROUP BY entry_id, lang
              ON CONFLICT (entry_id, lang) DO UPDATE SET yes = excluded.yes, no = excluded.no`,
        args: [entry.id, vote.lang],
      },
    ],
    'write',
  );
  return inserted && inserted.rowsAffected === 1 ? 'recorded' : 'duplicate';
}

export async function feedbackCounts(db: Db, slug: string): Promise<Record<string, { yes: number; no: number }>> {
  const rows = await db.$client.execute({
    sql: `SELECT c.lang, c.yes, c.no FROM kb_feedback_counts c JOIN kb_entries e ON e.id = c.entry_id WHERE e.slug = ?`,
    args: [slug],
  });
  return Object.fromEntries(rows.rows.map((r) => [String(r.lang), { yes: Number(r.yes), no: Number(r.no) }]));
}
