import { ApiProperty } from '@nestjs/swagger';
import { BILLING_INTERVALS, type BillingInterval, PLAN_NAMES, type PlanName } from '../plans';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../subscription-state';

export class VersionHistoryLimitDto {
  /** The last this many versions are visible (Free: 3); null = not limited by count. */
  @ApiProperty({ type: 'integer', nullable: true })
  versions: number | null;
  /** The versions of the last this many days are visible (Starter: 30); null = not limited by age. */
  @ApiProperty({ type: 'integer', nullable: true })
  days: number | null;
}

export class ApiRequestsLimitDto {
  /** Requests per window for the whole organization (all its API keys together). */
  @ApiProperty({ type: 'integer' })
  limit: number;
  @ApiProperty({ type: 'integer' })
  windowSeconds: number;
}

/** The effective plan's limits; `null` = unlimited. */
export class BillingLimitsDto {
  /** Members per organization; pending invitations count when they are sent. */
  @ApiProperty({ type: 'integer', nullable: true })
  members: number | null;
  /** Prompts per organization; every prompt counts until deleted (archived and private ones too). */
  @ApiProperty({ type: 'integer', nullable: true })
  prompts: number | null;
  versionHistory: VersionHistoryLimitDto;
  /** null = unlimited (Enterprise). */
  @ApiProperty({ type: ApiRequestsLimitDto, nullable: true })
  apiRequests: ApiRequestsLimitDto | null;
  /** AI evaluations per calendar month (UTC); 0 = not on this plan. */
  @ApiProperty({ type: 'integer', nullable: true })
  evaluationsPerMonth: number | null;
  /** Organizations on Free or Starter a user may own while this organization is on this plan. */
  @ApiProperty({ type: 'integer', nullable: true })
  ownedOrganizations: number | null;
}

export class BillingUsageDto {
  /** Members plus pending (unexpired, not revoked) invitations. */
  @ApiProperty({ type: 'integer' })
  members: number;
  /** Every prompt of the organization (archived and private ones included). */
  @ApiProperty({ type: 'integer' })
  prompts: number;
  /** API requests of all the organization's keys in the plan's current window (0 when none were made, or the plan has no organization-wide limit). */
  @ApiProperty({ type: 'integer' })
  apiRequests: number;
  /** AI evaluations stored this calendar month (UTC). */
  @ApiProperty({ type: 'integer' })
  evaluationsThisMonth: number;
}

export class BillingResponseDto {
  /** The effective plan: whose limits apply now (a lapsed subscription past its grace period is Free). */
  @ApiProperty({ enum: PLAN_NAMES })
  plan: PlanName;
  /** The subscription's status; `none` without a Stripe subscription. */
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES })
  status: SubscriptionStatus;
  /** Billing interval of the subscription; absent without one. */
  @ApiProperty({ enum: BILLING_INTERVALS, required: false })
  interval?: BillingInterval;
  /** End of the paid period (ISO 8601); absent without a subscription. */
  @ApiProperty({ required: false, format: 'date-time' })
  currentPeriodEnd?: string;
  /** The subscription ends at `currentPeriodEnd` and then falls to Free. */
  cancelAtPeriodEnd: boolean;
  /** While past due: when the plan stops applying and Free limits do (BILLING_GRACE_DAYS after it became past due). */
  @ApiProperty({ required: false, format: 'date-time' })
  graceEndsAt?: string;
  /** Whether plans are bought through Stripe (Checkout, portal) rather than switched with `PUT /billing/plan`. */
  stripeEnabled: boolean;
  limits: BillingLimitsDto;
  usage: BillingUsageDto;
}
