/** Where to send the browser: a Stripe Checkout or Customer Portal page. */
export class BillingUrlResponseDto {
  /** A Stripe-hosted page (https://checkout.stripe.com/… or https://billing.stripe.com/…). */
  url: string;
}

/** Stripe only needs a 2xx; the body says whether the event was new. */
export class StripeWebhookResponseDto {
  received: true;
  /** Present (true) when this event id was applied before: nothing changed. */
  duplicate?: true;
}
