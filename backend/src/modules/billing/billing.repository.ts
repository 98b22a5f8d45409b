import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { BillingInterval, PlanLimits, PlanName } from './plans';
import type { BillingState, SubscriptionStatus } from './subscription-state';

/** What `app_owned_organizations_billing()` and `app_api_key_billing()` answer: enough for `effectivePlan`. */
export interface PlanRow {
  plan: PlanName;
  status: SubscriptionStatus | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean | null;
  past_due_since: Date | null;
  custom_limits: Partial<PlanLimits> | null;
}

/** A billing state from the plan columns only (no Stripe ids: limits do not need them). */
export const stateOfPlanRow = (organizationId: string, r: PlanRow): BillingState => ({
  organizationId,
  plan: r.plan,
  status: r.status ?? 'none',
  interval: null,
  stripeCustomerId: null,
  stripeSubscriptionId: null,
  currentPeriodEnd: r.current_period_end,
  cancelAtPeriodEnd: r.cancel_at_period_end ?? false,
  pastDueSince: r.past_due_since,
  customLimits: r.custom_limits,
});

/** Members and the invitations still pending (not accepted, revoked or expired) of an organization. */
export interface MemberCount {
  members: number;
  pendingInvites: number;
}

/** `organizations.plan` joined with the organization's `organization_billing` row (if any). */
interface BillingRow {
  organization_id: string;
  plan: PlanName;
  status: SubscriptionStatus | null;
  interval: BillingInterval | null;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean | null;
  past_due_since: Date | null;
  custom_limits: Partial<PlanLimits> | null;
}

const SELECT_STATE = `
  SELECT o.id AS organization_id, o.plan, b.status, b.interval, b.stripe_customer_id,
         b.stripe_subscription_id, b.current_period_end, b.cancel_at_period_end, b.past_due_since,
         b.custom_limits
    FROM organizations o
    LEFT JOIN organization_billing b ON b.organization_id = o.id
   WHERE o.id = $1`;

const toState = (r: BillingRow): BillingState => ({
  organizationId: r.organization_id,
  plan: r.plan,
  status: r.status ?? 'none',
  interval: r.interval,
  stripeCustomerId: r.stripe_customer_id,
  stripeSubscriptionId: r.stripe_subscription_id,
  currentPeriodEnd: r.current_period_end,
  cancelAtPeriodEnd: r.cancel_at_period_end ?? false,
  pastDueSince: r.past_due_since,
  customLimits: r.custom_limits,
});

/**
 * The billing state of an organization: its plan (`organizations.plan`) and its subscription
 * (`organization_billing`). Runs in the current tenant transaction (RLS: the caller's organization,
 * or any organization in a system transaction such as a Stripe webhook's).
 */
@Injectable()
export class BillingRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async state(organizationId: string): Promise<BillingState | null> {
    const rows: BillingRow[] = await this.em.query(SELECT_STATE, [organizationId]);
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * The state with the organization's row locked until the transaction ends. Every check of a
   * plan limit that precedes an insert takes this lock first, so concurrent creates in one
   * organization count one after the other and cannot pass the limit together.
   *
   * `FOR NO KEY UPDATE`, not `FOR UPDATE`: it excludes the other limit checks (and plan changes,
   * an UPDATE of the row) but not the key-share lock that every insert referencing the
   * organization takes for its foreign key. With `FOR UPDATE`, any insert in the organization
   * (a run, a usage event) waited for the check's transaction, and one that already held a row
   * the check's transaction went on to write (a usage rollup) deadlocked with it.
   */
  async lockState(organizationId: string): Promise<BillingState | null> {
    const rows: BillingRow[] = await this.em.query(`${SELECT_STATE} FOR NO KEY UPDATE OF o`, [organizationId]);
    return rows[0] ? toState(rows[0]) : null;
  }

  /** Writes the plan and the subscription (one row per organization, created on first write). */
  async save(state: BillingState): Promise<void> {
    await this.em.query(`UPDATE organizations SET plan = $2, updated_at = now() WHERE id = $1`, [
      state.organizationId,
      state.plan,
    ]);
    await this.em.query(
      `INSERT INTO organization_billing (organization_id, status, interval, stripe_customer_id,
              stripe_subscription_id, current_period_end, cancel_at_period_end, past_due_since, custom_limits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (organization_id) DO UPDATE SET
         status = EXCLUDED.status, interval = EXCLUDED.interval,
         stripe_customer_id = EXCLUDED.stripe_customer_id,
         stripe_subscription_id = EXCLUDED.stripe_subscription_id,
         current_period_end = EXCLUDED.current_period_end,
         cancel_at_period_end = EXCLUDED.cancel_at_period_end,
         past_due_since = EXCLUDED.past_due_since, custom_limits = EXCLUDED.custom_limits,
         updated_at = now()`,
      [
        state.organizationId,
        state.status,
        state.interval,
        state.stripeCustomerId,
        state.stripeSubscriptionId,
        state.currentPeriodEnd,
        state.cancelAtPeriodEnd,
        state.pastDueSince,
        state.customLimits === null ? null : JSON.stringify(state.customLimits),
      ],
    );
  }

  // ---------------------------------------------------------------- usage (plan limits)

  /**
   * Every prompt of the current organization (`app.org_id`), archived and other authors' private
   * ones included: a prompt counts until it is deleted (`app_prompt_count()`, migration 1763900710000).
   */
  async countPrompts(): Promise<number> {
    const [row]: { n: string }[] = await this.em.query(`SELECT app_prompt_count() AS n`);
    return Number(row.n);
  }

  /**
   * AI evaluations of the current organization since the start of the calendar month (UTC), those
   * of prompts the caller cannot see and of deleted prompts included
   * (`app_evaluation_count_this_month()`, migration 1764000100000).
   */
  async countEvaluationsThisMonth(): Promise<number> {
    const [row]: { n: string }[] = await this.em.query(`SELECT app_evaluation_count_this_month() AS n`);
    return Number(row.n);
  }

  async countMembers(organizationId: string): Promise<MemberCount> {
    const [row]: { members: string; pending: string }[] = await this.em.query(
      `SELECT (SELECT count(*) FROM memberships WHERE organization_id = $1) AS members,
              (SELECT count(*) FROM invites
                WHERE organization_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                  AND expires_at > now()) AS pending`,
      [organizationId],
    );
    return { members: Number(row.members), pendingInvites: Number(row.pending) };
  }

  /**
   * Locks the user's row until the transaction ends: two organizations created at once by the
   * same user count their owned organizations one after the other (`FOR NO KEY UPDATE`, as in
   * lockState: inserts that reference the user are not held up).
   */
  async lockUser(userId: string): Promise<void> {
    await this.em.query(`SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, [userId]);
  }

  /** The plan state of every organization the current user (`app.user_id`) is an OWNER of. */
  async ownedOrganizations(): Promise<BillingState[]> {
    const rows: (PlanRow & { organization_id: string })[] = await this.em.query(
      `SELECT * FROM app_owned_organizations_billing()`,
    );
    return rows.map((r) => stateOfPlanRow(r.organization_id, r));
  }

  /** The organization a Stripe customer belongs to (webhooks of invoices name only the customer). */
  async organizationOfCustomer(customerId: string): Promise<string | null> {
    const rows: { organization_id: string }[] = await this.em.query(
      `SELECT organization_id FROM organization_billing WHERE stripe_customer_id = $1`,
      [customerId],
    );
    return rows[0]?.organization_id ?? null;
  }
}
