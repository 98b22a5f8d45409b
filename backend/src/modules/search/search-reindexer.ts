import { Injectable, Logger } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { ElasticsearchIndex } from './engines/elasticsearch.index';
import { readDocuments } from './engines/prompt-documents';
import { SearchIndexer } from './search-indexer';

const BATCH = 1000;

export interface ReindexResult {
  index: string;
  previous: string[];
  documents: number;
  caughtUp: number;
  tookMs: number;
}

/**
 * Rebuilds the index with no downtime: fills a new versioned index from Postgres while searches
 * and the outbox keep using the alias, swaps the alias in one atomic step, then replays what the
 * outbox recorded since the rebuild started (changes and deletions made meanwhile went to the old
 * index), so the new index misses nothing.
 */
@Injectable()
export class SearchReindexer {
  private readonly logger = new Logger('SearchReindex');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly index: ElasticsearchIndex,
    private readonly indexer: SearchIndexer,
  ) {}

  async reindexAll(
    progress: (message: string) => void | Promise<void> = (m) => this.logger.log(m),
  ): Promise<ReindexResult> {
    const started = Date.now();
    const system = { organizationId: null, userId: null, system: true };
    const [{ now }]: Array<{ now: string }> = await this.transactions.run(system, (em) =>
      em.query(`SELECT clock_timestamp()::text AS now`),
    );
    const organizations: Array<{ id: string }> = await this.transactions.run(system, (em) =>
      em.query(`SELECT id FROM organizations ORDER BY id`),
    );
    const target = await this.index.createIndex();
    await progress(`building ${target} for ${organizations.length} organizations`);

    let documents = 0;
    for (const { id: organizationId } of organizations) {
      let afterId: string | null = null;
      for (;;) {
        const docs = await this.transactions.run({ organizationId, userId: null }, (em) =>
          readDocuments(em, { afterId, limit: BATCH }),
        );
        await this.index.upsert(docs, target);
        documents += docs.length;
        if (docs.length < BATCH) break;
        afterId = docs[docs.length - 1].id;
        await progress(`${documents} documents`);
      }
    }
    await this.index.refresh(target);
    const previous = await this.index.swapAlias(target);
    await progress(
      `alias ${this.index.alias} -> ${target} (${documents} documents; dropped ${previous.join(', ') || 'nothing'})`,
    );

    const caughtUp = await this.catchUp(now);
    await this.index.refresh();
    const result = { index: target, previous, documents, caughtUp, tookMs: Date.now() - started };
    await progress(`done in ${result.tookMs} ms (${caughtUp} changes replayed)`);
    return result;
  }

  /** Replays every prompt and organization change the outbox recorded since `since`. */
  private async catchUp(since: string): Promise<number> {
    const events: Array<{ organization_id: string; type: string; aggregate_id: string }> =
      await this.transactions.run({ organizationId: null, userId: null, system: true }, (em) =>
        em.query(
          `SELECT organization_id, type, aggregate_id, max(created_at) AS at FROM outbox_events
            WHERE created_at >= $1::timestamptz AND (aggregate_type = 'prompt' OR type = 'organization.deleted')
            GROUP BY 1, 2, 3 ORDER BY at`,
          [since],
        ),
      );
    const byOrganization = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.type === 'organization.deleted') {
        await this.indexer.removeOrganization(e.aggregate_id);
        byOrganization.delete(e.aggregate_id);
      } else {
        const ids = byOrganization.get(e.organization_id) ?? new Set<string>();
        ids.add(e.aggregate_id);
        byOrganization.set(e.organization_id, ids);
      }
    }
    for (const [organizationId, ids] of byOrganization) {
      await this.transactions.run({ organizationId, userId: null }, () => this.indexer.syncPrompts([...ids]));
    }
    return events.length;
  }
}
