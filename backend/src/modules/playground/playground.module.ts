import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { PromptsModule } from '../prompts/prompts.module';
import { ProviderKeysModule } from '../provider-keys/provider-keys.module';
import { PlaygroundController } from './playground.controller';
import { PlaygroundService } from './playground.service';
import { RunResponder } from './run-responder';
import { RunsRepository } from './runs.repository';

/**
 * Models, estimates, runs (streaming), comparisons and the runs list (docs/playground.md). The AI
 * evaluator (modules/evaluations) reuses its key resolution, after-commit responder and runs.
 */
@Module({
  imports: [PromptDataModule, PromptsModule, ProviderKeysModule, UsageModule],
  controllers: [PlaygroundController],
  providers: [PlaygroundService, RunResponder, RunsRepository],
  exports: [PlaygroundService, RunResponder],
})
export class PlaygroundModule {}
