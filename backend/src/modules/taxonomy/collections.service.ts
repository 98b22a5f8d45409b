import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { AuditService } from '../audit/audit.service';
import { CollectionRow, CollectionsRepository } from './collections.repository';
import { CreateCollectionDto, UpdateCollectionDto } from './dto/taxonomy.dto';
import { CollectionResponseDto } from './dto/taxonomy.response.dto';
import { PromptIndex } from './prompt-index';
import { writeName } from './name-writes';
import { TaxonomyException } from './taxonomy.errors';

const toDto = (r: CollectionRow): CollectionResponseDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  parentId: r.parent_id,
  createdById: r.created_by,
  promptCount: Number(r.prompt_count),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Nested collections. Any EDITOR+ creates them; OWNER/ADMIN or the creator edit and delete them.
 * The tree never gets a cycle, and deleting never deletes prompts: they become unfiled.
 */
@Injectable()
export class CollectionsService {
  constructor(
    private readonly collections: CollectionsRepository,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
  ) {}

  /** The whole tree, flat, sorted by name. */
  async list(caller: Caller): Promise<CollectionResponseDto[]> {
    return (await this.collections.all(caller.organizationId)).map(toDto);
  }

  async create(caller: Caller, dto: CreateCollectionDto): Promise<CollectionResponseDto> {
    if (dto.parentId) await this.find(caller, dto.parentId, 'Parent collection');
    const values = {
      organizationId: caller.organizationId,
      name: dto.name,
      description: dto.description ?? null,
      parentId: dto.parentId ?? null,
      createdBy: caller.userId,
    };
    const id = await writeName(this.audit, caller.organizationId, 'collection', dto.name, () =>
      this.collections.insert(values),
    );
    await this.audit.record({
      action: 'collection.created',
      target: { type: 'collection', id },
      changes: { name: values.name, description: values.description, parentId: values.parentId },
    });
    return toDto(await this.find(caller, id));
  }

  async update(caller: Caller, id: string, dto: UpdateCollectionDto): Promise<CollectionResponseDto> {
    const collection = await this.find(caller, id);
    this.authorize(caller, 'update', collection);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (dto.name !== undefined && dto.name !== collection.name)
      changes.name = { from: collection.name, to: dto.name };
    if (dto.description !== undefined && dto.description !== collection.description)
      changes.description = { from: collection.description, to: dto.description };
    if (dto.parentId !== undefined && dto.parentId !== collection.parent_id) {
      if (dto.parentId !== null) await this.assertMovable(caller, collection, dto.parentId);
      changes.parentId = { from: collection.parent_id, to: dto.parentId };
    }
    if (Object.keys(changes).length) {
      await writeName(this.audit, caller.organizationId, 'collection', dto.name ?? collection.name, () =>
        this.collections.update(id, {
          ...(changes.name ? { name: dto.name } : {}),
          ...(changes.description ? { description: dto.description } : {}),
          ...(changes.parentId ? { parent_id: dto.parentId } : {}),
        }),
      );
      await this.audit.record({ action: 'collection.updated', target: { type: 'collection', id }, changes });
    }
    return toDto(await this.find(caller, id));
  }

  /**
   * Without `cascade`, only an empty collection (no sub-collections, no prompts) is deleted.
   * With it, the whole subtree goes and every prompt filed anywhere in it becomes unfiled.
   */
  async remove(caller: Caller, id: string, cascade: boolean): Promise<void> {
    const root = await this.find(caller, id);
    this.authorize(caller, 'delete', root);
    // Deepest first: parent_id is ON DELETE RESTRICT, so children must go before parents.
    const subtree = await this.collections.subtree(caller.organizationId, id);
    const ids = subtree.map((c) => c.id);
    // Others' private prompts count as content too: the index must follow them when they are unfiled.
    const filed = await this.index.prompts.idsInCollections(ids);

    if (!cascade && (subtree.length > 1 || filed.length)) {
      const parts = [
        subtree.length > 1 ? `${subtree.length - 1} sub-collection(s)` : '',
        filed.length ? `${filed.length} prompt(s)` : '',
      ].filter(Boolean);
      throw new TaxonomyException(
        'collection_not_empty',
        `The collection contains ${parts.join(' and ')}; delete with ?cascade=true to remove the sub-collections and unfile the prompts`,
        { extensions: { subCollections: subtree.length - 1, prompts: filed.length } },
      );
    }
    for (const c of subtree) if (c.id !== id) this.authorize(caller, 'delete', c);

    const unfiled = filed.length ? await this.index.prompts.unfile(ids) : [];
    for (const c of subtree) {
      await this.collections.delete(c.id);
      await this.audit.record({
        action: 'collection.deleted',
        target: { type: 'collection', id: c.id },
        changes: {
          name: c.name,
          parentId: c.parent_id,
          ...(c.id === id
            ? { cascade, subCollections: subtree.length - 1, unfiledPrompts: unfiled.length }
            : { deletedWith: id }),
        },
      });
    }
    await this.index.changed(unfiled, 'collection.deleted');
  }

  private async find(caller: Caller, id: string, what = 'Collection'): Promise<CollectionRow> {
    const collection = await this.collections.find(caller.organizationId, id);
    if (!collection) throw notFound(what);
    return collection;
  }

  /** The new parent must exist and must not be the collection itself or one of its descendants. */
  private async assertMovable(caller: Caller, collection: CollectionRow, parentId: string): Promise<void> {
    await this.find(caller, parentId, 'Parent collection');
    if (await this.collections.onPathToRoot(caller.organizationId, parentId, collection.id))
      throw new TaxonomyException(
        'collection_cycle',
        'A collection cannot be moved under itself or one of its own sub-collections',
        { errors: [{ field: 'parentId', message: 'parentId is this collection or one of its descendants' }] },
      );
  }

  private authorize(
    caller: Caller,
    action: 'update' | 'delete',
    c: Pick<CollectionRow, 'created_by' | 'name'>,
  ): void {
    requireAccess(
      caller,
      action,
      { __type: 'Collection', createdById: c.created_by },
      `Only OWNER, ADMIN or the creator may ${action === 'update' ? 'edit' : 'delete'} the collection "${c.name}"`,
    );
  }
}
