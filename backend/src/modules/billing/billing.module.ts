import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { PlanLimitsService } from './plan-limits.service';

/**
 * Plans, limits and subscriptions (docs/billing.md). Other modules import it for the plan limit
 * check (`PlanLimitsService`) that runs in the same transaction as their insert.
 */
@Module({
  imports: [AuditModule],
  controllers: [BillingController],
  providers: [BillingRepository, BillingService, PlanLimitsService],
  exports: [BillingRepository, BillingService, PlanLimitsService],
})
export class BillingModule {}
