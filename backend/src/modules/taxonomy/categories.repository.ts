import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** A row of `categories` with its prompt count: the one definition of a category's shape. */
export interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  prompt_count: number;
}

// Prompts' row-level security applies inside the count: others' private prompts are not counted.
const SELECT = `
  SELECT c.id, c.name, c.description, c.created_at, c.updated_at,
         (SELECT count(*) FROM prompts p WHERE p.category_id = c.id)::int AS prompt_count
    FROM categories c`;

/** Categories; names are unique regardless of case (`categories_org_name_key`). */
@Injectable()
export class CategoriesRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Sorted by name after a (lower(name), id) cursor; one row more than `limit`. */
  page(organizationId: string, limit: number, cursor?: { n: string; id: string }): Promise<CategoryRow[]> {
    const params: unknown[] = [organizationId, limit + 1];
    if (cursor) params.push(cursor.n, cursor.id);
    return this.em.query<CategoryRow[]>(
      `${SELECT} WHERE c.organization_id = $1 ${cursor ? 'AND (lower(c.name), c.id) > ($3, $4::uuid)' : ''}
        ORDER BY lower(c.name), c.id LIMIT $2`,
      params,
    );
  }

  async find(organizationId: string, id: string): Promise<CategoryRow | undefined> {
    const [row] = await this.em.query<CategoryRow[]>(`${SELECT} WHERE c.organization_id = $1 AND c.id = $2`, [
      organizationId,
      id,
    ]);
    return row;
  }

  /** Fails with the unique violation `categories_org_name_key` when the name is taken. */
  async insert(organizationId: string, name: string, description: string | null): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO categories (organization_id, name, description) VALUES ($1, $2, $3) RETURNING id`,
      [organizationId, name, description],
    );
    return row.id;
  }

  async update(id: string, change: { name?: string; description?: string | null }): Promise<void> {
    const columns = Object.keys(change) as Array<keyof typeof change>;
    await this.em.query(
      `UPDATE categories SET ${[...columns.map((c, i) => `${c} = $${i + 2}`), 'updated_at = now()'].join(', ')}
        WHERE id = $1`,
      [id, ...columns.map((c) => change[c])],
    );
  }

  /** The foreign key (ON DELETE SET NULL) uncategorizes every prompt, private ones included. */
  async delete(id: string): Promise<void> {
    await this.em.query(`DELETE FROM categories WHERE id = $1`, [id]);
  }
}
