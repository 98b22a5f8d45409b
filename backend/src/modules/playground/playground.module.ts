import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { PromptsModule } from '../prompts/prompts.module';
import { ProviderKeysModule } from '../provider-keys/provider-keys.module';
import { ModelPricesController } from './model-prices.controller';
import { ModelPricesRepository } from './model-prices.repository';
import { ModelPricesService } from './model-prices.service';
import { PlaygroundController } from './playground.controller';
import { PlaygroundService } from './playground.service';
import { RunStore } from './run-store';
import { ProviderCallResolver } from './provider-call-resolver';
import { RunReadsRepository } from './run-reads.repository';
import { RunResponder } from './run-responder';
import { RunsRepository } from './runs.repository';
import { RunsService } from './runs.service';

/**
 * Models and their prices (the organization's own included), estimates, runs (streaming),
 * comparisons and the runs list (docs/playground.md). The AI evaluator (modules/evaluations) and
 * test runs reuse its key resolution (`ProviderCallResolver`), after-commit responder, run
 * execution and run reads (`RunsService`).
 */
@Module({
  imports: [AuditModule, PromptDataModule, PromptsModule, ProviderKeysModule, UsageModule],
  controllers: [PlaygroundController, ModelPricesController],
  providers: [
    PlaygroundService,
    RunStore,
    ProviderCallResolver,
    RunResponder,
    RunReadsRepository,
    RunsRepository,
    RunsService,
    ModelPricesService,
    ModelPricesRepository,
  ],
  exports: [PlaygroundService, ProviderCallResolver, RunResponder, RunsService],
})
export class PlaygroundModule {}
