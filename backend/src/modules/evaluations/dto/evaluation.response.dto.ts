import { ApiProperty } from '@nestjs/swagger';

/** The five metrics, each 1–5 (two decimals at most). */
export class EvaluationScoresDto {
  /** Relevance & Fidelity. */
  relevance: number;
  /** Clarity & Structure. */
  clarity: number;
  /** Depth & Insight. */
  depth: number;
  /** Creativity & Originality. */
  creativity: number;
  /** Adaptability Across Versions (robustness across models, versions and inputs). */
  robustness: number;
}

export class EvaluationSuggestionDto {
  /** The improvement. */
  text: string;
  /** An example of the improved wording. */
  example: string;
}

export class EvaluationUsageDto {
  /** Input tokens of the evaluator call, as the provider reported them. */
  inputTokens: number;
  /** Output tokens of the evaluator call (its reasoning included), as the provider reported them. */
  outputTokens: number;
}

export class EvaluationResponseDto {
  id: string;
  /** null once the prompt was deleted (the evaluation is then no longer listed). */
  promptId: string | null;
  /** The prompt version judged. */
  version: number;
  /** The run whose output was judged, if any. */
  runId: string | null;
  scores: EvaluationScoresDto;
  /** The evaluator's overall score, 1–5. */
  overall: number;
  /** Decided by the server: overall >= 4.5 and every score >= 4. */
  excellent: boolean;
  /** Only when excellent: 1–5 key strengths. */
  strengths?: string[];
  /** Only when excellent: what the prompt does well. */
  doesWell?: string;
  /** Only when not excellent: an overview of the evaluation. */
  overview?: string;
  /** Only when not excellent: 3–5 suggested improvements, each with an example. */
  @ApiProperty({ type: [EvaluationSuggestionDto], required: false, minItems: 3, maxItems: 5 })
  suggestions?: EvaluationSuggestionDto[];
  /** Only when not excellent: ambiguities the evaluator noted (possibly none). */
  ambiguities?: string[];
  /** The model that evaluated. */
  evaluatorModel: string;
  usage: EvaluationUsageDto;
  /** usage × the catalogue's price of the evaluator model per million tokens. */
  costUsd: number;
  createdBy: string | null;
  createdAt: string;
}

export class EvaluationPageResponseDto {
  items: EvaluationResponseDto[];
  nextCursor: string | null;
}
