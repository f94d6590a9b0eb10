// K5: one definition of how the knowledge base is searched, shared by the server
// (/{lang}/search, index JSON) and the browser island, so both give the same results.
import type { Options, SearchOptions } from 'minisearch';

/** A searchable document: short field names keep the index small. */
export interface SearchDoc {
  /** entry slug */
  id: string;
  /** area slug */
  s: string;
  /** question (shown) */
  q: string;
  /** question as indexed (set by buildIndex; see pruneCommonTerms) */
  qi?: string;
  /** answer as plain text */
  a: string;
  /** tag labels in the page's language */
  t: string;
  /** excerpt of the answer shown under the question */
  x: string;
  /** language of the text when it is a fallback (K5), else empty */
  l: string;
}

export interface SearchHit {
  id: string;
  s: string;
  q: string;
  x: string;
  l: string;
  score: number;
  terms: string[];
}

export const MAX_QUERY_LENGTH = 200;
export const MIN_QUERY_LENGTH = 2;

// Words too common to help, in nl, en and fr together (one list keeps options identical everywhere).
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does for from how i if in is it me my of on or the to what when where which who why will with you your ' +
    'aan als bij dat de den der die dit een en er het hoe ik in is je jij jouw kan kun kunnen me met mijn naar niet of om op te van voor wat wanneer waar wie ze zijn ' +
    'au aux avec ce ces comment dans de des du elle en est et il je la le les leur ma mais me mes mon ne nous on ou par pas pour que qui sa se ses son sur ta te tes ton un une vos votre vous'
  ).split(' '),
);

/** Lowercase, strip diacritics ("sécurité" → "securite"), drop stop words and 1-letter tokens. */
export function processTerm(term: string): string | null {
  const folded = term
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (folded.length < 2 && !/\d/.test(folded)) return null;
  if (STOP_WORDS.has(folded)) return null;
  return folded;
}

export const searchQueryOptions: SearchOptions = {
  boost: { qi: 3, t: 2 },
  // As-you-type: only the word being typed (the last) is a prefix; finished words match whole.
  prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
  // Typo tolerance where it helps: one edit from 5 letters (short words would match everything).
  fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
  maxFuzzy: 1,
  combineWith: 'OR',
};

/** Build and load with exactly these options (MiniSearch does not serialize functions). */
export const miniSearchOptions: Options<SearchDoc> = {
  fields: ['qi', 'a', 't'],
  storeFields: ['s', 'q', 'x', 'l'],
  processTerm,
  searchOptions: searchQueryOptions,
};

const TOKEN_SEPARATOR = /[\n\r\p{Z}\p{P}]+/u; // MiniSearch's own tokenizer

/**
 * Keeps a search fast on a large knowledge base: a word found in more than `keep` documents'
 * questions (or answers) is indexed only for the `keep` documents where it weighs most (highest
 * share of the text). Such a word barely ranks anything (BM25 IDF), yet scoring every document
 * that has it is what makes a query slow. A small knowledge base (≤ keep documents) is untouched.
 */
export function pruneCommonTerms(docs: SearchDoc[], keep = 300): SearchDoc[] {
  if (docs.length <= keep) return docs.map((d) => ({ ...d, qi: d.q }));
  const prune = (texts: string[]): string[] => {
    const tokens = texts.map((text) => text.split(TOKEN_SEPARATOR).filter(Boolean));
    const weight = new Map<string, Array<{ doc: number; share: number }>>();
    tokens.forEach((list, doc) => {
      const counts = new Map<string, number>();
      for (const token of list) {
        const term = processTerm(token);
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      for (const [term, n] of counts) {
        let postings = weight.get(term);
        if (!postings) weight.set(term, (postings = []));
        postings.push({ doc, share: n / list.length });
      }
    });
    const dropped = new Map<number, Set<string>>();
    for (const [term, postings] of weight) {
      if (postings.length <= keep) continue;
      postings.sort((a, b) => b.share - a.share || a.doc - b.doc);
      for (const { doc } of postings.slice(keep)) {
        let set = dropped.get(doc);
        if (!set) dropped.set(doc, (set = new Set()));
        set.add(term);
      }
    }
    return tokens.map((list, doc) => {
      const drop = dropped.get(doc);
      return drop ? list.filter((token) => !drop.has(processTerm(token) ?? '')).join(' ') : texts[doc]!;
    });
  };
  const questions = prune(docs.map((d) => d.q));
  const answers = prune(docs.map((d) => d.a));
  return docs.map((d, i) => ({ ...d, qi: questions[i]!, a: answers[i]! }));
}

/** Splits `text` into runs, marking the words whose search form is one of `terms`. */
export function highlight(text: string, terms: readonly string[]): Array<{ text: string; mark: boolean }> {
  const wanted = new Set(terms);
  const out: Array<{ text: string; mark: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    const processed = processTerm(word);
    if (!processed || !wanted.has(processed)) continue;
    const start = match.index ?? 0;
    if (start > last) out.push({ text: text.slice(last, start), mark: false });
    out.push({ text: word, mark: true });
    last = start + word.length;
  }
  if (last < text.length) out.push({ text: text.slice(last), mark: false });
  return out;
}

export function normalizeQuery(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
}
