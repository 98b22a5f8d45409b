import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainException, AppException } from '../../common/errors/domain.exception';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { BulkPromptsDto, BulkResultDto } from './dto/prompts-bulk.dto';
import { PromptsService } from './prompts.service';

/**
 * Applies one action to many prompts. Each id runs through the same PromptsService method a
 * single-prompt request would use (so rights, audit, outbox and versioning rules stay in one
 * place) inside its own SAVEPOINT: a failing id is rolled back and reported, the others commit.
 */
@Injectable()
export class PromptsBulkService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly prompts: PromptsService,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async apply(dto: BulkPromptsDto): Promise<BulkResultDto> {
    this.checkShape(dto);
    if (dto.action === 'move' && dto.collectionId) await this.assertCollection(dto.collectionId);
    const result: BulkResultDto = { succeeded: [], failed: [] };
    for (const id of dto.ids) {
      await this.em.query('SAVEPOINT bulk_item');
      try {
        await this.applyOne(id, dto);
        await this.em.query('RELEASE SAVEPOINT bulk_item');
        result.succeeded.push(id);
      } catch (err) {
        await this.em.query('ROLLBACK TO SAVEPOINT bulk_item');
        // Only refusals of this one id are reported; anything unexpected fails the whole request.
        if (!(err instanceof DomainException)) throw err;
        result.failed.push({ id, status: err.status, detail: err.message });
      }
    }
    return result;
  }

  private async applyOne(id: string, dto: BulkPromptsDto): Promise<void> {
    switch (dto.action) {
      case 'tag':
        await this.prompts.addTags(id, dto.tags!);
        return;
      case 'untag':
        await this.prompts.removeTags(id, dto.tags!);
        return;
      case 'move':
        await this.prompts.move(id, dto.collectionId ?? null);
        return;
      case 'archive':
        await this.prompts.setStatus(id, 'archived');
        return;
      case 'publish':
        await this.prompts.setStatus(id, 'published');
        return;
      case 'delete':
        await this.prompts.remove(id);
        return;
    }
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
  private async assertCollection(collectionId: string): Promise<void> {
    const [found]: unknown[] = await this.em.query(
      `SELECT 1 FROM collections WHERE id = $1 AND organization_id = $2`,
      [collectionId, this.transactions.scope.organizationId],
    );
    if (!found)
      throw new AppException('validation_failed', 'The collection was not found', {
        errors: [
          { field: 'collectionId', message: 'collectionId must be a collection of this organization' },
        ],
      });
  }
}
