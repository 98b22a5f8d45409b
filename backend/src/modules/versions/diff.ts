import { diffLines, diffWordsWithSpace } from 'diff';

export type HunkOp = 'equal' | 'insert' | 'delete';
export interface Hunk {
  op: HunkOp;
  text: string;
}

/** Content longer than this (in characters or lines, either side) is compared line by line. */
export const LONG_CONTENT_CHARS = 2000;
export const LONG_CONTENT_LINES = 20;

const toHunks = (changes: Array<{ value: string; added: boolean; removed: boolean }>): Hunk[] => {
  const hunks: Hunk[] = [];
  for (const c of changes) {
    const op: HunkOp = c.added ? 'insert' : c.removed ? 'delete' : 'equal';
    const last = hunks[hunks.length - 1];
    if (last && last.op === op) last.text += c.value;
    else if (c.value) hunks.push({ op, text: c.value });
  }
  return hunks;
};

/**
 * Word-level hunks (prose: title, description, short content). Whitespace is its own token, so
 * the equal+delete hunks rebuild the old text and equal+insert the new one exactly (plain
 * diffWords folds whitespace into neighbouring tokens and takes it from one side only).
 */
export const wordDiff = (from: string, to: string): Hunk[] => toHunks(diffWordsWithSpace(from, to));

/** Line-level hunks (long content, JSON). */
export const lineDiff = (from: string, to: string): Hunk[] => toHunks(diffLines(from, to));

const isLong = (s: string) => s.length > LONG_CONTENT_CHARS || s.split('\n').length > LONG_CONTENT_LINES;

/** Content: word level while short, line level once either side is long. */
export const contentDiff = (from: string, to: string): Hunk[] =>
  isLong(from) || isLong(to) ? lineDiff(from, to) : wordDiff(from, to);

/** JSON with object keys sorted at every level, one value per line: diffs show real changes only. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

export const jsonDiff = (from: unknown, to: unknown): Hunk[] => lineDiff(stableJson(from), stableJson(to));
