import type { BillingInterval, PlanLimits, PlanName } from './plans';

export const SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'canceled', 'none'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * An organization's billing state: the plan it is subscribed to (`organizations.plan`) and its
 * subscription (`organization_billing`, absent for an organization that never had one).
 */
export interface BillingState {
  organizationId: string;
  /** The plan paid for or chosen (`organizations.plan`); `effectivePlan` says which limits apply. */
  plan: PlanName;
  status: SubscriptionStatus;
  interval: BillingInterval | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** When the subscription first became `past_due` (cleared when it is paid). */
  pastDueSince: Date | null;
  /** Enterprise contracts: limits that replace the plan's. */
  customLimits: Partial<PlanLimits> | null;
}

export const noSubscription = (organizationId: string, plan: PlanName): BillingState => ({
  organizationId,
  plan,
  status: 'none',
  interval: null,
  stripeCustomerId: null,
  stripeSubscriptionId: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  pastDueSince: null,
  customLimits: null,
});

/** When a past-due subscription stops keeping its plan (null if it is not past due). */
export function graceEndsAt(state: BillingState, graceDays: number): Date | null {
  if (state.status !== 'past_due') return null;
  const since = state.pastDueSince ?? state.currentPeriodEnd;
  return since ? new Date(since.getTime() + graceDays * 86_400_000) : null;
}

/**
 * The plan whose limits apply now. Nothing is deleted by a downgrade: this only decides which
 * limits creation is checked against and how much version history is visible.
 *
 * - `past_due` keeps the plan until the grace period (BILLING_GRACE_DAYS) has passed, then Free;
 * - `canceled`, or cancellation at a period end that has passed, falls to Free;
 * - without a subscription (`none`), the stored plan applies (set by `PUT /billing/plan` without
 *   Stripe, by an operator for Enterprise, or the DEFAULT_PLAN of a new organization).
 */
export function effectivePlan(state: BillingState, now: Date, graceDays: number): PlanName {
  switch (state.status) {
    case 'canceled':
      return 'free';
    case 'past_due': {
      const ends = graceEndsAt(state, graceDays);
      return ends && ends.getTime() <= now.getTime() ? 'free' : state.plan;
    }
    default:
      if (
        state.cancelAtPeriodEnd &&
        state.currentPeriodEnd &&
        state.currentPeriodEnd.getTime() <= now.getTime()
      )
        return 'free';
      return state.plan;
  }
}
