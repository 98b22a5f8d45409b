import {
  checkEvaluatorAnswer,
  countWords,
  EvaluatorAnswer,
  isExcellent,
  Scores,
  shapeEvaluation,
  WORD_LIMITS,
} from './evaluation.rules';

const all = (n: number): Scores => ({ relevance: n, clarity: n, depth: n, creativity: n, robustness: n });

const answer = (over: Partial<Record<keyof EvaluatorAnswer | 'reasoning', unknown>> = {}) => ({
  reasoning: 'Relevance: the prompt states its goal. Clarity: ...',
  scores: all(4),
  overall: 4,
  strengths: ['States the audience', 'Gives the format'],
  doesWell: 'It names the audience and the output format.',
  overview: 'A solid prompt that leaves the tone open.',
  suggestions: [
    { text: 'Name the tone', example: 'Write in a warm, formal tone.' },
    { text: 'Give a length', example: 'Answer in at most 120 words.' },
    { text: 'Add an example', example: 'Example: "Dear Ann, ..."' },
  ],
  ambiguities: ['"reply" could mean e-mail or chat'],
  ...over,
});

describe('the excellence threshold', () => {
  it('is met at overall 4.5 with every metric at 4', () => {
    expect(isExcellent(all(4), 4.5)).toBe(true);
    expect(isExcellent(all(5), 5)).toBe(true);
  });

  it('is not met at 4.5 with one metric at 3.9', () => {
    expect(isExcellent({ ...all(5), creativity: 3.9 }, 4.5)).toBe(false);
    expect(isExcellent({ ...all(5), robustness: 3.99 }, 4.9)).toBe(false);
  });

  it('is not met at overall 4.49 even with every metric at 5', () => {
    expect(isExcellent(all(5), 4.49)).toBe(false);
  });

  it('applies to the scores as stored (two decimals): 3.996 rounds to 4', () => {
    const checked = checkEvaluatorAnswer(answer({ scores: { ...all(5), depth: 3.996 }, overall: 4.5 }));
    expect(checked.ok && checked.answer.scores.depth).toBe(4);
    expect(checked.ok && shapeEvaluation(checked.answer).excellent).toBe(true);
  });
});

describe('shapeEvaluation', () => {
  it('gives strengths and what the prompt does well, and no suggestions, when excellent', () => {
    const checked = checkEvaluatorAnswer(answer({ scores: all(4.8), overall: 4.7 }));
    if (!checked.ok) throw new Error(checked.reason);
    const shaped = shapeEvaluation(checked.answer);
    expect(shaped).toEqual({
      scores: all(4.8),
      overall: 4.7,
      excellent: true,
      strengths: ['States the audience', 'Gives the format'],
      doesWell: 'It names the audience and the output format.',
    });
    expect(shaped).not.toHaveProperty('suggestions');
    expect(shaped).not.toHaveProperty('overview');
  });

  it('gives an overview, the suggestions with examples and the ambiguities otherwise', () => {
    const checked = checkEvaluatorAnswer(answer({ scores: { ...all(5), clarity: 3.9 }, overall: 4.5 }));
    if (!checked.ok) throw new Error(checked.reason);
    const shaped = shapeEvaluation(checked.answer);
    expect(shaped.excellent).toBe(false);
    expect(shaped.overview).toBe('A solid prompt that leaves the tone open.');
    expect(shaped.suggestions).toHaveLength(3);
    expect(shaped.suggestions?.[0]).toEqual({
      text: 'Name the tone',
      example: 'Write in a warm, formal tone.',
    });
    expect(shaped.ambiguities).toEqual(['"reply" could mean e-mail or chat']);
    expect(shaped).not.toHaveProperty('strengths');
    expect(shaped).not.toHaveProperty('doesWell');
  });
});

