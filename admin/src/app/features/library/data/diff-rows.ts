import { DiffHunk } from './library.types';

export interface DiffSegment {
  text: string;
  /** `delete` on the left side, `insert` on the right; `equal` on both. */
  op: DiffHunk['op'];
}

export interface DiffSide {
  /** Line number in that version; null for a filler line that only keeps both sides aligned. */
  number: number | null;
  segments: DiffSegment[];
}

export interface DiffRow {
  left: DiffSide;
  right: DiffSide;
  changed: boolean;
}

type Line = DiffSegment[] | null;

/**
 * Side-by-side rows from the API's hunks. Deleted text goes to the left column, inserted text
 * to the right, equal text to both; the two columns are re-aligned at every line break inside
 * equal text (the shorter side gets filler lines), so word-level hunks in prose and line-level
 * hunks in long content render the same way.
 */
export function toSideBySide(hunks: readonly DiffHunk[]): DiffRow[] {
  const left: Line[] = [[]];
  const right: Line[] = [[]];

  const push = (lines: Line[], text: string, op: DiffHunk['op']): void => {
    const parts = text.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part !== '') (lines[lines.length - 1] as DiffSegment[]).push({ text: part, op });
    });
  };

  /** Pads the shorter side before its current line so both current lines sit on one row. */
  const align = (): void => {
    const pad = (lines: Line[], count: number) => {
      const current = lines.pop() as Line;
      for (let i = 0; i < count; i++) lines.push(null);
      lines.push(current);
    };
    const diff = left.length - right.length;
    if (diff > 0) pad(right, diff);
    if (diff < 0) pad(left, -diff);
  };

  for (const hunk of hunks) {
    if (hunk.op === 'delete') push(left, hunk.text, 'delete');
    else if (hunk.op === 'insert') push(right, hunk.text, 'insert');
    else {
      const parts = hunk.text.split('\n');
      parts.forEach((part, index) => {
        if (index > 0) {
          align();
          left.push([]);
          right.push([]);
        }
        if (part !== '') {
          (left[left.length - 1] as DiffSegment[]).push({ text: part, op: 'equal' });
          (right[right.length - 1] as DiffSegment[]).push({ text: part, op: 'equal' });
        }
      });
    }
  }
  // At the end no shared line follows, so the shorter side is padded after its last line.
  while (left.length < right.length) left.push(null);
  while (right.length < left.length) right.push(null);

  // A trailing newline leaves an empty last line on both sides; it is not a line of the text.
  const lastLeft = left[left.length - 1];
  const lastRight = right[right.length - 1];
  if (left.length > 1 && lastLeft?.length === 0 && lastRight?.length === 0) {
    left.pop();
    right.pop();
  }

  let leftNumber = 0;
  let rightNumber = 0;
  return left.map((l, i) => {
    const r = right[i];
    const leftSide: DiffSide = { number: l ? ++leftNumber : null, segments: l ?? [] };
    const rightSide: DiffSide = { number: r ? ++rightNumber : null, segments: r ?? [] };
    const changed =
      l === null || r === null || l.some((s) => s.op !== 'equal') || r.some((s) => s.op !== 'equal');
    return { left: leftSide, right: rightSide, changed };
  });
}

/** Counts of inserted and deleted characters, for the field summary chips. */
export function diffStats(hunks: readonly DiffHunk[]): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const hunk of hunks) {
    if (hunk.op === 'insert') inserted += hunk.text.length;
    if (hunk.op === 'delete') deleted += hunk.text.length;
  }
  return { inserted, deleted };
}
