import { contentDiff, jsonDiff, lineDiff, LONG_CONTENT_LINES, stableJson, wordDiff } from './diff';

const apply = (hunks: Array<{ op: string; text: string }>, side: 'from' | 'to') =>
  hunks
    .filter((h) => h.op === 'equal' || h.op === (side === 'from' ? 'delete' : 'insert'))
    .map((h) => h.text)
    .join('');

describe('prompt diffs', () => {
  it('diffs prose word by word and the hunks rebuild both sides', () => {
    const hunks = wordDiff('Summarize the text briefly', 'Summarize the article briefly');
    expect(hunks).toEqual([
      { op: 'equal', text: 'Summarize the ' },
      { op: 'delete', text: 'text' },
      { op: 'insert', text: 'article' },
      { op: 'equal', text: ' briefly' },
    ]);
    expect(apply(hunks, 'from')).toBe('Summarize the text briefly');
    expect(apply(hunks, 'to')).toBe('Summarize the article briefly');
  });

  it('rebuilds both sides exactly, whitespace included', () => {
    const pairs: Array<[string, string]> = [
      ['Differ', 'Differ v3'],
      ['a  b\n c', 'a b\n\n c d'],
      ['Hello {{name}}, welcome.', 'Hello {{name}}, welcome aboard.'],
      ['', 'new'],
    ];
    for (const [from, to] of pairs) {
      const hunks = wordDiff(from, to);
      expect(apply(hunks, 'from')).toBe(from);
      expect(apply(hunks, 'to')).toBe(to);
    }
    expect(wordDiff('Differ', 'Differ v3')).toEqual([
      { op: 'equal', text: 'Differ' },
      { op: 'insert', text: ' v3' },
    ]);
  });

  it('switches to lines for long content', () => {
    const long = Array.from({ length: LONG_CONTENT_LINES + 5 }, (_, i) => `line ${i}`).join('\n');
    const changed = long.replace('line 3', 'line three');
    const hunks = contentDiff(long, changed);
    expect(hunks.find((h) => h.op === 'delete')).toEqual({ op: 'delete', text: 'line 3\n' });
    expect(hunks.find((h) => h.op === 'insert')).toEqual({ op: 'insert', text: 'line three\n' });
    expect(apply(hunks, 'to')).toBe(changed);
    expect(contentDiff('a b', 'a c')).toEqual(wordDiff('a b', 'a c'));
  });

  it('compares JSON as stable lines, so key order does not matter', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(jsonDiff({ model: 'x', temperature: 1 }, { temperature: 1, model: 'x' })).toEqual([
      { op: 'equal', text: stableJson({ model: 'x', temperature: 1 }) },
    ]);
    const hunks = jsonDiff({ temperature: 1 }, { temperature: 0.5 });
    expect(hunks.filter((h) => h.op !== 'equal').map((h) => [h.op, h.text.trim()])).toEqual([
      ['delete', '"temperature": 1'],
      ['insert', '"temperature": 0.5'],
    ]);
    expect(lineDiff('', '')).toEqual([]);
  });
});
