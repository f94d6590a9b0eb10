// E1: what changed between two versions of a translation — the question and the answer line by
// line, the tags as added and removed. Plain data; the page renders it with <ins>/<del>.
import { diffArrays, diffWordsWithSpace } from 'diff';
import type { EntryText } from './validate.ts';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}
export interface TextDiff {
  question: DiffPart[];
  answer: DiffPart[];
  tagsAdded: string[];
  tagsRemoved: string[];
  changed: boolean;
}

const kindOf = (p: { added?: boolean; removed?: boolean }): DiffPart['kind'] => (p.added ? 'added' : p.removed ? 'removed' : 'same');

function words(a: string, b: string): DiffPart[] {
  return diffWordsWithSpace(a, b).map((p) => ({ kind: kindOf(p), text: p.value }));
}

/** Line-level diff of the answer; changed lines next to each other are shown word by word. */
function lines(a: string, b: string): DiffPart[] {
  const parts = diffArrays(a.split('\n'), b.split('\n'));
  const out: DiffPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (p.removed && next?.added) {
      out.push(...words(p.value.join('\n'), next.value.join('\n')), { kind: 'same', text: '\n' });
      i++;
      continue;
    }
    out.push({ kind: kindOf(p), text: p.value.map((l) => `${l}\n`).join('') });
  }
  // merge neighbours of the same kind
  return out.reduce<DiffPart[]>((acc, part) => {
    const last = acc.at(-1);
    if (last && last.kind === part.kind) last.text += part.text;
    else if (part.text) acc.push({ ...part });
    return acc;
  }, []);
}

/** From `before` (null: nothing published yet) to `after`. */
export function diffTexts(before: EntryText | null, after: EntryText): TextDiff {
  const b = before ?? { question: '', answerMd: '', tags: [] };
  const tagsAdded = after.tags.filter((t) => !b.tags.includes(t));
  const tagsRemoved = b.tags.filter((t) => !after.tags.includes(t));
  const question = words(b.question, after.question);
  const answer = lines(b.answerMd, after.answerMd);
  const changed = tagsAdded.length > 0 || tagsRemoved.length > 0 || [...question, ...answer].some((p) => p.kind !== 'same');
  return { question, answer, tagsAdded, tagsRemoved, changed };
}
