import { Injectable } from '@nestjs/common';
import { InjectThrottlerOptions, type ThrottlerModuleOptions } from '@nestjs/throttler';
import {
  ApiKeyLimits,
  type KeyAllowances,
  type ThrottledKey,
  windowText,
} from '../../common/security/api-key-throttler';
import { AppConfig } from '../../config/app-config';
import { limitsOf, PLANS } from './plans';
import { effectivePlan, noSubscription } from './subscription-state';

/**
 * API request limits by plan (PRODUCT.md, "Plans"): the organization's effective plan gives one
 * allowance for all of its keys together (Free and Starter 1,000 per hour, Pro 10,000 per day,
 * Enterprise unlimited unless its contract says otherwise), counted in the organization's
 * counter. Each key keeps its own counter with the operator's API_KEY_RATE_LIMIT per
 * API_KEY_RATE_WINDOW_SECONDS (an abuse guard per key); the tighter answer wins.
 *
 * The plan comes with the key row (`app_api_key_billing`, read in the same statement by the
 * admission), so a plan change applies from the next request and the runtime fetch path gains no
 * database round trip.
 */
@Injectable()
export class PlanApiLimits extends ApiKeyLimits {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    private readonly config: AppConfig,
  ) {
    super(options);
  }

  override async resolve(key: ThrottledKey): Promise<KeyAllowances> {
    const state = key.billing ?? noSubscription(key.organizationId, this.config.billing.defaultPlan);
    const plan = effectivePlan(state, new Date(), this.config.billing.graceDays);
    const { apiRequests } = limitsOf(plan, plan === state.plan ? state.customLimits : null);
    if (!apiRequests) return { key: this.perKey, organization: null };
    const ttlMs = apiRequests.windowSeconds * 1000;
    const upgradeUrl = `${this.config.publicUrl}/billing`;
    return {
      key: this.perKey,
      organization: {
        limit: apiRequests.limit,
        ttlMs,
        refusal:
          `The ${PLANS[plan].title} plan allows ${apiRequests.limit} API requests per ${windowText(ttlMs)} ` +
          `for the organization; upgrade the plan (${upgradeUrl}) or wait for the window to end`,
        extensions: { limit: 'apiRequests', plan, max: apiRequests.limit, upgradeUrl },
      },
    };
  }
}
