import { Module } from '@nestjs/common';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { PromptDataModule } from './prompt-data.module';
import { PromptCreationService } from './prompt-creation.service';
import { PromptFavorites } from './prompt-favorites.service';
import { OutboxModule } from '../outbox/outbox.module';
import { PromptStats } from './prompt-stats';
import { PromptTagging } from './prompt-tagging.service';
import { PromptsController } from './prompts.controller';
import { PromptsService } from './prompts.service';
import { TestCasesRepository } from './test-cases.repository';
import { TestCasesService } from './test-cases.service';

/** Prompts, their variables, rendering, favorites and test cases (versions live in VersionsModule). */
@Module({
  imports: [AuditModule, BillingModule, OutboxModule, PromptDataModule, TaxonomyModule, UsageModule],
  controllers: [PromptsController],
  providers: [
    PromptsService,
    PromptCreationService,
    PromptFavorites,
    PromptTagging,
    PromptStats,
    TestCasesService,
    TestCasesRepository,
  ],
  exports: [PromptsService, PromptCreationService, PromptTagging, PromptStats, TestCasesService],
})
export class PromptsModule {}
