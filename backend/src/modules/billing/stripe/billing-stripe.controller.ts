import { Body, Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CheckPolicies, Public, TenantScoped } from '../../../authz/decorators';
import { CurrentCaller } from '../../../common/context/caller.decorator';
import type { Caller } from '../../../common/context/request-context';
import { ApiProblems } from '../../../common/http/api-problems.decorator';
import '../billing.errors';
import { BillingStripeService } from './billing-stripe.service';
import { StripeWebhooksService } from './stripe-webhooks.service';
import { CheckoutDto } from './dto/checkout.dto';
import { BillingUrlResponseDto, StripeWebhookResponseDto } from './dto/billing-stripe.response.dto';

/** Paying through Stripe: Checkout to subscribe, the Customer Portal to change or cancel (OWNER). */
@ApiTags('billing')
@TenantScoped()
@CheckPolicies((a) => a.can('manage', 'Billing'))
@Controller('billing')
export class BillingStripeController {
  constructor(private readonly stripe: BillingStripeService) {}

  /**
   * Starts a Stripe Checkout (subscription mode) for a plan and interval and returns the page to
   * redirect to; the plan changes when Stripe's webhook reports the subscription (OWNER). 409
   * `billing_not_configured` without Stripe or without the plan's price, `billing_same_plan` for
   * the plan and interval already billed; 502 `stripe_unavailable` when Stripe fails.
   */
  @Post('checkout')
  @ApiProblems(400, 401, 403, 404, 'billing_not_configured', 'billing_same_plan', 'stripe_unavailable')
  checkout(@CurrentCaller() caller: Caller, @Body() dto: CheckoutDto): Promise<BillingUrlResponseDto> {
    return this.stripe.checkout(caller, dto);
  }

  /**
   * Opens the Stripe Customer Portal (change plan or card, cancel, invoices) and returns its URL
   * (OWNER). 409 `no_subscription` before the first Checkout.
   */
  @Post('portal')
  @ApiProblems(401, 403, 404, 'billing_not_configured', 'no_subscription', 'stripe_unavailable')
  portal(@CurrentCaller() caller: Caller): Promise<BillingUrlResponseDto> {
    return this.stripe.portal(caller);
  }
}

/** Stripe's webhook endpoint: unauthenticated, trusted only through the signature. */
@ApiTags('billing')
@Controller('billing/webhooks')
export class StripeWebhookController {
  constructor(private readonly stripe: StripeWebhooksService) {}

  /**
   * Receives Stripe events (docs/billing.md lists the ones to subscribe to). The `Stripe-Signature`
   * header is verified on the exact body with `STRIPE_WEBHOOK_SECRET`: missing, bad, stale or
   * unconfigured → 400 `stripe_signature_invalid`, nothing stored. Each event id is applied once
   * (a replay answers 200 with `duplicate: true`); the subscription's current state is retrieved
   * from Stripe, so events arriving out of order cannot move it backwards. 502 when Stripe cannot
   * be reached: nothing was stored, and Stripe delivers the event again.
   */
  @Post('stripe')
  @Public()
  @HttpCode(200)
  @ApiHeader({
    name: 'Stripe-Signature',
    required: true,
    description: "Stripe's signature of the raw body: `t=<unix time>,v1=<HMAC-SHA256 hex>`",
  })
  @ApiBody({
    description:
      'A Stripe event object (`{id, object: "event", type, data: {object}, …}`), as Stripe sent it',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({ type: StripeWebhookResponseDto })
  @ApiProblems('stripe_signature_invalid', 'malformed_json', 'stripe_unavailable')
  webhook(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<StripeWebhookResponseDto> {
    return this.stripe.handleWebhook(req.rawBody, signature);
  }
}
