import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/**
 * What the evaluations panel says for the codes of `modules/evaluations/evaluations.errors.ts`
 * and the playground's key and provider codes an evaluation can answer with.
 */
export const EVALUATION_ERRORS: ErrorCatalogue = {
  evaluator_answer_invalid: {
    message:
      'The evaluator model did not give a usable evaluation; nothing was saved. Try again or pick another model.',
  },
  evaluation_input_too_long: {
    message: 'This is longer than the evaluator reads (6,000 words for the prompt and for the output).',
  },
  provider_key_missing: {
    message:
      'The organization has no key for this model’s provider. An owner or admin adds one in Provider keys.',
    field: 'model',
  },
  provider_key_unreadable: {
    message: 'The provider key cannot be decrypted on this server any more. An owner or admin adds it again.',
  },
  provider_rate_limited: {
    message: 'The provider is rate limiting the organization’s key. Try again shortly.',
  },
  provider_timeout: { message: 'The evaluator model did not answer in time. Try again.' },
};
