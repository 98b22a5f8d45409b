import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { BillingException } from './billing.errors';
import { BillingRepository } from './billing.repository';
import { type LimitName, limitsOf, type PlanLimits, type PlanName, PLANS } from './plans';
import { type BillingState, effectivePlan } from './subscription-state';

/** The limits that apply to an organization now. */
export interface AppliedPlan {
  state: BillingState;
  /** The effective plan (`effectivePlan`): whose limits apply, not necessarily the one paid for. */
  plan: PlanName;
  limits: PlanLimits;
}

/** Which versions of a prompt the plan shows: the last `versions`, or those since `since`; the current one always. */
export interface HistoryWindow {
  plan: PlanName;
  versions: number | null;
  days: number | null;
  /** `days` before now, or null. */
  since: Date | null;
}

/** Whether a version is inside the plan's window (the prompt's current version always is). */
export function versionVisible(
  window: HistoryWindow,
  current: number,
  version: { version: number; createdAt: Date },
): boolean {
  if (version.version === current) return true;
  if (window.versions !== null && version.version <= current - window.versions) return false;
  if (window.since !== null && version.createdAt.getTime() < window.since.getTime()) return false;
  return true;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const NOUNS: Record<LimitName, [string, string]> = {
  members: ['member (pending invitations included)', 'members (pending invitations included)'],
  prompts: ['prompt', 'prompts'],
  apiRequests: ['API request', 'API requests'],
  evaluations: ['AI evaluation per month', 'AI evaluations per month'],
  ownedOrganizations: ['organization on a Free or Starter plan', 'organizations on a Free or Starter plan'],
  auditRetention: ['day of audit retention', 'days of audit retention'],
};

/**
 * The one check of a plan limit before something is created. Each creating route calls it inside
 * its tenant transaction, before its insert: `assertCanCreate` locks the organization's row
 * (`BillingRepository.lockState`), so concurrent creates in one organization count one after the
 * other and cannot pass the limit together. Over the limit it throws 403 `plan_limit_reached`
 * with `limit`, `plan`, `max`, `current` and `upgradeUrl`. Nothing is ever deleted: after a
 * downgrade, content over the limit stays; only creation is refused.
 */
@Injectable()
export class PlanLimitsService {
  constructor(
    private readonly repo: BillingRepository,
    private readonly config: AppConfig,
  ) {}

  /** Where the console shows plans and upgrades. */
  get upgradeUrl(): string {
    return `${this.config.publicUrl}/billing`;
  }

  /** The plan and limits that apply to a billing state now. */
  apply(state: BillingState, now = new Date()): AppliedPlan {
    const plan = effectivePlan(state, now, this.config.billing.graceDays);
    // Custom limits are an Enterprise contract's: they apply while the organization is on it.
    return { state, plan, limits: limitsOf(plan, plan === state.plan ? state.customLimits : null) };
  }

  /** The organization's applied plan, read without a lock (views, version history). */
  async current(organizationId: string, now = new Date()): Promise<AppliedPlan> {
    const state = await this.repo.state(organizationId);
    if (!state) throw notFound('Organization');
    return this.apply(state, now);
  }

  /**
   * The organization's prompt limit (`null`: none) and how many prompts it has now, read without a
   * lock: what a view shows (an import's preview), not a check before creating.
   */
  async promptUsage(organizationId: string): Promise<{ max: number | null; current: number }> {
    const { limits } = await this.current(organizationId);
    return { max: limits.prompts, current: await this.repo.countPrompts() };
  }

  /**
   * Refuses keeping audit events for more `days` than the organization's plan keeps them
   * (`null` = as long as the plan allows). Answers the applied plan.
   */
  async assertRetention(organizationId: string, days: number | null, now = new Date()): Promise<AppliedPlan> {
    const applied = await this.current(organizationId, now);
    const max = applied.limits.auditRetentionDays;
    if (days !== null && max !== null && days > max)
      throw this.limitReached('auditRetention', applied.plan, max, days);
    return applied;
  }

  /**
   * Refuses creating `adding` more prompts or members of `organizationId` past its plan's limit.
   * Call it in the transaction of the insert, before the insert (it takes the organization's row
   * lock). Prompts count every row until deleted (archived and private ones included); members
   * count memberships plus pending invitations when an invitation is sent (`pendingInvites`), and
   * memberships only when one is accepted or a member is provisioned (the invitation being
   * accepted was already counted when it was sent).
   */
  async assertCanCreate(
    limit: 'prompts' | 'members',
    organizationId: string,
    opts: { adding?: number; pendingInvites?: boolean } = {},
  ): Promise<void> {
    const state = await this.repo.lockState(organizationId);
    if (!state) throw notFound('Organization');
    const { plan, limits } = this.apply(state);
    const max = limits[limit];
    if (max === null) return;
    let current: number;
    if (limit === 'prompts') current = await this.repo.countPrompts();
    else {
      const count = await this.repo.countMembers(organizationId);
      current = count.members + (opts.pendingInvites ? count.pendingInvites : 0);
    }
    if (current + (opts.adding ?? 1) > max) throw this.limitReached(limit, plan, max, current);
  }

  /**
   * How many more prompts the organization's plan lets it create now (`null`: no limit). When the
   * plan limits prompts, the count is taken under the organization's row lock until the
   * transaction ends, as `assertCanCreate` takes it: a bulk create checks once and creates at most
   * that many. `refusal()` is the 403 `plan_limit_reached` for the ones beyond.
   */
  async promptAllowance(
    organizationId: string,
  ): Promise<{ remaining: number | null; refusal: () => BillingException }> {
    // Without a prompt limit there is nothing to count, so no lock: an import's parallel batches
    // (ImportRunner's lanes) are not serialized by it. A plan change committed meanwhile would have
    // waited for this transaction and then found the same prompts; it may leave the organization
    // above a new limit either way.
    const seen = await this.repo.state(organizationId);
    if (!seen) throw notFound('Organization');
    const applied = this.apply(seen);
    if (applied.limits.prompts === null)
      return { remaining: null, refusal: () => this.limitReached('prompts', applied.plan, 0, 0) };
    const state = await this.repo.lockState(organizationId);
    if (!state) throw notFound('Organization');
    const { plan, limits } = this.apply(state);
    const max = limits.prompts;
    if (max === null) return { remaining: null, refusal: () => this.limitReached('prompts', plan, 0, 0) };
    const current = await this.repo.countPrompts();
    return {
      remaining: Math.max(0, max - current),
      // Past the allowance the organization is at (or above) its limit.
      refusal: () => this.limitReached('prompts', plan, max, Math.max(current, max)),
    };
  }

  /**
   * Refuses a new organization for `ownerId` when its starting plan (DEFAULT_PLAN) limits the
   * organizations a user may own on it and the user already owns that many organizations whose
   * effective plan limits it too (Free and Starter: one). Organizations on Pro or Enterprise do
   * not count. Call it in the new organization's transaction (`app.user_id` = the owner) before
   * inserting it; it locks the user's row. Answers the plan the new organization starts on.
   */
  async admitNewOrganization(ownerId: string): Promise<PlanName> {
    const plan = this.config.billing.defaultPlan;
    const max = limitsOf(plan).ownedOrganizations;
    if (max === null) return plan;
    await this.repo.lockUser(ownerId);
    const owned = await this.repo.ownedOrganizations();
    const now = new Date();
    const current = owned.filter((s) => this.apply(s, now).limits.ownedOrganizations !== null).length;
    if (current + 1 > max) throw this.limitReached('ownedOrganizations', plan, max, current);
    return plan;
  }

  /**
   * Refuses an AI evaluation of `organizationId` past its plan's monthly allowance (stored
   * evaluations of the current calendar month, UTC). Call it in the transaction of the insert,
   * before the insert: it takes the organization's row lock, so concurrent evaluations count one
   * after the other.
   */
  async assertCanEvaluate(organizationId: string): Promise<void> {
    const state = await this.repo.lockState(organizationId);
    if (!state) throw notFound('Organization');
    const { plan, limits } = this.apply(state);
    const max = limits.evaluationsPerMonth;
    if (max === null) return;
    const current = max === 0 ? 0 : await this.repo.countEvaluationsThisMonth();
    if (current + 1 > max) throw this.limitReached('evaluations', plan, max, current);
  }

  /** The version history the organization's plan shows. */
  async historyWindow(organizationId: string, now = new Date()): Promise<HistoryWindow> {
    const { plan, limits } = await this.current(organizationId);
    const { versions, days } = limits.versionHistory;
    return {
      plan,
      versions,
      days,
      since: days === null ? null : new Date(now.getTime() - days * 86_400_000),
    };
  }

  /** How a history window reads in a problem's detail. */
  describeWindow(window: HistoryWindow): string {
    const title = PLANS[window.plan].title;
    if (window.versions !== null)
      return `the ${title} plan shows the last ${plural(window.versions, 'version', 'versions')} of a prompt`;
    if (window.days !== null)
      return `the ${title} plan shows the versions of the last ${plural(window.days, 'day', 'days')} (and the current one)`;
    return `the ${title} plan shows every version`;
  }

  /** 403 `plan_limit_reached` with the contract's extension members. */
  limitReached(limit: LimitName, plan: PlanName, max: number, current: number): BillingException {
    const [one, many] = NOUNS[limit];
    const detail =
      `The ${PLANS[plan].title} plan allows ${max} ${max === 1 ? one : many}` +
      (limit === 'ownedOrganizations'
        ? `, and you already own ${current}; `
        : limit === 'auditRetention'
          ? `, not ${current}; `
          : ` and ${current} are in use; `) +
      `upgrade the plan (${this.upgradeUrl}) or remove some first`;
    return new BillingException('plan_limit_reached', detail, {
      extensions: { limit, plan, max, current, upgradeUrl: this.upgradeUrl },
    });
  }
}
