import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PromptStats } from './prompt-stats';
import { PromptsController } from './prompts.controller';
import { PromptsService } from './prompts.service';
import { TestCasesService } from './test-cases.service';

/** Prompts, their variables, rendering, favorites and test cases (versions live in VersionsModule). */
@Module({
  imports: [AuditModule, OutboxModule],
  controllers: [PromptsController],
  providers: [PromptsService, PromptStats, TestCasesService],
  exports: [PromptsService, PromptStats],
})
export class PromptsModule {}
