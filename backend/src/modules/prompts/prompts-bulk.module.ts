import { Module } from '@nestjs/common';
import { PromptDataModule } from './prompt-data.module';
import { PromptsBulkController } from './prompts-bulk.controller';
import { PromptsBulkService } from './prompts-bulk.service';
import { PromptsModule } from './prompts.module';

/** `POST /prompts/bulk`, built on the PromptsService methods that single-prompt routes use. */
@Module({
  imports: [PromptsModule, PromptDataModule],
  controllers: [PromptsBulkController],
  providers: [PromptsBulkService],
})
export class PromptsBulkModule {}
