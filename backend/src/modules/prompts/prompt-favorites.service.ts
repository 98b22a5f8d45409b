import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { OutboxService } from '../outbox/outbox.service';
import { FavoriteResponseDto } from './dto/prompt.response.dto';
import { PromptAccess } from './prompt-access.service';
import { promptEvent } from './prompts.mapper';
import { PromptsRepository } from './prompts.repository';

/** Members' favorites; the prompt's favorite count feeds popularity (sort and search ranking). */
@Injectable()
export class PromptFavorites {
  constructor(
    private readonly prompts: PromptsRepository,
    private readonly access: PromptAccess,
    private readonly outbox: OutboxService,
  ) {}

  /** Toggles the caller's favorite; the count is recomputed from the rows, so it cannot drift. */
  async toggle(caller: Caller, id: string): Promise<FavoriteResponseDto> {
    const prompt = await this.access.loadVisible(caller, id);
    requireAccess(caller, 'favorite', 'Prompt', 'Your role may not mark favorites');
    const removed = await this.prompts.removeFavorite(prompt.id, caller.userId);
    if (!removed) await this.prompts.addFavorite(caller, prompt.id);
    const favorites = await this.prompts.recountFavorites(prompt.id);
    await this.outbox.publish(promptEvent('prompt.updated', prompt.id));
    return { favorited: !removed, favorites };
  }
}
