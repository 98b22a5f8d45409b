import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { OutboxService } from '../outbox/outbox.service';

/**
 * Taxonomy changes reach into prompts (a renamed tag, a deleted category, a collection whose
 * prompts became unfiled). The search index and webhooks learn about it through one
 * `prompt.updated` outbox row per affected prompt, written in the same transaction.
 *
 * Affected prompts include other members' private ones, which row-level security hides from the
 * caller; the index must still follow them. Those ids are read with `app.system` switched on for
 * the one statement (still confined to this organization by the tenant policies).
 */
@Injectable()
export class PromptIndex {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly outbox: OutboxService,
  ) {}

  /** Ids of every prompt of the organization matching `where` (SQL on alias `p`), private ones included. */
  idsOf(where: string, params: unknown[]): Promise<string[]> {
    return this.asSystem(async (em) => {
      const rows: Array<{ id: string }> = await em.query(
        `SELECT p.id FROM prompts p WHERE p.organization_id = app_org_id() AND (${where}) ORDER BY p.id`,
        params,
      );
      return rows.map((r) => r.id);
    });
  }

  /** Takes prompts out of the given collections (private ones included); returns their ids. */
  unfile(collectionIds: string[]): Promise<string[]> {
    return this.asSystem(async (em) => {
      const [rows]: [Array<{ id: string }>, number] = await em.query(
        `UPDATE prompts SET collection_id = NULL
          WHERE organization_id = app_org_id() AND collection_id = ANY($1::uuid[]) RETURNING id`,
        [collectionIds],
      );
      return rows.map((r) => r.id).sort();
    });
  }

  private async asSystem<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const em: EntityManager = this.transactions.manager;
    await em.query(`SELECT set_config('app.system', 'on', true)`);
    // No try/finally: a failed statement aborts the transaction (or the savepoint around it),
    // and PostgreSQL rolls the setting back with it.
    const result = await work(em);
    await em.query(`SELECT set_config('app.system', '', true)`);
    return result;
  }

  /** One `prompt.updated` outbox row per prompt, so search and webhooks follow the change. */
  async changed(promptIds: string[], cause: string): Promise<void> {
    await this.outbox.publishMany(
      promptIds.map((id) => ({
        type: 'prompt.updated',
        aggregateType: 'prompt',
        aggregateId: id,
        payload: { cause },
      })),
    );
  }
}
