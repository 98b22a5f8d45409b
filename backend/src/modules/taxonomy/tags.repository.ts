import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** A row of `tags` with its usage: the one definition of a tag's shape. */
export interface TagRow {
  id: string;
  name: string;
  created_at: Date;
  /** Prompts the caller can see that carry the tag. */
  usage: number;
}

// Prompts' row-level security applies inside the count: others' private prompts are not counted.
const SELECT = `SELECT t.id, t.name, t.created_at,
              (SELECT count(*) FROM prompt_tags pt JOIN prompts p ON p.id = pt.prompt_id
                WHERE pt.tag_id = t.id)::int AS usage
         FROM tags t`;

/**
 * A tag is shown when no prompt carries it yet, or when a prompt the caller can see does. A tag
 * carried only by others' private prompts is not shown: its name is private content (issue 16,
 * item 12). prompt_tags rows are visible to the whole organization, prompts only under their
 * privacy policy, so the two EXISTS tell "used at all" from "used where the caller can see".
 */
const SHOWN = `(NOT EXISTS (SELECT 1 FROM prompt_tags pt WHERE pt.tag_id = t.id)
          OR EXISTS (SELECT 1 FROM prompt_tags pt JOIN prompts p ON p.id = pt.prompt_id WHERE pt.tag_id = t.id))`;

const likePrefix = (s: string) => `${s.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

/** Tags of an organization; names are unique regardless of case (`tags_org_name_key`). */
@Injectable()
export class TagsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Sorted by name after a (lower(name), id) cursor, optionally by name prefix; one row more than `limit`. */
  page(
    organizationId: string,
    limit: number,
    cursor?: { n: string; id: string },
    prefix?: string,
  ): Promise<TagRow[]> {
    const params: unknown[] = [organizationId, limit + 1];
    const where = ['t.organization_id = $1', SHOWN];
    if (prefix) {
      params.push(likePrefix(prefix));
      where.push(`lower(t.name) LIKE $${params.length} ESCAPE '\\'`);
    }
    if (cursor) {
      params.push(cursor.n, cursor.id);
      where.push(`(lower(t.name), t.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    return this.em.query<TagRow[]>(
      `${SELECT}
        WHERE ${where.join(' AND ')}
        ORDER BY lower(t.name), t.id
        LIMIT $2`,
      params,
    );
  }

  async find(organizationId: string, id: string): Promise<TagRow | undefined> {
    const [row] = await this.em.query<TagRow[]>(
      `${SELECT} WHERE t.organization_id = $1 AND t.id = $2 AND ${SHOWN}`,
      [organizationId, id],
    );
    return row;
  }

  /** Fails with the unique violation `tags_org_name_key` when the name is taken. */
  async insert(organizationId: string, name: string): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO tags (organization_id, name) VALUES ($1, $2) RETURNING id`,
      [organizationId, name],
    );
    return row.id;
  }

  /** Creates the tags that do not exist yet (names are unique regardless of case); answers the new ones. */
  insertMissing(organizationId: string, names: string[]): Promise<Array<{ id: string; name: string }>> {
    return this.em.query<Array<{ id: string; name: string }>>(
      `INSERT INTO tags (organization_id, name) SELECT $1, n FROM unnest($2::text[]) AS n
           ON CONFLICT (organization_id, lower(name)) DO NOTHING RETURNING id, name`,
      [organizationId, names],
    );
  }

  /** The stored names of the organization's tags of these lower-case names, by lower-case name. */
  async storedNames(organizationId: string, lowerNames: string[]): Promise<Map<string, string>> {
    const rows = await this.em.query<Array<{ name: string }>>(
      `SELECT name FROM tags WHERE organization_id = $1 AND lower(name) = ANY($2::text[])`,
      [organizationId, lowerNames],
    );
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.name]));
  }

  async rename(id: string, name: string): Promise<void> {
    await this.em.query(`UPDATE tags SET name = $2 WHERE id = $1`, [id, name]);
  }

  async delete(id: string): Promise<void> {
    await this.em.query(`DELETE FROM tags WHERE id = $1`, [id]);
  }
}
