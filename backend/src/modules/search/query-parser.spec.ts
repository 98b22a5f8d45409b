import { editDistance, maxEdits, parseQuery, positiveParts, QueryNode } from './query-parser';

const t = (word: string, prefix = false): QueryNode => ({ kind: 'term', word, prefix });

describe('parseQuery', () => {
  it('ANDs plain words and makes the last one a prefix while typing', () => {
    expect(parseQuery('Summarize the Email')).toEqual({
      kind: 'and',
      children: [t('summarize'), t('the'), t('email', true)],
    });
    expect(parseQuery('summarize ')).toEqual(t('summarize'));
    expect(parseQuery('   ')).toBeNull();
    expect(parseQuery(undefined)).toBeNull();
  });

  it('reads OR, AND, NOT, -word, phrases and parentheses with OR binding loosest', () => {
    expect(parseQuery('a OR b c')).toEqual({
      kind: 'or',
      children: [t('a'), { kind: 'and', children: [t('b'), t('c', true)] }],
    });
    expect(parseQuery('(tone OR voice) AND -draft')).toEqual({
      kind: 'and',
      children: [
        { kind: 'or', children: [t('tone'), t('voice')] },
        { kind: 'not', child: t('draft') },
      ],
    });
    expect(parseQuery('"exact Phrase here" NOT spam')).toEqual({
      kind: 'and',
      children: [
        { kind: 'phrase', words: ['exact', 'phrase', 'here'] },
        { kind: 'not', child: t('spam') },
      ],
    });
  });

  it('never marks a negated or quoted last word as a prefix', () => {
    expect(parseQuery('email -spam')).toEqual({
      kind: 'and',
      children: [t('email'), { kind: 'not', child: t('spam') }],
    });
    expect(parseQuery('"cold email"')).toEqual({ kind: 'phrase', words: ['cold', 'email'] });
  });

  it('treats lower-case operators as words and splits words on punctuation into phrases', () => {
    expect(parseQuery('this or that!')).toEqual({ kind: 'and', children: [t('this'), t('or'), t('that')] });
    expect(parseQuery('e-mail x')).toEqual({
      kind: 'and',
      children: [{ kind: 'phrase', words: ['e', 'mail'] }, t('x', true)],
    });
  });

  it.each([
    ['"unbalanced quote', { kind: 'and', children: [t('unbalanced'), t('quote', true)] }],
    ['NOT', t('not')],
    ['foo NOT', { kind: 'and', children: [t('foo'), t('not')] }],
    ['OR foo', { kind: 'and', children: [t('or'), t('foo', true)] }],
    ['(open group', { kind: 'and', children: [t('open'), t('group', true)] }],
    ['close) group', { kind: 'and', children: [t('close'), t('group', true)] }],
    ['a AND AND b', { kind: 'and', children: [t('a'), t('and'), t('and'), t('b', true)] }],
    ['()', null],
    ['!!!', null],
  ])('degrades %j to plain words', (input, expected) => {
    expect(parseQuery(input)).toEqual(expected);
  });

  it('keeps only positive parts for highlighting', () => {
    expect(positiveParts(parseQuery('a -b (c OR NOT d) "e f"'))).toEqual([
      t('a'),
      t('c'),
      { kind: 'phrase', words: ['e', 'f'] },
    ]);
  });

  it('caps very long queries at 32 words', () => {
    const q = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const node = parseQuery(q) as Extract<QueryNode, { kind: 'and' }>;
    expect(node.children).toHaveLength(32);
  });
});

describe('typo tolerance rules', () => {
  it('allows no edit below 4 letters, one up to 7, two beyond', () => {
    expect([maxEdits('cat'), maxEdits('sumr'), maxEdits('marketng'), maxEdits('summarize')]).toEqual([
      0, 1, 2, 2,
    ]);
    expect(maxEdits('seven77')).toBe(1);
  });

  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit', () => {
    expect(editDistance('sumarize', 'summarize')).toBe(1);
    expect(editDistance('marketng', 'marketing')).toBe(1);
    expect(editDistance('recieve', 'receive')).toBe(1);
    expect(editDistance('cast', 'cost')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});
