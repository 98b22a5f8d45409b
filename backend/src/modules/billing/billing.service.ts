import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { ApiKeyThrottler } from '../../common/security/api-key-throttler';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { BillingException } from './billing.errors';
import { BillingRepository } from './billing.repository';
import { BillingResponseDto } from './dto/billing.response.dto';
import { PlanLimitsService } from './plan-limits.service';
import type { PlanName } from './plans';
import { graceEndsAt } from './subscription-state';

/**
 * The organization's plan as people see it (`GET /billing`) and the plan switch without Stripe
 * (`PUT /billing/plan`). With Stripe configured the plan changes through Checkout and webhooks
 * (stripe/), which answer with `view` too.
 */
@Injectable()
export class BillingService {
  constructor(
    private readonly repo: BillingRepository,
    private readonly limits: PlanLimitsService,
    private readonly throttler: ApiKeyThrottler,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** The `GET /billing` answer for an organization, in the current tenant transaction. */
  async view(organizationId: string): Promise<BillingResponseDto> {
    const { state, plan, limits } = await this.limits.current(organizationId);
    const members = await this.repo.countMembers(organizationId);
    const grace = graceEndsAt(state, this.config.billing.graceDays);
    return {
      plan,
      status: state.status,
      ...(state.interval ? { interval: state.interval } : {}),
      ...(state.currentPeriodEnd ? { currentPeriodEnd: state.currentPeriodEnd.toISOString() } : {}),
      cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      ...(grace ? { graceEndsAt: grace.toISOString() } : {}),
      stripeEnabled: !!this.config.billing.stripe,
      limits: {
        members: limits.members,
        prompts: limits.prompts,
        versionHistory: { ...limits.versionHistory },
        apiRequests: limits.apiRequests ? { ...limits.apiRequests } : null,
        evaluationsPerMonth: limits.evaluationsPerMonth,
        ownedOrganizations: limits.ownedOrganizations,
      },
      usage: {
        members: members.members + members.pendingInvites,
        prompts: await this.repo.countPrompts(),
        apiRequests: limits.apiRequests
          ? await this.throttler.organizationUsage(organizationId, {
              limit: limits.apiRequests.limit,
              ttlMs: limits.apiRequests.windowSeconds * 1000,
            })
          : 0,
        evaluationsThisMonth: await this.repo.countEvaluationsThisMonth(),
      },
    };
  }

  /**
   * Switches the plan without Stripe (OWNER). With Stripe configured the plan follows the
   * subscription: 409 `billing_managed_by_stripe`. A downgrade deletes nothing; creation past
   * the new limits is refused from now on. Audited as `billing.plan_changed` {from, to}.
   */
  async changePlan(caller: Caller, plan: PlanName): Promise<BillingResponseDto> {
    if (this.config.billing.stripe)
      throw new BillingException(
        'billing_managed_by_stripe',
        'Stripe manages this installation’s plans: change the plan through Checkout or the customer portal',
      );
    const state = await this.repo.lockState(caller.organizationId);
    if (!state) throw notFound('Organization');
    if (state.plan !== plan) {
      await this.repo.save({ ...state, plan });
      await this.audit.record({
        action: 'billing.plan_changed',
        target: { type: 'organization', id: caller.organizationId },
        changes: { from: state.plan, to: plan },
      });
    }
    return this.view(caller.organizationId);
  }
}
