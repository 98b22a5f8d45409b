import { effectivePlan, graceEndsAt, noSubscription, type BillingState } from './subscription-state';

const now = new Date('2026-12-05T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const state = (over: Partial<BillingState>): BillingState => ({ ...noSubscription('org', 'pro'), ...over });

describe('effectivePlan', () => {
  it('keeps the stored plan without a subscription and while active or trialing', () => {
    expect(effectivePlan(state({}), now, 7)).toBe('pro');
    expect(effectivePlan(state({ status: 'active', currentPeriodEnd: days(10) }), now, 7)).toBe('pro');
    expect(effectivePlan(state({ status: 'trialing' }), now, 7)).toBe('pro');
  });

  it('keeps the plan through the grace period of a past-due subscription, then falls to free', () => {
    expect(effectivePlan(state({ status: 'past_due', pastDueSince: days(-6) }), now, 7)).toBe('pro');
    expect(effectivePlan(state({ status: 'past_due', pastDueSince: days(-7) }), now, 7)).toBe('free');
    expect(graceEndsAt(state({ status: 'past_due', pastDueSince: days(-6) }), 7)).toEqual(days(1));
    expect(graceEndsAt(state({ status: 'active' }), 7)).toBeNull();
  });

  it('falls to free when canceled, or when cancellation at the period end has come', () => {
    expect(effectivePlan(state({ status: 'canceled' }), now, 7)).toBe('free');
    expect(
      effectivePlan(state({ status: 'active', cancelAtPeriodEnd: true, currentPeriodEnd: days(1) }), now, 7),
    ).toBe('pro');
    expect(
      effectivePlan(state({ status: 'active', cancelAtPeriodEnd: true, currentPeriodEnd: days(-1) }), now, 7),
    ).toBe('free');
  });
});
