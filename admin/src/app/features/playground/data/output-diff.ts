import type { DiffHunk } from '../../library/data/library.types';

/** Above this many tokens per side the diff compares lines instead of words (the table is n×m). */
const MAX_TOKENS = 4000;

const words = (text: string): string[] => text.match(/\s+|[^\s]+/g) ?? [];
const lines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * A word diff of two model outputs as the library's diff hunks (`equal`, `delete` from `a`,
 * `insert` from `b`), so `pv-side-by-side-diff` renders it like a version diff. Words and runs of
 * whitespace are the units (longest common subsequence); long outputs fall back to lines.
 */
export function diffOutputs(a: string, b: string): DiffHunk[] {
  let left = words(a);
  let right = words(b);
  if (left.length > MAX_TOKENS || right.length > MAX_TOKENS) {
    left = lines(a);
    right = lines(b);
  }
  // Common prefix and suffix need no table.
  let start = 0;
  while (start < left.length && start < right.length && left[start] === right[start]) start++;
  let end = 0;
  while (
    end < left.length - start &&
    end < right.length - start &&
    left[left.length - 1 - end] === right[right.length - 1 - end]
  )
    end++;
  const l = left.slice(start, left.length - end);
  const r = right.slice(start, right.length - end);

  // lengths[i][j]: the longest common subsequence of l[i..] and r[j..].
  const lengths = Array.from({ length: l.length + 1 }, () => new Uint32Array(r.length + 1));
  for (let i = l.length - 1; i >= 0; i--) {
    for (let j = r.length - 1; j >= 0; j--) {
      lengths[i][j] =
        l[i] === r[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }

  const hunks: DiffHunk[] = [];
  const add = (op: DiffHunk['op'], text: string) => {
    const last = hunks[hunks.length - 1];
    if (last?.op === op) last.text += text;
    else hunks.push({ op, text });
  };
  if (start > 0) add('equal', left.slice(0, start).join(''));
  let i = 0;
  let j = 0;
  while (i < l.length || j < r.length) {
    if (i < l.length && j < r.length && l[i] === r[j]) {
      add('equal', l[i]);
      i++;
      j++;
    } else if (j < r.length && (i === l.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      add('insert', r[j++]);
    } else {
      add('delete', l[i++]);
    }
  }
  if (end > 0) add('equal', left.slice(left.length - end).join(''));
  return hunks;
}
