import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** A row of `collections` with its prompt count: the one definition of a collection's shape. */
export interface CollectionRow {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  prompt_count: number;
}

export type CollectionNode = Pick<CollectionRow, 'id' | 'parent_id' | 'name' | 'created_by'>;

// Prompts' row-level security applies inside the count: others' private prompts are not counted.
const SELECT = `
  SELECT c.id, c.name, c.description, c.parent_id, c.created_by, c.created_at, c.updated_at,
         (SELECT count(*) FROM prompts p WHERE p.collection_id = c.id)::int AS prompt_count
    FROM collections c`;

/** Nested collections; sibling names are unique regardless of case (`collections_org_parent_name_key`). */
@Injectable()
export class CollectionsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** The whole tree, flat, sorted by name. */
  all(organizationId: string): Promise<CollectionRow[]> {
    return this.em.query<CollectionRow[]>(
      `${SELECT} WHERE c.organization_id = $1 ORDER BY lower(c.name), c.id`,
      [organizationId],
    );
  }

  async find(organizationId: string, id: string): Promise<CollectionRow | undefined> {
    const [row] = await this.em.query<CollectionRow[]>(
      `${SELECT} WHERE c.organization_id = $1 AND c.id = $2`,
      [organizationId, id],
    );
    return row;
  }

  /** Fails with the unique violation `collections_org_parent_name_key` when a sibling has the name. */
  async insert(values: {
    organizationId: string;
    name: string;
    description: string | null;
    parentId: string | null;
    createdBy: string;
  }): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO collections (organization_id, name, description, parent_id, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [values.organizationId, values.name, values.description, values.parentId, values.createdBy],
    );
    return row.id;
  }

  async update(
    id: string,
    change: { name?: string; description?: string | null; parent_id?: string | null },
  ): Promise<void> {
    const columns = Object.keys(change) as Array<keyof typeof change>;
    await this.em.query(
      `UPDATE collections SET ${[...columns.map((c, i) => `${c} = $${i + 2}`), 'updated_at = now()'].join(', ')}
        WHERE id = $1`,
      [id, ...columns.map((c) => change[c])],
    );
  }

  async delete(id: string): Promise<void> {
    await this.em.query(`DELETE FROM collections WHERE id = $1`, [id]);
  }

  /** The subtree under `id` (itself included), deepest first: children must go before parents. */
  subtree(organizationId: string, id: string): Promise<CollectionNode[]> {
    return this.em.query<CollectionNode[]>(
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
  }

  /** Whether `id` is `startId` or one of its ancestors (walking parent links up to the root). */
  async onPathToRoot(organizationId: string, startId: string, id: string): Promise<boolean> {
    const [row] = await this.em.query<Array<{ found: boolean }>>(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id FROM collections WHERE organization_id = $1 AND id = $2
         UNION ALL
         SELECT c.id, c.parent_id FROM collections c JOIN up ON c.id = up.parent_id
          WHERE c.organization_id = $1
       )
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $3) AS found`,
      [organizationId, startId, id],
    );
    return !!row?.found;
  }
}
