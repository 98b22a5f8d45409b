import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { MailModule } from '../mail/mail.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OutboxModule } from '../outbox/outbox.module';
import { BudgetRepository } from './budget.repository';
import { BudgetService } from './budget.service';
import { UsageIngestService } from './usage-ingest.service';
import { UsageRecorder } from './usage-recorder';
import { UsageRetention } from './usage-retention';
import { UsageRepository } from './usage.repository';

/**
 * Recording usage and enforcing budgets, without routes and without depending on prompts: the
 * modules that produce usage (prompts, versions, search, playground, evaluations) import this one.
 */
@Module({
  imports: [AuditModule, BillingModule, MailModule, OrganizationsModule, OutboxModule],
  providers: [
    UsageRepository,
    UsageRecorder,
    UsageRetention,
    UsageIngestService,
    BudgetRepository,
    BudgetService,
  ],
  exports: [UsageRecorder, BudgetService, UsageIngestService],
})
export class UsageModule {}
