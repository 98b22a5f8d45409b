import type Stripe from 'stripe';
import { noSubscription, type BillingState } from '../subscription-state';
import { applySubscription, currentPeriodEndOf, planOfPrice, statusOf } from './stripe-subscription';

const prices = {
  starter: { month: 'price_sm', year: 'price_sy' },
  pro: { month: 'price_pm', year: undefined },
};
const now = new Date('2026-12-05T12:00:00Z');
const END = Math.floor(new Date('2027-01-05T12:00:00Z').getTime() / 1000);

const subscription = (
  over: Record<string, unknown> = {},
  item: Record<string, unknown> = {},
): Stripe.Subscription =>
  ({
    id: 'sub_1',
    object: 'subscription',
    customer: 'cus_1',
    status: 'active',
    cancel_at_period_end: false,
    metadata: {},
    items: {
      object: 'list',
      data: [
        {
          id: 'si_1',
          price: { id: 'price_pm', recurring: { interval: 'month' } },
          current_period_end: END,
          ...item,
        },
      ],
    },
    ...over,
  }) as unknown as Stripe.Subscription;

const free = (over: Partial<BillingState> = {}): BillingState => ({
  ...noSubscription('org', 'free'),
  ...over,
});

describe('planOfPrice', () => {
  it('finds the plan and interval of a configured price, null for others', () => {
    expect(planOfPrice(prices, 'price_sy')).toEqual({ plan: 'starter', interval: 'year' });
    expect(planOfPrice(prices, 'price_pm')).toEqual({ plan: 'pro', interval: 'month' });
    expect(planOfPrice(prices, 'price_other')).toBeNull();
  });
});

describe('statusOf', () => {
  it('maps Stripe statuses onto ours', () => {
    expect(statusOf('active')).toBe('active');
    expect(statusOf('trialing')).toBe('trialing');
    expect(statusOf('past_due')).toBe('past_due');
    expect(statusOf('unpaid')).toBe('past_due');
    expect(statusOf('canceled')).toBe('canceled');
    expect(statusOf('incomplete_expired')).toBe('canceled');
    expect(statusOf('paused')).toBe('canceled');
    expect(statusOf('incomplete')).toBeNull();
  });
});

describe('currentPeriodEndOf', () => {
  it('reads the item (recent API versions) or the subscription (older ones)', () => {
    expect(currentPeriodEndOf(subscription())).toEqual(new Date(END * 1000));
    expect(
      currentPeriodEndOf(subscription({ current_period_end: END + 60 }, { current_period_end: undefined })),
    ).toEqual(new Date((END + 60) * 1000));
    expect(currentPeriodEndOf(subscription({}, { current_period_end: undefined }))).toBeNull();
  });
});

describe('applySubscription', () => {
  it('takes plan, interval, status, period, customer and subscription from Stripe', () => {
    const { state, unknownPrice } = applySubscription(free(), subscription(), prices, now);
    expect(unknownPrice).toBeUndefined();
    expect(state).toEqual({
      ...free(),
      plan: 'pro',
      status: 'active',
      interval: 'month',
      stripeCustomerId: 'cus_1',
      stripeSubscriptionId: 'sub_1',
      currentPeriodEnd: new Date(END * 1000),
      cancelAtPeriodEnd: false,
      pastDueSince: null,
    });
  });

  it('keeps the plan for an unknown price and reports it; the interval comes from the price', () => {
    const before = free({ plan: 'starter', interval: 'month' });
    const applied = applySubscription(
      before,
      subscription({}, { price: { id: 'price_legacy', recurring: { interval: 'year' } } }),
      prices,
      now,
    );
    expect(applied.unknownPrice).toBe('price_legacy');
    expect(applied.state).toMatchObject({ plan: 'starter', interval: 'year', status: 'active' });
  });

  it('sets past_due_since on the first past-due reading only and clears it once paid', () => {
    const first = applySubscription(free(), subscription({ status: 'past_due' }), prices, now).state;
    expect(first.pastDueSince).toEqual(now);
    const later = new Date(now.getTime() + 86_400_000);
    expect(
      applySubscription(first, subscription({ status: 'unpaid' }), prices, later).state.pastDueSince,
    ).toEqual(now);
    expect(applySubscription(first, subscription(), prices, later).state.pastDueSince).toBeNull();
  });

  it('a canceled subscription keeps its plan in the row (Free applies) and no pending cancellation', () => {
    const active = applySubscription(free(), subscription({ cancel_at_period_end: true }), prices, now).state;
    expect(active.cancelAtPeriodEnd).toBe(true);
    const ended = applySubscription(
      active,
      subscription({ status: 'canceled', cancel_at_period_end: true }),
      prices,
      now,
    );
    expect(ended.state).toMatchObject({ plan: 'pro', status: 'canceled', cancelAtPeriodEnd: false });
  });

  it('ignores an incomplete subscription except for learning the customer', () => {
    const before = free({ plan: 'starter', status: 'active', stripeSubscriptionId: 'sub_0' });
    const applied = applySubscription(
      before,
      subscription({ status: 'incomplete', id: 'sub_2' }),
      prices,
      now,
    );
    expect(applied.ignored).toBe('incomplete');
    expect(applied.state).toEqual({ ...before, stripeCustomerId: 'cus_1' });
  });
});
