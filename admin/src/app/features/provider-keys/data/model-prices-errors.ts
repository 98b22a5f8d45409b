import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/**
 * What the model prices section and dialog say for the codes the model-prices routes answer
 * (`modules/playground/model-prices.controller.ts`): only common ones.
 */
export const MODEL_PRICE_ERRORS: ErrorCatalogue = {
  forbidden: { message: 'Only an OWNER or ADMIN sets model prices.' },
  not_found: { message: 'The organization has no price of its own for this model any more.' },
};
