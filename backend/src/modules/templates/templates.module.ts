import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PromptsModule } from '../prompts/prompts.module';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** Starter templates: a static catalogue, copied into an organization through PromptsService. */
@Module({
  imports: [AuditModule, PromptsModule],
  controllers: [TemplatesController],
  providers: [TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
