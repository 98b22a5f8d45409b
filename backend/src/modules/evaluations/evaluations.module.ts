import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { PlaygroundModule } from '../playground/playground.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { OUTPUT_GRADER } from '../test-runs/output-grader';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsService } from './evaluations.service';

/** The AI evaluator and its stored evaluations (docs/playground.md, "AI evaluator"). */
@Module({
  imports: [PromptDataModule, PlaygroundModule, BillingModule, AuditModule, UsageModule],
  controllers: [EvaluationsController],
  // Test runs grade outputs through OUTPUT_GRADER (found at run time; neither module imports the other).
  providers: [
    EvaluationsService,
    EvaluationsRepository,
    { provide: OUTPUT_GRADER, useExisting: EvaluationsService },
  ],
  exports: [OUTPUT_GRADER],
})
export class EvaluationsModule {}
