import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { TagsService } from '../taxonomy/tags.service';
import { PromptsRepository } from './prompts.repository';

/** A prompt's tags: tagging creates missing tags the way POST /tags does, with the same trail. */
@Injectable()
export class PromptTagging {
  constructor(
    private readonly prompts: PromptsRepository,
    private readonly tags: TagsService,
  ) {}

  async names(promptId: string): Promise<string[]> {
    return (await this.prompts.tags(promptId)).map((t) => t.name);
  }

  /**
   * Makes the prompt's tags exactly `names` (created when new: case-insensitively unique, the first
   * spelling wins). Answers whether anything changed.
   */
  async replace(caller: Caller, promptId: string, names: string[]): Promise<boolean> {
    const wanted = new Map<string, string>();
    for (const n of names.map((s) => s.trim()).filter(Boolean)) {
      if (!wanted.has(n.toLowerCase())) wanted.set(n.toLowerCase(), n);
    }
    const current = await this.prompts.tags(promptId);
    const have = new Set(current.map((c) => c.name.toLowerCase()));
    const missing = [...wanted.keys()].filter((k) => !have.has(k));
    const extra = current.filter((c) => !wanted.has(c.name.toLowerCase()));
    if (!missing.length && !extra.length) return false;
    if (missing.length) {
      requireAccess(caller, 'create', 'Tag', 'Your role may not create tags');
      await this.tags.createForTagging(
        caller.organizationId,
        missing.map((k) => wanted.get(k)!),
      );
      await this.prompts.attachTags(caller.organizationId, promptId, missing);
    }
    if (extra.length)
      await this.prompts.detachTags(
        promptId,
        extra.map((e) => e.tag_id),
      );
    return true;
  }
}
