import type Stripe from 'stripe';
import type { StripeConfig } from '../../../config/app-config';
import { BILLING_INTERVALS, PURCHASABLE_PLANS, type BillingInterval, type PurchasablePlan } from '../plans';
import type { BillingState, SubscriptionStatus } from '../subscription-state';

/** The configured price ids, inverted: which plan and interval a Stripe price id stands for. */
export function planOfPrice(
  prices: StripeConfig['prices'],
  priceId: string,
): { plan: PurchasablePlan; interval: BillingInterval } | null {
  for (const plan of PURCHASABLE_PLANS)
    for (const interval of BILLING_INTERVALS)
      if (prices[plan][interval] === priceId) return { plan, interval };
  return null;
}

/**
 * Stripe's subscription statuses in ours. `unpaid` (retries exhausted, invoices left open) counts as
 * past due, so the grace period applies; `incomplete_expired` (the first payment never happened)
 * and `paused` (a trial ended without a payment method) count as canceled. `incomplete` (a new
 * subscription whose first payment is pending) returns null: it changes nothing yet.
 */
export function statusOf(status: Stripe.Subscription.Status): SubscriptionStatus | null {
  switch (status) {
    case 'active':
    case 'trialing':
    case 'past_due':
    case 'canceled':
      return status as SubscriptionStatus;
    case 'unpaid':
      return 'past_due';
    case 'incomplete_expired':
    case 'paused':
      return 'canceled';
    default:
      return null;
  }
}

/** The end of the current period: on the items in recent API versions, on the subscription before. */
export function currentPeriodEndOf(sub: Stripe.Subscription): Date | null {
  const item = sub.items?.data?.[0] as { current_period_end?: number | null } | undefined;
  const legacy = (sub as unknown as { current_period_end?: number | null }).current_period_end;
  const seconds = item?.current_period_end ?? legacy;
  return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
}

export const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

export interface AppliedSubscription {
  state: BillingState;
  /** Set when the subscription's price is none of the configured ones (the plan was kept). */
  unknownPrice?: string;
  /** The subscription is `incomplete`: nothing changed. */
  ignored?: 'incomplete';
}

/**
 * The billing state after reading a subscription from Stripe: its current state wins over whatever
 * order the events arrived in. `past_due_since` is set when the subscription first becomes past
 * due and cleared when it is not; a canceled subscription keeps its plan in the row (the effective
 * plan is Free) and nothing else is deleted.
 */
export function applySubscription(
  previous: BillingState,
  sub: Stripe.Subscription,
  prices: StripeConfig['prices'],
  now: Date,
): AppliedSubscription {
  const customerId = idOf(sub.customer);
  const status = statusOf(sub.status);
  if (status === null)
    return {
      state: { ...previous, stripeCustomerId: previous.stripeCustomerId ?? customerId },
      ignored: 'incomplete',
    };

  const item = sub.items?.data?.[0];
  const priceId = item ? idOf(item.price) : null;
  const known = priceId ? planOfPrice(prices, priceId) : null;
  const recurring =
    item?.price && typeof item.price === 'object' ? item.price.recurring?.interval : undefined;
  const interval: BillingInterval | null =
    known?.interval ??
    (recurring === 'month' || recurring === 'year' ? (recurring as BillingInterval) : null) ??
    previous.interval;

  return {
    state: {
      ...previous,
      plan: known?.plan ?? previous.plan,
      status,
      interval,
      stripeCustomerId: customerId ?? previous.stripeCustomerId,
      stripeSubscriptionId: sub.id,
      currentPeriodEnd: currentPeriodEndOf(sub) ?? previous.currentPeriodEnd,
      cancelAtPeriodEnd: status === 'canceled' ? false : !!sub.cancel_at_period_end,
      pastDueSince:
        status === 'past_due' ? (previous.status === 'past_due' && previous.pastDueSince) || now : null,
    },
    ...(known || !priceId ? {} : { unknownPrice: priceId }),
  };
}
