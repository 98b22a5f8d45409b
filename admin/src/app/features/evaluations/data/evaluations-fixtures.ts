import type { Evaluation } from './evaluations.api';

const scores = (n: number) => ({ relevance: n, clarity: n, depth: n, creativity: n, robustness: n });

/** An evaluation as the API answers it; excellent ones carry strengths, the others suggestions. */
export function evaluation(id: string, over: Partial<Evaluation> = {}): Evaluation {
  const excellent = over.excellent ?? false;
  return {
    id,
    promptId: 'p1',
    version: 2,
    runId: null,
    scores: excellent ? scores(4.8) : { ...scores(4.5), creativity: 3.9 },
    overall: excellent ? 4.7 : 4.5,
    excellent,
    ...(excellent
      ? { strengths: ['Names the audience'], doesWell: 'It names the audience and the format.' }
      : {
          overview: 'Clear, but the tone is open.',
          suggestions: [
            { text: 'Name the tone', example: 'Write in a warm, formal tone.' },
            { text: 'Give a length', example: 'At most 120 words.' },
            { text: 'Show an example', example: 'Dear Ann, …' },
          ],
          ambiguities: ['"reply" could be e-mail or chat'],
        }),
    evaluatorModel: 'gpt-4.1-mini',
    usage: { inputTokens: 900, outputTokens: 400 },
    costUsd: 0.001,
    createdBy: 'u1',
    createdAt: '2026-12-01T10:00:00.000Z',
    ...over,
  };
}
