import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { CategoriesController } from './categories.controller';
import { CategoriesRepository } from './categories.repository';
import { CategoriesService } from './categories.service';
import { CollectionsController } from './collections.controller';
import { CollectionsRepository } from './collections.repository';
import { CollectionsService } from './collections.service';
import { PromptIndex } from './prompt-index';
import { TagsController } from './tags.controller';
import { TagsRepository } from './tags.repository';
import { TagsService } from './tags.service';

/** Tags, categories and nested collections. */
@Module({
  imports: [AuditModule, OutboxModule, PromptDataModule],
  controllers: [TagsController, CategoriesController, CollectionsController],
  providers: [
    TagsService,
    TagsRepository,
    CategoriesService,
    CategoriesRepository,
    CollectionsService,
    CollectionsRepository,
    PromptIndex,
  ],
  exports: [CategoriesService, CollectionsService, TagsService],
})
export class TaxonomyModule {}
