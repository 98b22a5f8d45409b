import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { PromptsModule } from '../prompts/prompts.module';
import { TestRunsModule } from '../test-runs/test-runs.module';
import { VersionsController } from './versions.controller';
import { RuntimeFetchService } from './runtime-fetch.service';
import { VersionsService } from './versions.service';

/** Version history, diffs, reverts, release labels and the runtime fetch by slug. */
@Module({
  imports: [
    AuditModule,
    BillingModule,
    OrganizationsModule,
    OutboxModule,
    PromptsModule,
    PromptDataModule,
    TestRunsModule,
    UsageModule,
  ],
  controllers: [VersionsController],
  providers: [VersionsService, RuntimeFetchService],
  exports: [VersionsService],
})
export class VersionsModule {}