describe('checkEvaluatorAnswer', () => {
  const reason = (raw: unknown) => {
    const r = checkEvaluatorAnswer(raw);
    return r.ok ? 'ok' : r.reason;
  };

  it('accepts a complete answer and drops the reasoning', () => {
    const r = checkEvaluatorAnswer(answer());
    expect(r.ok).toBe(true);
    expect(r.ok && r.answer).not.toHaveProperty('reasoning');
  });

  it('refuses scores outside 1–5, missing or not numbers', () => {
    expect(reason(answer({ scores: { ...all(4), depth: 0 } }))).toBe(
      'scores.depth must be a number from 1 to 5',
    );
    expect(reason(answer({ scores: { ...all(4), depth: 5.1 } }))).toMatch(/scores.depth/);
    expect(reason(answer({ scores: { ...all(4), clarity: '4' } }))).toMatch(/scores.clarity/);
    const { robustness: _, ...four } = all(4);
    expect(reason(answer({ scores: four }))).toMatch(/scores.robustness/);
    expect(reason(answer({ overall: 6 }))).toBe('overall must be a number from 1 to 5');
    expect(reason(answer({ overall: Number.NaN }))).toMatch(/overall/);
    expect(reason('{"scores":1}')).toBe('the answer is not a JSON object');
    expect(reason(null)).toBe('the answer is not a JSON object');
  });

  it('refuses fewer than 3 or more than 5 suggestions, and suggestions without an example', () => {
    const s = { text: 'Do this', example: 'Like this' };
    expect(reason(answer({ suggestions: [s, s] }))).toBe('suggestions must hold 3 to 5 items, not 2');
    expect(reason(answer({ suggestions: [s, s, s, s, s, s] }))).toBe(
      'suggestions must hold 3 to 5 items, not 6',
    );
    expect(reason(answer({ suggestions: [s, s, s, s, s] }))).toBe('ok');
    expect(reason(answer({ suggestions: [s, s, { text: 'Do that', example: ' ' }] }))).toBe(
      'suggestions[2].example must be a non-empty string',
    );
    expect(reason(answer({ suggestions: [s, s, 'just text'] }))).toMatch(
      /suggestions\[2\] must be an object/,
    );
  });

  it('refuses empty strengths and more than 5 ambiguities', () => {
    expect(reason(answer({ strengths: [] }))).toBe('strengths must hold 1 to 5 items, not 0');
    expect(reason(answer({ ambiguities: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toMatch(/ambiguities must hold/);
    expect(reason(answer({ ambiguities: [] }))).toBe('ok');
    expect(reason(answer({ doesWell: '' }))).toBe('doesWell must be a non-empty string');
  });

  it('enforces the word limits of each field and of the whole answer', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(reason(answer({ overview: words(WORD_LIMITS.overview) }))).toBe('ok');
    expect(reason(answer({ overview: words(WORD_LIMITS.overview + 1) }))).toBe(
      `overview is longer than ${WORD_LIMITS.overview} words`,
    );
    expect(reason(answer({ strengths: [words(WORD_LIMITS.strength + 1)] }))).toMatch(
      /strengths\[0\] is longer/,
    );
    const long = { text: words(WORD_LIMITS.suggestionText), example: words(WORD_LIMITS.suggestionExample) };
    // Every field within its own limit (5 × 210 + 150 + 120 words), the whole over the answer's.
    const full = {
      suggestions: [long, long, long, long, long],
      overview: words(WORD_LIMITS.overview),
      doesWell: words(WORD_LIMITS.doesWell),
    };
    expect(reason(answer({ ...full, doesWell: 'Short.', overview: 'Short.' }))).toBe('ok');
    expect(reason(answer(full))).toMatch(new RegExp(`more than ${WORD_LIMITS.answerWords}$`));
  });
});

describe('countWords', () => {
  it('counts runs of non-space characters', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one\ttwo\nthree  ')).toBe(3);
    expect(countWords('{{name}}, hello!')).toBe(2);
  });
});
