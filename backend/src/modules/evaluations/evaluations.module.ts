import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { PlaygroundModule } from '../playground/playground.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsService } from './evaluations.service';

/** The AI evaluator and its stored evaluations (docs/playground.md, "AI evaluator"). */
@Module({
  imports: [PromptDataModule, PlaygroundModule, BillingModule, AuditModule],
  controllers: [EvaluationsController],
  providers: [EvaluationsService, EvaluationsRepository],
})
export class EvaluationsModule {}
