import { Module } from '@nestjs/common';
import { BillingRepository } from './billing.repository';

/**
 * Plans, limits and subscriptions (docs/billing.md). Other modules import it for the plan limit
 * check that runs in the same transaction as their insert.
 */
@Module({
  providers: [BillingRepository],
  exports: [BillingRepository],
})
export class BillingModule {}
