import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { VersionsRepository } from '../versions/versions.repository';
import { PromptAccess } from './prompt-access.service';
import { PromptStats } from './prompt-stats';
import { PromptTagging } from './prompt-tagging.service';
import { PromptsController } from './prompts.controller';
import { PromptsRepository } from './prompts.repository';
import { PromptsService } from './prompts.service';
import { TestCasesRepository } from './test-cases.repository';
import { TestCasesService } from './test-cases.service';

/**
 * Prompts, their variables, rendering, favorites and test cases (version routes live in
 * VersionsModule). A prompt's save writes its version in the same transaction, so the versions
 * repository is provided here, next to the prompts repository, and exported with PromptAccess for
 * the modules that read prompts and versions (versions, bulk).
 */
@Module({
  imports: [AuditModule],
  controllers: [PromptsController],
  providers: [
    PromptsService,
    PromptsRepository,
    VersionsRepository,
    PromptAccess,
    PromptTagging,
    PromptStats,
    TestCasesService,
    TestCasesRepository,
  ],
  exports: [PromptsService, PromptsRepository, VersionsRepository, PromptAccess, PromptTagging, PromptStats],
})
export class PromptsModule {}
