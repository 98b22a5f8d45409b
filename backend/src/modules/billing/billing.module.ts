import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingRepository } from './billing.repository';
import { BillingStripeController, StripeWebhookController } from './stripe/billing-stripe.controller';
import { BillingStripeService } from './stripe/billing-stripe.service';
import { StripeEventsRepository } from './stripe/stripe-events.repository';
import { stripeClientProvider } from './stripe/stripe.client';

/**
 * Plans, limits and subscriptions (docs/billing.md). Other modules import it for the plan limit
 * check that runs in the same transaction as their insert.
 */
@Module({
  imports: [AuditModule],
  controllers: [BillingStripeController, StripeWebhookController],
  providers: [BillingRepository, stripeClientProvider, BillingStripeService, StripeEventsRepository],
  exports: [BillingRepository],
})
export class BillingModule {}
