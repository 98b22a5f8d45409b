import { diffStats, toSideBySide } from './diff-rows';

function text(side: { segments: { text: string; op: string }[] }): string {
  return side.segments.map((s) => (s.op === 'equal' ? s.text : `[${s.op}:${s.text}]`)).join('');
}

describe('toSideBySide', () => {
  it('puts a word-level change on one row with the deletion left and the insertion right', () => {
    const rows = toSideBySide([
      { op: 'equal', text: 'Summarize the ' },
      { op: 'delete', text: 'text' },
      { op: 'insert', text: 'article' },
      { op: 'equal', text: ' briefly' },
    ]);
    expect(rows).toHaveLength(1);
    expect(text(rows[0].left)).toBe('Summarize the [delete:text] briefly');
    expect(text(rows[0].right)).toBe('Summarize the [insert:article] briefly');
    expect(rows[0].changed).toBe(true);
  });

  it('aligns line-level hunks with filler lines on the shorter side', () => {
    const rows = toSideBySide([
      { op: 'equal', text: 'one\n' },
      { op: 'delete', text: 'two\n' },
      { op: 'insert', text: 'deux\nzwei\n' },
      { op: 'equal', text: 'three\n' },
    ]);
    expect(rows.map((r) => [r.left.number, text(r.left), r.right.number, text(r.right)])).toEqual([
      [1, 'one', 1, 'one'],
      [2, '[delete:two]', 2, '[insert:deux]'],
      [null, '', 3, '[insert:zwei]'],
      [3, 'three', 4, 'three'],
    ]);
    expect(rows.map((r) => r.changed)).toEqual([false, true, true, false]);
  });

  it('pads after the last line when the texts end differently (no trailing newline before)', () => {
    const rows = toSideBySide([
      { op: 'equal', text: 'one\n' },
      { op: 'delete', text: 'two' },
      { op: 'insert', text: 'two\nthree' },
    ]);
    expect(rows.map((r) => [r.left.number, text(r.left), r.right.number, text(r.right)])).toEqual([
      [1, 'one', 1, 'one'],
      [2, '[delete:two]', 2, '[insert:two]'],
      [null, '', 3, '[insert:three]'],
    ]);
  });

  it('handles a pure deletion at the end', () => {
    const rows = toSideBySide([
      { op: 'equal', text: 'keep\n' },
      { op: 'delete', text: 'drop' },
    ]);
    expect(rows.map((r) => [text(r.left), text(r.right)])).toEqual([
      ['keep', 'keep'],
      ['[delete:drop]', ''],
    ]);
    expect(rows[1].right.number).toBe(2);
  });

  it('returns one empty unchanged row for no hunks', () => {
    expect(toSideBySide([])).toEqual([
      { left: { number: 1, segments: [] }, right: { number: 1, segments: [] }, changed: false },
    ]);
  });
});

describe('diffStats', () => {
  it('counts inserted and deleted characters', () => {
    expect(
      diffStats([
        { op: 'equal', text: 'abc' },
        { op: 'insert', text: 'xy' },
        { op: 'delete', text: 'z' },
      ]),
    ).toEqual({ inserted: 2, deleted: 1 });
  });
});
