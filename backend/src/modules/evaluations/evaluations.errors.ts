import { defineErrors } from '../../common/errors/domain.exception';

/**
 * AI evaluator rules (API-CONTRACT.md, "Provider keys, runs and evaluations"; docs/playground.md,
 * "AI evaluator"). Provider failures of the evaluator's call reuse the playground's codes
 * (`provider_error`, `provider_rate_limited`, `provider_timeout`, `provider_unreachable`).
 */
export class EvaluationException extends defineErrors('evaluations', {
  /** The prompt version (or the run's output) is longer than the evaluator reads. */
  evaluation_input_too_long: { status: 422, title: 'Too long to evaluate' },
  /**
   * The evaluator model answered, but not with a usable evaluation (not the JSON schema, scores
   * outside 1–5, too few suggestions, over the word limits). Nothing is stored.
   */
  evaluator_answer_invalid: { status: 502, title: 'The evaluator model gave no usable evaluation' },
}) {}
