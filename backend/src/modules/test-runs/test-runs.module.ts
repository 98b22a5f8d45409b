import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PlaygroundModule } from '../playground/playground.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { PromptsModule } from '../prompts/prompts.module';
import { PromotionGate } from './promotion-gate';
import { TestRunner } from './test-runner';
import { TestRunResumer, TestRunsProcessor } from './test-runs.processor';
import { TestRunsController } from './test-runs.controller';
import { TestRunsRepository } from './test-runs.repository';
import { TestRunsService } from './test-runs.service';

/**
 * Test runs of saved test cases across models (a queued, resumable job) and the promotion gate
 * (docs/playground.md, "Test runs"). The evaluator for `evaluator_min` comes from whichever module
 * provides OUTPUT_GRADER.
 */
@Module({
  imports: [AuditModule, OrganizationsModule, PlaygroundModule, PromptDataModule, PromptsModule, UsageModule],
  controllers: [TestRunsController],
  providers: [
    TestRunsService,
    TestRunsRepository,
    TestRunner,
    TestRunsProcessor,
    TestRunResumer,
    PromotionGate,
  ],
  exports: [PromotionGate],
})
export class TestRunsModule {}
