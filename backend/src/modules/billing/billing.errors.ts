import { defineErrors } from '../../common/errors/domain.exception';

/**
 * Billing and plans (API-CONTRACT.md, "Billing and plans"). `plan_limit_reached` carries `limit`,
 * `plan`, `max`, `current` and `upgradeUrl` as extensions (`planLimitReached` in plan-limits).
 */
export class BillingException extends defineErrors('billing', {
  /** Creating this would pass the plan's limit; nothing was created. Upgrade or remove something. */
  plan_limit_reached: { status: 403, title: 'Plan limit reached' },
  /** Stripe is configured: the plan changes through Checkout and the Customer Portal. */
  billing_managed_by_stripe: { status: 409, title: 'The plan is managed by Stripe' },
  /** Checkout for the plan the organization already has. */
  billing_same_plan: { status: 409, title: 'The organization is already on this plan' },
  /** The Customer Portal needs a Stripe customer, which the first Checkout creates. */
  no_subscription: { status: 409, title: 'No subscription to manage' },
  /** Checkout and the portal need STRIPE_SECRET_KEY (and the plan's price) configured. */
  billing_not_configured: { status: 409, title: 'Stripe billing is not configured' },
  /** Missing or bad `Stripe-Signature`, or a payload that is not a Stripe event. */
  stripe_signature_invalid: { status: 400, title: 'Invalid Stripe signature' },
  /** Stripe could not be reached or refused the request; try again. */
  stripe_unavailable: { status: 502, title: 'Stripe is unavailable' },
}) {}
