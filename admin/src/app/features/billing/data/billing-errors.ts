import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/**
 * What the billing page says for the codes of the API's billing catalogue (backend
 * `modules/billing/billing.errors.ts`) and the common `forbidden`; decided on the code, never on
 * the server's wording.
 */
export const BILLING_ERRORS: ErrorCatalogue = {
  billing_managed_by_stripe: {
    message: 'The plan is managed through Stripe: use Upgrade or Manage billing instead.',
  },
  billing_same_plan: { message: 'Your organization is already on this plan.' },
  no_subscription: {
    message: 'There is no subscription to manage yet. Choose a plan to start one.',
  },
  billing_not_configured: {
    message: 'Payments are not set up on this server. Ask your administrator to configure Stripe.',
  },
  stripe_unavailable: {
    message: 'The payment provider could not be reached. Nothing was changed; please try again.',
  },
  plan_limit_reached: {
    message:
      'Your organization uses more than that plan allows. Remove some content first, or pick a bigger plan.',
  },
  forbidden: { message: 'Only an owner can change the plan.' },
};
