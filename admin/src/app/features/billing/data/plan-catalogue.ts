import { BillingInterval, PlanName } from './billing.api';

/**
 * The plans as the cards present them (PRODUCT.md, "Plans"). List prices in US dollars; Stripe's
 * prices are what is charged. The limits the server enforces come from `GET /billing`; these
 * lines only describe the offer.
 */
export interface PlanOffer {
  name: PlanName;
  title: string;
  /** Null: custom pricing (Enterprise, through sales). */
  prices: Record<BillingInterval, number> | null;
  features: readonly string[];
}

export const PLAN_OFFERS: readonly PlanOffer[] = [
  {
    name: 'free',
    title: 'Free',
    prices: { month: 0, year: 0 },
    features: ['5 users', '100 prompts', 'Last 3 versions of each prompt', '1,000 API requests per hour'],
  },
  {
    name: 'starter',
    title: 'Starter',
    prices: { month: 29, year: 290 },
    features: ['10 users', '500 prompts', '30 days of version history', '1,000 API requests per hour'],
  },
  {
    name: 'pro',
    title: 'Pro',
    prices: { month: 99, year: 990 },
    features: [
      '25 users',
      '5,000 prompts',
      'Full version history',
      '10,000 API requests per day',
      '250 AI evaluations per month',
      'Unlimited organizations',
    ],
  },
  {
    name: 'enterprise',
    title: 'Enterprise',
    prices: null,
    features: [
      'Custom users and limits',
      'Unlimited prompts',
      'Full version history',
      'Unlimited AI evaluations',
    ],
  },
];

export function planTitle(plan: string): string {
  return PLAN_OFFERS.find((offer) => offer.name === plan)?.title ?? plan;
}

/** What a year costs less than twelve months, in dollars (0 for free and custom plans). */
export function yearlySaving(offer: PlanOffer): number {
  if (!offer.prices) return 0;
  return Math.max(0, offer.prices.month * 12 - offer.prices.year);
}

/** Plans in order, to tell an upgrade from a downgrade. */
export function planRank(plan: PlanName): number {
  return PLAN_OFFERS.findIndex((offer) => offer.name === plan);
}
