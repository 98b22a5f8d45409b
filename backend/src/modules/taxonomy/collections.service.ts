import { RequestContext } from '../../common/context/request-context';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppAbility, defineAbilityFor } from '../../authz/ability.factory';
import { notFound, AppException } from '../../common/errors/domain.exception';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { CreateCollectionDto, UpdateCollectionDto } from './dto/taxonomy.dto';
import { CollectionResponseDto } from './dto/taxonomy.response.dto';
import { Collection } from './entities/collection.entity';
import { PromptIndex } from './prompt-index';

interface CollectionRow {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  prompt_count: number;
}

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

// Prompts' row-level security applies inside the count: others' private prompts are not counted.
const SELECT = `
  SELECT c.id, c.name, c.description, c.parent_id, c.created_by, c.created_at, c.updated_at,
         (SELECT count(*) FROM prompts p WHERE p.collection_id = c.id)::int AS prompt_count
    FROM collections c`;

/**
 * Nested collections. Any EDITOR+ creates them; OWNER/ADMIN or the creator edit and delete them.
 * The tree never gets a cycle, and deleting never deletes prompts: they become unfiled.
 */
@Injectable()
export class CollectionsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
    private readonly context: RequestContext,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** The whole tree, flat, sorted by name. */
  async list(organizationId: string): Promise<CollectionResponseDto[]> {
    const rows: CollectionRow[] = await this.em.query(
      `${SELECT} WHERE c.organization_id = $1 ORDER BY lower(c.name), c.id`,
      [organizationId],
    );
    return rows.map(toDto);
  }

  async create(
    organizationId: string,
    userId: string,
    dto: CreateCollectionDto,
  ): Promise<CollectionResponseDto> {
    if (dto.parentId) await this.find(organizationId, dto.parentId, 'Parent collection');
    const collection = this.em.create(Collection, {
      organizationId,
      name: dto.name,
      description: dto.description ?? null,
      parentId: dto.parentId ?? null,
      createdById: userId,
    });
    await this.write(dto.name, () => this.em.insert(Collection, collection));
    await this.audit.record({
      action: 'collection.created',
      target: { type: 'collection', id: collection.id },
      changes: { name: collection.name, description: collection.description, parentId: collection.parentId },
    });
    return this.get(organizationId, collection.id);
  }

  async update(organizationId: string, id: string, dto: UpdateCollectionDto): Promise<CollectionResponseDto> {
    const collection = await this.find(organizationId, id);
    this.authorize('update', collection);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (dto.name !== undefined && dto.name !== collection.name)
      changes.name = { from: collection.name, to: dto.name };
    if (dto.description !== undefined && dto.description !== collection.description)
      changes.description = { from: collection.description, to: dto.description };
    if (dto.parentId !== undefined && dto.parentId !== collection.parentId) {
      if (dto.parentId !== null) await this.assertMovable(organizationId, collection, dto.parentId);
      changes.parentId = { from: collection.parentId, to: dto.parentId };
    }
    if (Object.keys(changes).length) {
      await this.write(dto.name ?? collection.name, () =>
        this.em.update(
          Collection,
          { id },
          {
            ...(changes.name ? { name: dto.name } : {}),
            ...(changes.description ? { description: dto.description } : {}),
            ...(changes.parentId ? { parentId: dto.parentId } : {}),
          },
        ),
      );
      await this.audit.record({ action: 'collection.updated', target: { type: 'collection', id }, changes });
    }
    return this.get(organizationId, id);
  }

  /**
   * Without `cascade`, only an empty collection (no sub-collections, no prompts) is deleted.
   * With it, the whole subtree goes and every prompt filed anywhere in it becomes unfiled.
   */
  async remove(organizationId: string, id: string, cascade: boolean): Promise<void> {
    const root = await this.find(organizationId, id);
    this.authorize('delete', root);
    // The subtree, deepest first: parent_id is ON DELETE RESTRICT, so children must go before parents.
    const rows: Array<{ id: string; parent_id: string | null; name: string; created_by: string | null }> =
      await this.em.query(
        `WITH RECURSIVE sub AS (
           SELECT id, parent_id, name, created_by, 0 AS depth FROM collections
            WHERE organization_id = $1 AND id = $2
           UNION ALL
           SELECT c.id, c.parent_id, c.name, c.created_by, sub.depth + 1 FROM collections c
             JOIN sub ON c.parent_id = sub.id
            WHERE c.organization_id = $1
         )
         SELECT id, parent_id, name, created_by FROM sub ORDER BY depth DESC, id`,
        [organizationId, id],
      );
    const subtree = rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      createdById: r.created_by,
    }));
    const ids = subtree.map((c) => c.id);
    // Others' private prompts count as content too: the index must follow them when they are unfiled.
    const filed = await this.index.idsOf('p.collection_id = ANY($1::uuid[])', [ids]);

    if (!cascade && (subtree.length > 1 || filed.length)) {
      const parts = [
        subtree.length > 1 ? `${subtree.length - 1} sub-collection(s)` : '',
        filed.length ? `${filed.length} prompt(s)` : '',
      ].filter(Boolean);
      throw new AppException(
        'conflict',
        `The collection contains ${parts.join(' and ')}; delete with ?cascade=true to remove the sub-collections and unfile the prompts`,
      );
    }
    for (const c of subtree) if (c.id !== id) this.authorize('delete', c);

    const unfiled = filed.length ? await this.index.unfile(ids) : [];
    for (const c of subtree) {
      await this.em.delete(Collection, { id: c.id });
      await this.audit.record({
        action: 'collection.deleted',
        target: { type: 'collection', id: c.id },
        changes: {
          name: c.name,
          parentId: c.parentId,
          ...(c.id === id
            ? { cascade, subCollections: subtree.length - 1, unfiledPrompts: unfiled.length }
            : { deletedWith: id }),
        },
      });
    }
    await this.index.changed(unfiled, 'collection.deleted');
  }

  private async get(organizationId: string, id: string): Promise<CollectionResponseDto> {
    const [row]: CollectionRow[] = await this.em.query(
      `${SELECT} WHERE c.organization_id = $1 AND c.id = $2`,
      [organizationId, id],
    );
    if (!row) throw notFound('Collection');
    return toDto(row);
  }

  private async find(organizationId: string, id: string, what = 'Collection'): Promise<Collection> {
    const collection = await this.em.findOneBy(Collection, { organizationId, id });
    if (!collection) throw notFound(what);
    return collection;
  }

  /** The new parent must exist and must not be the collection itself or one of its descendants. */
  private async assertMovable(
    organizationId: string,
    collection: Collection,
    parentId: string,
  ): Promise<void> {
    await this.find(organizationId, parentId, 'Parent collection');
    const [cycle]: Array<{ found: boolean }> = await this.em.query(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id FROM collections WHERE organization_id = $1 AND id = $2
         UNION ALL
         SELECT c.id, c.parent_id FROM collections c JOIN up ON c.id = up.parent_id
          WHERE c.organization_id = $1
       )
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $3) AS found`,
      [organizationId, parentId, collection.id],
    );
    if (cycle?.found)
      throw new AppException(
        'conflict',
        'A collection cannot be moved under itself or one of its own sub-collections',
        { errors: [{ field: 'parentId', message: 'parentId is this collection or one of its descendants' }] },
      );
  }

  private authorize(action: 'update' | 'delete', c: Pick<Collection, 'createdById' | 'name'>): void {
    if (!this.ability().can(action, { __type: 'Collection', createdById: c.createdById })) {
      throw new AppException(
        'forbidden',
        `Only OWNER, ADMIN or the creator may ${action === 'update' ? 'edit' : 'delete'} the collection "${c.name}"`,
      );
    }
  }

  private ability(): AppAbility {
    const tenant = this.context.caller;
    return defineAbilityFor(tenant.role, tenant.userId);
  }

  private async write(name: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (isUniqueViolation(err, 'collections_org_parent_name_key'))
        throw new AppException(
          'conflict',
          `A collection named "${name}" already exists at this place in the tree`,
          { errors: [{ field: 'name', message: 'a sibling collection has this name (names ignore case)' }] },
        );
      throw err;
    }
  }
}
