import { Injectable } from '@nestjs/common';
import type { Caller } from '../../../common/context/request-context';
import { AuditService } from '../../audit/audit.service';
import { BillingException } from '../billing.errors';
import { BillingRepository } from '../billing.repository';
import type { BillingInterval, PurchasablePlan } from '../plans';
import type { CheckoutDto } from './dto/checkout.dto';
import type { BillingUrlResponseDto } from './dto/billing-stripe.response.dto';
import { LIVE_STATUSES, StripeAccess } from './stripe-access';

const PRICE_VARIABLES: Record<PurchasablePlan, Record<BillingInterval, string>> = {
  starter: { month: 'STRIPE_PRICE_STARTER_MONTH', year: 'STRIPE_PRICE_STARTER_YEAR' },
  pro: { month: 'STRIPE_PRICE_PRO_MONTH', year: 'STRIPE_PRICE_PRO_YEAR' },
};

/**
 * Stripe Checkout and the Customer Portal (docs/billing.md); the signed webhooks that keep
 * `organization_billing` in step with Stripe are `StripeWebhooksService`'s.
 */
@Injectable()
export class BillingStripeService {
  constructor(
    private readonly stripe: StripeAccess,
    private readonly billing: BillingRepository,
    private readonly audit: AuditService,
  ) {}

  /** A Checkout Session (subscription mode) for the plan and interval; the caller is redirected to its URL. */
  async checkout(caller: Caller, dto: CheckoutDto): Promise<BillingUrlResponseDto> {
    const { stripe, settings } = this.stripe.configured();
    const price = settings.prices[dto.plan][dto.interval];
    if (!price)
      throw new BillingException(
        'billing_not_configured',
        `${PRICE_VARIABLES[dto.plan][dto.interval]} is not set: the ${dto.plan} plan cannot be bought ${dto.interval === 'month' ? 'monthly' : 'yearly'}`,
      );
    const state = await this.billing.state(caller.organizationId);
    if (!state) throw new Error(`organization ${caller.organizationId} has no billing state`);
    if (state.plan === dto.plan && state.interval === dto.interval && LIVE_STATUSES.has(state.status))
      throw new BillingException(
        'billing_same_plan',
        `The organization already has the ${dto.plan} plan billed ${dto.interval === 'month' ? 'monthly' : 'yearly'}`,
      );

    const organizationId = caller.organizationId;
    const base = this.stripe.publicUrl();
    const session = await this.stripe.call('create a Checkout Session', () =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price, quantity: 1 }],
        client_reference_id: organizationId,
        metadata: { organizationId },
        subscription_data: { metadata: { organizationId } },
        ...(state.stripeCustomerId
          ? { customer: state.stripeCustomerId }
          : caller.email
            ? { customer_email: caller.email }
            : {}),
        success_url: `${base}/billing?checkout=success`,
        cancel_url: `${base}/billing?checkout=cancel`,
      }),
    );
    if (!session.url) throw this.stripe.unavailable('Stripe returned a Checkout Session without a URL');
    await this.audit.record({
      action: 'billing.checkout_started',
      target: { type: 'organization', id: organizationId },
      changes: { plan: dto.plan, interval: dto.interval, sessionId: session.id },
    });
    return { url: session.url };
  }

  /** A Customer Portal session for the organization's Stripe customer. */
  async portal(caller: Caller): Promise<BillingUrlResponseDto> {
    const { stripe } = this.stripe.configured();
    const state = await this.billing.state(caller.organizationId);
    const customer = state?.stripeCustomerId;
    if (!customer)
      throw new BillingException(
        'no_subscription',
        'The organization has no Stripe customer yet: subscribe through Checkout first',
      );
    const session = await this.stripe.call('create a Customer Portal session', () =>
      stripe.billingPortal.sessions.create({ customer, return_url: `${this.stripe.publicUrl()}/billing` }),
    );
    return { url: session.url };
  }
}
