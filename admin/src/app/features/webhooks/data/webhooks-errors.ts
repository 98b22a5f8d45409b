import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/** What the webhooks page and dialog say for the codes of `modules/webhooks/webhooks.errors.ts`. */
export const WEBHOOK_ERRORS: ErrorCatalogue = {
  webhook_disabled: {
    message: 'The endpoint is disabled. Enable it first.',
  },
};
