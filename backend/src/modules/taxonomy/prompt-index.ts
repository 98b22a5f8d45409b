import { Injectable } from '@nestjs/common';
import { OutboxService } from '../outbox/outbox.service';
import { PromptTaxonomyRepository } from '../prompts/prompt-taxonomy.repository';

/**
 * Taxonomy changes reach into prompts (a renamed tag, a deleted category, a collection whose
 * prompts became unfiled). The prompts' rows are changed through the prompt data layer
 * (`PromptTaxonomyRepository`, which also finds the affected prompts, other members' private ones
 * included); the search index and webhooks learn about it through one `prompt.updated` outbox
 * row per affected prompt, written in the same transaction.
 */
@Injectable()
export class PromptIndex {
  constructor(
    readonly prompts: PromptTaxonomyRepository,
    private readonly outbox: OutboxService,
  ) {}

  /** One `prompt.updated` outbox row per prompt, so search and webhooks follow the change. */
  async changed(promptIds: string[], cause: string): Promise<void> {
    await this.outbox.publishMany(
      promptIds.map((id) => ({
        type: 'prompt.updated',
        aggregateType: 'prompt',
        aggregateId: id,
        payload: { cause },
      })),
    );
  }
}
