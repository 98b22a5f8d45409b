/**
 * The evaluator's rules, free of I/O: the five metrics, the excellence threshold, the word limits,
 * the validation of the model's answer and the shape of an evaluation (docs/playground.md,
 * "AI evaluator"). The server, not the model, decides whether a prompt is excellent.
 */

export const METRICS = ['relevance', 'clarity', 'depth', 'creativity', 'robustness'] as const;
export type Metric = (typeof METRICS)[number];
export type Scores = Record<Metric, number>;

/** What each metric means, as the evaluator is told and the console labels it. */
export const METRIC_LABELS: Record<Metric, string> = {
  relevance: 'Relevance & Fidelity',
  clarity: 'Clarity & Structure',
  depth: 'Depth & Insight',
  creativity: 'Creativity & Originality',
  robustness: 'Adaptability Across Versions',
};

/** Excellent: overall at least 4.5 and no metric below 4 (4.5 with one 3.9 is not excellent). */
export const EXCELLENCE = { overall: 4.5, metric: 4 } as const;

/**
 * Word limits. `promptWords`/`outputWords` cap what is sent to the evaluator (longer → 422 or 400,
 * nothing is called); the others cap the answer (longer → 502 evaluator_answer_invalid, nothing
 * stored), and the evaluator is told them. `answerTokens` is the output token cap of the call,
 * room for the reasoning and the answer.
 */
export const WORD_LIMITS = {
  promptWords: 6000,
  outputWords: 6000,
  strength: 40,
  doesWell: 120,
  overview: 150,
  suggestionText: 60,
  suggestionExample: 150,
  ambiguity: 50,
  answerWords: 1200,
  answerTokens: 4000,
} as const;

/** How many items each list of the answer holds. */
export const COUNTS = {
  strengths: { min: 1, max: 5 },
  suggestions: { min: 3, max: 5 },
  ambiguities: { min: 0, max: 5 },
} as const;

export interface Suggestion {
  text: string;
  example: string;
}

/** The model's answer once validated; `reasoning` is its internal thinking, never stored or shown. */
export interface EvaluatorAnswer {
  scores: Scores;
  overall: number;
  strengths: string[];
  doesWell: string;
  overview: string;
  suggestions: Suggestion[];
  ambiguities: string[];
}

/** An evaluation as the server shapes it: strengths when excellent, suggestions otherwise. */
export interface ShapedEvaluation {
  scores: Scores;
  overall: number;
  excellent: boolean;
  strengths?: string[];
  doesWell?: string;
  overview?: string;
  suggestions?: Suggestion[];
  ambiguities?: string[];
}

/** Words as people count them: runs of non-space characters. */
export function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

/** Scores keep two decimals (what the database stores), so the threshold sees the stored values. */
const round2 = (n: number) => Math.round(n * 100) / 100;

export function isExcellent(scores: Scores, overall: number): boolean {
  return overall >= EXCELLENCE.overall && METRICS.every((m) => scores[m] >= EXCELLENCE.metric);
}

/** Excellent → strengths and what it does well, no suggestions; else overview, suggestions, ambiguities. */
export function shapeEvaluation(answer: EvaluatorAnswer): ShapedEvaluation {
  const excellent = isExcellent(answer.scores, answer.overall);
  const base = { scores: answer.scores, overall: answer.overall, excellent };
  if (excellent) return { ...base, strengths: answer.strengths, doesWell: answer.doesWell };
  return {
    ...base,
    overview: answer.overview,
    suggestions: answer.suggestions,
    ambiguities: answer.ambiguities,
  };
}

export type AnswerCheck = { ok: true; answer: EvaluatorAnswer } | { ok: false; reason: string };

/**
 * Validates the model's structured answer: scores and overall numbers in 1–5, the lists' sizes,
 * non-empty texts within their word limits, the whole answer within `answerWords`. The part the
 * shape will not show (strengths of a prompt that is not excellent) is still checked, so what is
 * valid never depends on the threshold. Unknown members are ignored.
 */
export function checkEvaluatorAnswer(raw: unknown): AnswerCheck {
  const fail = (reason: string): AnswerCheck => ({ ok: false, reason });
  if (!isRecord(raw)) return fail('the answer is not a JSON object');
  if (!isRecord(raw.scores)) return fail('scores is missing');
  const scores = {} as Scores;
  for (const m of METRICS) {
    const v = raw.scores[m];
    if (!isScore(v)) return fail(`scores.${m} must be a number from 1 to 5`);
    scores[m] = round2(v);
  }
  if (!isScore(raw.overall)) return fail('overall must be a number from 1 to 5');

  const text = (value: unknown, field: string, maxWords: number): string | AnswerCheck => {
    if (typeof value !== 'string' || !value.trim()) return fail(`${field} must be a non-empty string`);
    if (countWords(value) > maxWords) return fail(`${field} is longer than ${maxWords} words`);
    return value.trim();
  };
  const list = <T>(
    value: unknown,
    field: keyof typeof COUNTS,
    item: (v: unknown, at: string) => T | AnswerCheck,
  ): T[] | AnswerCheck => {
    if (!Array.isArray(value)) return fail(`${field} must be a list`);
    const { min, max } = COUNTS[field];
    if (value.length < min || value.length > max)
      return fail(`${field} must hold ${min} to ${max} items, not ${value.length}`);
    const out: T[] = [];
    for (const [i, v] of value.entries()) {
      const r = item(v, `${field}[${i}]`);
      if (isCheck(r)) return r;
      out.push(r);
    }
    return out;
  };

  const strengths = list(raw.strengths, 'strengths', (v, at) => text(v, at, WORD_LIMITS.strength));
  if (isCheck(strengths)) return strengths;
  const doesWell = text(raw.doesWell, 'doesWell', WORD_LIMITS.doesWell);
  if (isCheck(doesWell)) return doesWell;
  const overview = text(raw.overview, 'overview', WORD_LIMITS.overview);
  if (isCheck(overview)) return overview;
  const suggestions = list(raw.suggestions, 'suggestions', (v, at): Suggestion | AnswerCheck => {
    if (!isRecord(v)) return fail(`${at} must be an object with text and example`);
    const t = text(v.text, `${at}.text`, WORD_LIMITS.suggestionText);
    if (isCheck(t)) return t;
    const e = text(v.example, `${at}.example`, WORD_LIMITS.suggestionExample);
    if (isCheck(e)) return e;
    return { text: t, example: e };
  });
  if (isCheck(suggestions)) return suggestions;
  const ambiguities = list(raw.ambiguities, 'ambiguities', (v, at) => text(v, at, WORD_LIMITS.ambiguity));
  if (isCheck(ambiguities)) return ambiguities;

  const words =
    strengths.reduce((n, s) => n + countWords(s), 0) +
    countWords(doesWell) +
    countWords(overview) +
    suggestions.reduce((n, s) => n + countWords(s.text) + countWords(s.example), 0) +
    ambiguities.reduce((n, s) => n + countWords(s), 0);
  if (words > WORD_LIMITS.answerWords)
    return fail(`the answer has ${words} words, more than ${WORD_LIMITS.answerWords}`);

  return {
    ok: true,
    answer: {
      scores,
      overall: round2(raw.overall),
      strengths,
      doesWell,
      overview,
      suggestions,
      ambiguities,
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 5;
const isCheck = (v: unknown): v is AnswerCheck =>
  isRecord(v) && typeof v.ok === 'boolean' && (v.ok === false ? typeof v.reason === 'string' : 'answer' in v);
