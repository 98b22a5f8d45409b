import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, DomainException } from '../../common/errors/domain.exception';
import { BulkPromptsDto, BulkResultDto } from './dto/prompts-bulk.dto';
import { PromptAccess } from './prompt-access.service';
import { PromptTagging } from './prompt-tagging.service';
import { PromptsRepository } from './prompts.repository';
import { PromptsService } from './prompts.service';

/**
 * Applies one action to many prompts. Each id runs through the PromptsService method a
 * single-prompt request would use (so rights, audit, outbox and versioning rules stay in one
 * place) inside its own SAVEPOINT: a failing id is rolled back and reported, the others commit.
 */
@Injectable()
export class PromptsBulkService {
  constructor(
    private readonly prompts: PromptsService,
    private readonly repo: PromptsRepository,
    private readonly access: PromptAccess,
    private readonly tagging: PromptTagging,
  ) {}

  async apply(caller: Caller, dto: BulkPromptsDto): Promise<BulkResultDto> {
    this.checkShape(dto);
    if (dto.action === 'move' && dto.collectionId) await this.assertCollection(caller, dto.collectionId);
    const result: BulkResultDto = { succeeded: [], failed: [] };
    // Every prompt first, then the writes: once the first id's write holds the organization's
    // audit chain lock, locking the next id's row could wait for a request that waits for it.
    await this.repo.lockVisibleMany(caller, dto.ids);
    for (const id of dto.ids) {
      try {
        await this.repo.inSavepoint('bulk_item', () => this.applyOne(caller, id, dto));
        result.succeeded.push(id);
      } catch (err) {
        // Only refusals of this one id are reported; anything unexpected fails the whole request.
        if (!(err instanceof DomainException)) throw err;
        result.failed.push({ id, status: err.status, detail: err.message });
      }
    }
    return result;
  }

  private async applyOne(caller: Caller, id: string, dto: BulkPromptsDto): Promise<void> {
    switch (dto.action) {
      case 'tag':
        await this.prompts.update(caller, id, { tags: [...(await this.tagNames(caller, id)), ...dto.tags!] });
        return;
      case 'untag': {
        const drop = new Set(dto.tags!.map((n) => n.trim().toLowerCase()));
        const kept = (await this.tagNames(caller, id)).filter((n) => !drop.has(n.toLowerCase()));
        await this.prompts.update(caller, id, { tags: kept });
        return;
      }
      case 'move':
        await this.prompts.update(caller, id, { collectionId: dto.collectionId ?? null });
        return;
      case 'archive':
        await this.prompts.update(caller, id, { status: 'archived' });
        return;
      case 'publish':
        await this.prompts.update(caller, id, { status: 'published' });
        return;
      case 'delete':
        await this.prompts.remove(caller, id);
        return;
    }
  }

  /** The prompt's tag names (404 first if the caller cannot see it). */
  private async tagNames(caller: Caller, id: string): Promise<string[]> {
    await this.access.loadVisible(caller, id);
    return this.tagging.names(id);
  }

  /** `tags` belongs to tag/untag and `collectionId` to move only: a stray one is a client mistake. */
  private checkShape(dto: BulkPromptsDto): void {
    const errors = [];
    if (dto.tags !== undefined && dto.action !== 'tag' && dto.action !== 'untag')
      errors.push({ field: 'tags', message: 'tags is only used by the tag and untag actions' });
    if (dto.collectionId !== undefined && dto.action !== 'move')
      errors.push({ field: 'collectionId', message: 'collectionId is only used by the move action' });
    if (dto.action === 'move' && dto.collectionId === undefined)
      errors.push({ field: 'collectionId', message: 'collectionId is required for move (null to unfile)' });
    if (errors.length)
      throw new AppException('validation_failed', 'The bulk request has invalid fields', { errors: errors });
  }

  /** One check for the whole request instead of the same 400 repeated for every id. */
  private async assertCollection(caller: Caller, collectionId: string): Promise<void> {
    if (!(await this.repo.collectionExists(caller.organizationId, collectionId)))
      throw new AppException('validation_failed', 'The collection was not found', {
        errors: [
          { field: 'collectionId', message: 'collectionId must be a collection of this organization' },
        ],
      });
  }
}
