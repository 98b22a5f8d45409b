import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PromptsModule } from '../prompts/prompts.module';
import { VersionsController } from './versions.controller';
import { VersionsService } from './versions.service';

/**
 * Version history, diffs, reverts, release labels and the runtime fetch by slug. The versions
 * repository comes from PromptsModule: a prompt's save writes its version in the same transaction.
 */
@Module({
  imports: [AuditModule, PromptsModule],
  controllers: [VersionsController],
  providers: [VersionsService],
  exports: [VersionsService],
})
export class VersionsModule {}
