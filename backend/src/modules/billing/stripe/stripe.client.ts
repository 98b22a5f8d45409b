import type { Provider } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig } from '../../../config/app-config';

/** The injection token of the Stripe client: a `Stripe` instance, or `null` when Stripe is not configured. */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/** How long one Stripe call may take before it counts as an outage (Stripe's own default is 80 s). */
const STRIPE_TIMEOUT_MS = 20_000;

/**
 * The constructor options that point the client at `STRIPE_API_BASE` (`https://api.stripe.com` in
 * production; a local server in tests). The library takes host, port and protocol separately.
 */
export function stripeClientOptions(apiBase: string): Stripe.StripeConfig {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    timeout: STRIPE_TIMEOUT_MS,
    // One retry for network errors and 5xx answers Stripe marks as retryable (Stripe-Should-Retry);
    // a webhook whose retrieval still fails answers 502 and Stripe redelivers it later.
    maxNetworkRetries: 1,
    telemetry: false,
    appInfo: { name: 'prompt-vault' },
  };
}

export const stripeClientProvider: Provider = {
  provide: STRIPE_CLIENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Stripe | null => {
    const stripe = config.billing.stripe;
    return stripe ? new Stripe(stripe.secretKey, stripeClientOptions(stripe.apiBase)) : null;
  },
};
