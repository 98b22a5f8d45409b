import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig, type StripeConfig } from '../../../config/app-config';
import { BillingException } from '../billing.errors';
import { STRIPE_CLIENT } from './stripe.client';

/** Statuses of a subscription that is still billed (Checkout for its own plan would be a second one). */
export const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due']);

/**
 * The Stripe client with the checks and error handling every Stripe call of ours shares: not
 * configured → 400 `billing_not_configured`; Stripe unreachable or refusing → 502
 * `stripe_unavailable`, with what Stripe said logged (never the request or the key).
 */
@Injectable()
export class StripeAccess {
  private readonly logger = new Logger('BillingStripe');

  constructor(
    @Inject(STRIPE_CLIENT) readonly client: Stripe | null,
    private readonly config: AppConfig,
  ) {}

  configured(): { stripe: Stripe; settings: StripeConfig } {
    const settings = this.config.billing.stripe;
    if (!this.client || !settings)
      throw new BillingException(
        'billing_not_configured',
        'STRIPE_SECRET_KEY is not set: plans change with PUT /billing/plan',
      );
    return { stripe: this.client, settings };
  }

  publicUrl(): string {
    return this.config.publicUrl.replace(/\/+$/, '');
  }

  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.failed(what, err);
    }
  }

  /** Logs what Stripe said (never the request or the key) and answers 502. */
  failed(what: string, err: unknown): BillingException {
    const e = err as Partial<InstanceType<typeof Stripe.errors.StripeError>>;
    this.logger.error(
      { type: e.type, code: e.code, statusCode: e.statusCode, requestId: e.requestId, message: e.message },
      `Stripe call failed: ${what}`,
    );
    return this.unavailable(`Stripe could not ${what}; try again`);
  }

  unavailable(detail: string): BillingException {
    return new BillingException('stripe_unavailable', detail);
  }
}
