// Generated knowledge-base text for the benchmarks (`bench:search`, `bench:publish`): a language's
// vocabulary taken from its starter entries, and seeded 5,000-entry corpora made from it — the
// worst case (only the starter words) and the realistic one (Zipf frequencies over ~15,000 words).
import { t } from '../src/i18n/index.ts';
import type { Locale } from '../src/i18n/locales.ts';
import { processTerm, type SearchDoc } from '../src/lib/search.ts';
import { excerpt } from '../src/server/kb/markdown.ts';
import { tagIds, type TagId } from '../src/server/kb/tags.ts';
import { pick, randInt } from './util.ts';

const WORD = /[\p{L}\p{N}]+/gu;

export interface Vocabulary {
  /** every word occurrence (lowercased), stop words included: natural text for generation */
  tokens: string[];
  /** occurrences of words worth searching for (not stop words, ≥ 3 letters): query words, weighted by frequency */
  queryWords: string[];
  distinct: number;
}

export function vocabularyOf(docs: SearchDoc[]): Vocabulary {
  const tokens: string[] = [];
  const queryWords: string[] = [];
  for (const d of docs) {
    for (const text of [d.q, d.a, d.t]) {
      for (const m of text.matchAll(WORD)) {
        const w = m[0].toLowerCase();
        tokens.push(w);
        if (w.length >= 3 && !/^\d+$/.test(w) && processTerm(w) !== null) queryWords.push(w);
      }
    }
  }
  return { tokens, queryWords, distinct: new Set(queryWords).size };
}

function sentence(rand: () => number, tokens: string[], min: number, max: number): string[] {
  return Array.from({ length: randInt(rand, min, max) }, () => pick(rand, tokens));
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const tagLabelsOf = (lang: Locale) => {
  const tr = t(lang);
  return tagIds.map((id) => tr(`tags.${id}`, { defaultValue: id }));
};

/** A synthetic entry made of the language's starter words (same word frequencies). */
export function generateDocs(rand: () => number, lang: Locale, vocab: Vocabulary, areas: string[], count: number): SearchDoc[] {
  const tagLabels = tagLabelsOf(lang);
  const docs: SearchDoc[] = [];
  for (let i = 0; i < count; i++) {
    const q = `${capitalize(sentence(rand, vocab.tokens, 8, 12).join(' '))}?`;
    const words = sentence(rand, vocab.tokens, 40, 90);
    // sentences of 6–15 words, like a real answer
    const parts: string[] = [];
    for (let at = 0; at < words.length; ) {
      const len = randInt(rand, 6, 15);
      parts.push(`${capitalize(words.slice(at, at + len).join(' '))}.`);
      at += len;
    }
    const a = parts.join(' ');
    const tags = new Set<string>();
    const tagCount = randInt(rand, 1, 3);
    for (let k = 0; k < 20 && tags.size < tagCount; k++) tags.add(pick(rand, tagLabels));
    docs.push({ id: `generated-${i}`, s: pick(rand, areas), q, a, t: [...tags].join(' '), x: excerpt(a), l: '' });
  }
  return docs;
}

/**
 * A 5,000-entry corpus with a realistic vocabulary: the language's starter words plus coined
 * words built from their pieces, ~15,000 in all (Heaps' law for ~375,000 words of text), drawn
 * with Zipf frequencies (rank^-1) so a few words are everywhere and most are rare, as in a real
 * help center. Stop words are mixed in as they occur in the starter text.
 */
export const ZIPF_VOCABULARY = 15_000;
function zipfSampler(rand: () => number, vocab: Vocabulary): { word: () => string; stop: () => string } {
  const base = [...new Set(vocab.queryWords)];
  for (let i = base.length - 1; i > 0; i--) {
    const j = randInt(rand, 0, i);
    [base[i], base[j]] = [base[j]!, base[i]!];
  }
  const words = [...base];
  const seen = new Set(words);
  while (words.length < ZIPF_VOCABULARY) {
    const a = pick(rand, base);
    const b = pick(rand, base);
    const w = a.slice(0, randInt(rand, 2, Math.min(6, a.length))) + b.slice(b.length - randInt(rand, 2, Math.min(6, b.length)));
    if (w.length >= 4 && !seen.has(w) && processTerm(w) !== null) {
      seen.add(w);
      words.push(w);
    }
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative.push((total += 1 / (r + 1)));
  const stops = vocab.tokens.filter((t) => processTerm(t) === null);
  return {
    word: () => {
      const x = rand() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return words[lo]!;
    },
    stop: () => pick(rand, stops),
  };
}

/** One generated entry in one language: question, answer (plain sentences), tag ids and area slug. */
export interface GeneratedText {
  question: string;
  answer: string;
  tags: TagId[];
  area: string;
}

/** The realistic corpus as entry texts (what `bench:publish` writes into the database). */
export function generateRealisticTexts(rand: () => number, vocab: Vocabulary, areas: string[], count: number): { texts: GeneratedText[]; queryVocab: Vocabulary } {
  const zipf = zipfSampler(rand, vocab);
  const text = (min: number, max: number) =>
    Array.from({ length: randInt(rand, min, max) }, () => (rand() < 0.45 ? zipf.stop() : zipf.word()));
  const tokens: string[] = [];
  for (let i = 0; i < 40_000; i++) tokens.push(zipf.word());
  const texts: GeneratedText[] = [];
  for (let i = 0; i < count; i++) {
    const question = `${capitalize(text(8, 12).join(' '))}?`;
    const answer = `${capitalize(text(40, 90).join(' '))}.`;
    const tags = new Set<TagId>();
    const tagCount = randInt(rand, 1, 3);
    for (let k = 0; k < 20 && tags.size < tagCount; k++) tags.add(pick(rand, tagIds));
    texts.push({ question, answer, tags: [...tags], area: pick(rand, areas) });
  }
  // Queries are drawn with the corpus's own word frequencies.
  const queryWords = tokens.filter((w) => w.length >= 3);
  return { texts, queryVocab: { tokens, queryWords, distinct: new Set(queryWords).size } };
}

/** The realistic corpus as search documents (what `bench:search` indexes). */
export function generateRealisticDocs(rand: () => number, lang: Locale, vocab: Vocabulary, areas: string[], count: number): { docs: SearchDoc[]; queryVocab: Vocabulary } {
  const { texts, queryVocab } = generateRealisticTexts(rand, vocab, areas, count);
  const tagLabels = tagLabelsOf(lang);
  const labels = new Map(tagIds.map((id, i) => [id, tagLabels[i]!]));
  const docs = texts.map((e, i): SearchDoc => ({ id: `realistic-${i}`, s: e.area, q: e.question, a: e.answer, t: e.tags.map((id) => labels.get(id)!).join(' '), x: excerpt(e.answer), l: '' }));
  return { docs, queryVocab };
}
