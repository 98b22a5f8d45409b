import { Module } from '@nestjs/common';
import { SecurityModule } from '../../common/security/security.module';
import { AuditModule } from '../audit/audit.module';
import { BillingController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { PlanLimitsService } from './plan-limits.service';
import { BillingStripeController, StripeWebhookController } from './stripe/billing-stripe.controller';
import { BillingStripeService } from './stripe/billing-stripe.service';
import { StripeAccess } from './stripe/stripe-access';
import { StripeWebhooksService } from './stripe/stripe-webhooks.service';
import { StripeEventsRepository } from './stripe/stripe-events.repository';
import { stripeClientProvider } from './stripe/stripe.client';

/**
 * Plans, limits and subscriptions (docs/billing.md). Other modules import it for the plan limit
 * check (`PlanLimitsService`) that runs in the same transaction as their insert.
 */
@Module({
  imports: [AuditModule, SecurityModule],
  controllers: [BillingController, BillingStripeController, StripeWebhookController],
  providers: [
    BillingRepository,
    BillingService,
    PlanLimitsService,
    stripeClientProvider,
    StripeAccess,
    BillingStripeService,
    StripeWebhooksService,
    StripeEventsRepository,
  ],
  exports: [BillingService, PlanLimitsService],
})
export class BillingModule {}
