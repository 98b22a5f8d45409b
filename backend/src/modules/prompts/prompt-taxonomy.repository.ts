import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { returned } from '../../database/returned-rows';

/**
 * Prompts as the taxonomy changes them: a renamed or merged tag, a deleted category, a collection
 * whose prompts become unfiled. The taxonomy module reaches the prompts' rows only through this
 * repository (PromptDataModule), never with SQL of its own.
 */
/** Prompts `p` carrying tag `$1`. */
const TAGGED = 'EXISTS (SELECT 1 FROM prompt_tags pt WHERE pt.prompt_id = p.id AND pt.tag_id = $1)';

@Injectable()
export class PromptTaxonomyRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Puts tag `intoId` on every prompt that carries `fromId` (private prompts of other members
   * included: prompt_tags rows are visible to the whole organization), as a tag merge does before
   * the taxonomy deletes `fromId`. The prompt_tags triggers refresh each prompt's search tags.
   */
  async retag(organizationId: string, fromId: string, intoId: string): Promise<void> {
    await this.em.query(
      `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
       SELECT $1, pt.prompt_id, $3 FROM prompt_tags pt WHERE pt.tag_id = $2
       ON CONFLICT (prompt_id, tag_id) DO NOTHING`,
      [organizationId, fromId, intoId],
    );
  }

  /*
   * A change to a tag, category or collection reaches every prompt that carries it, other members'
   * private ones included, which row-level security hides from the caller: the search index and
   * webhooks must still follow them. These statements run with `app.system` switched on for the
   * one statement (still confined to this organization by the tenant policies).
   */

  /** Ids of the organization's prompts in the category. */
  idsInCategory(categoryId: string): Promise<string[]> {
    return this.idsWhere('p.category_id = $1', [categoryId]);
  }

  /** Ids of the organization's prompts filed in any of the collections. */
  idsInCollections(collectionIds: string[]): Promise<string[]> {
    return this.idsWhere('p.collection_id = ANY($1::uuid[])', [collectionIds]);
  }

  /** Ids of the organization's prompts that carry the tag. */
  idsTagged(tagId: string): Promise<string[]> {
    return this.idsWhere(TAGGED, [tagId]);
  }

  /**
   * Locks the organization's prompts that carry the tag, in id order, as the tag-name trigger
   * (`pv_refresh_search_tags`) would when it rewrites them: a tag rename takes them before the
   * audit chain lock and its new name (docs/architecture.md, "Lock order within an organization").
   */
  async lockTagged(tagId: string): Promise<void> {
    await this.idsWhere(TAGGED, [tagId], 'FOR NO KEY UPDATE');
  }

  /** Takes the organization's prompts out of the collections; answers their ids. */
  unfile(collectionIds: string[]): Promise<string[]> {
    return this.asSystem(async (em) => {
      const rows = returned<{ id: string }>(
        await em.query(
          `UPDATE prompts SET collection_id = NULL
            WHERE organization_id = app_org_id() AND collection_id = ANY($1::uuid[]) RETURNING id`,
          [collectionIds],
        ),
      );
      return rows.map((r) => r.id).sort();
    });
  }

  private idsWhere(where: string, params: unknown[], lock = ''): Promise<string[]> {
    return this.asSystem(async (em) => {
      const rows: Array<{ id: string }> = await em.query(
        `SELECT p.id FROM prompts p WHERE p.organization_id = app_org_id() AND (${where}) ORDER BY p.id ${lock}`,
        params,
      );
      return rows.map((r) => r.id);
    });
  }

  private async asSystem<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = this.em;
    await em.query(`SELECT set_config('app.system', 'on', true)`);
    // No try/finally: a failed statement aborts the transaction (or the savepoint around it),
    // and PostgreSQL rolls the setting back with it.
    const result = await work(em);
    await em.query(`SELECT set_config('app.system', '', true)`);
    return result;
  }
}
