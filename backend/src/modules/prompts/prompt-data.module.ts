import { Module } from '@nestjs/common';
import { VersionsRepository } from '../versions/versions.repository';
import { PromptAccess } from './prompt-access.service';
import { PromptTaxonomyRepository } from './prompt-taxonomy.repository';
import { PromptsRepository } from './prompts.repository';

/**
 * The prompt and version repositories and the visibility/rights checks built on them, without
 * controllers: modules that work on a prompt (versions, comments, bulk) import this instead of
 * PromptsModule, so importing it never changes the order in which prompt routes are registered.
 * Versions are written by the prompt's save in the same transaction, hence one module for both.
 */
@Module({
  providers: [PromptsRepository, PromptTaxonomyRepository, VersionsRepository, PromptAccess],
  exports: [PromptsRepository, PromptTaxonomyRepository, VersionsRepository, PromptAccess],
})
export class PromptDataModule {}
