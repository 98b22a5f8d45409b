/**
 * The four plans and their limits (PRODUCT.md, "Plans"): the one place they are defined. `null`
 * means unlimited. Enterprise limits are custom per organization (`organization_billing.custom_limits`
 * overrides any of these); without an override Enterprise is unlimited.
 */
export const PLAN_NAMES = ['free', 'starter', 'pro', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** The plans a customer buys through Checkout; Enterprise is arranged with sales. */
export const PURCHASABLE_PLANS = ['starter', 'pro'] as const;
export type PurchasablePlan = (typeof PURCHASABLE_PLANS)[number];

export const BILLING_INTERVALS = ['month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** The limits a `plan_limit_reached` problem can name (API-CONTRACT.md, "Billing and plans"). */
export type LimitName =
  | 'members'
  | 'prompts'
  | 'apiRequests'
  | 'evaluations'
  | 'ownedOrganizations'
  /** Audit retention longer than the plan keeps events (an addition to the contract's list). */
  | 'auditRetention';

export interface PlanLimits {
  /** Members per organization (pending invitations count when sent). */
  members: number | null;
  prompts: number | null;
  /** Visible version history: the last `versions`, or those of the last `days` (the current one always). */
  versionHistory: { versions: number | null; days: number | null };
  apiRequests: { limit: number; windowSeconds: number } | null;
  /** AI evaluations per calendar month (UTC); 0 = not on this plan. */
  evaluationsPerMonth: number | null;
  /** Organizations a user may own while on this plan. */
  ownedOrganizations: number | null;
  /** Audit retention in days. */
  auditRetentionDays: number | null;
}

export interface PlanDefinition {
  name: PlanName;
  title: string;
  /** List prices in US cents, for the console's plan cards (Stripe's prices are what is charged). */
  prices: { month: number; year: number } | null;
  limits: PlanLimits;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const PLANS: Readonly<Record<PlanName, PlanDefinition>> = {
  free: {
    name: 'free',
    title: 'Free',
    prices: { month: 0, year: 0 },
    limits: {
      members: 5,
      prompts: 100,
      versionHistory: { versions: 3, days: null },
      apiRequests: { limit: 1000, windowSeconds: HOUR },
      evaluationsPerMonth: 0,
      ownedOrganizations: 1,
      auditRetentionDays: 30,
    },
  },
  starter: {
    name: 'starter',
    title: 'Starter',
    prices: { month: 2900, year: 29000 },
    limits: {
      members: 10,
      prompts: 500,
      versionHistory: { versions: null, days: 30 },
      apiRequests: { limit: 1000, windowSeconds: HOUR },
      evaluationsPerMonth: 0,
      ownedOrganizations: 1,
      auditRetentionDays: 90,
    },
  },
  pro: {
    name: 'pro',
    title: 'Pro',
    prices: { month: 9900, year: 99000 },
    limits: {
      members: 25,
      prompts: 5000,
      versionHistory: { versions: null, days: null },
      apiRequests: { limit: 10000, windowSeconds: DAY },
      evaluationsPerMonth: 250,
      ownedOrganizations: null,
      auditRetentionDays: 365,
    },
  },
  enterprise: {
    name: 'enterprise',
    title: 'Enterprise',
    prices: null,
    limits: {
      members: null,
      prompts: null,
      versionHistory: { versions: null, days: null },
      apiRequests: null,
      evaluationsPerMonth: null,
      ownedOrganizations: null,
      auditRetentionDays: null,
    },
  },
};

export const isPlanName = (value: unknown): value is PlanName =>
  typeof value === 'string' && (PLAN_NAMES as readonly string[]).includes(value);

/** A plan's limits with an organization's custom overrides (Enterprise contracts) applied. */
export function limitsOf(plan: PlanName, custom?: Partial<PlanLimits> | null): PlanLimits {
  return { ...PLANS[plan].limits, ...(custom ?? {}) };
}
