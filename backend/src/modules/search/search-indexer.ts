import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { OutboxConsumer, OutboxConsumers, OutboxMessage } from '../outbox/outbox-consumers';
import { organizationFilter } from './engines/elasticsearch.engine';
import { ElasticsearchIndex } from './engines/elasticsearch.index';
import { readDocuments } from './engines/prompt-documents';

/**
 * Keeps the Elasticsearch index in step with Postgres through the outbox: every `prompt.*` event
 * except `prompt.deleted` re-reads the prompt (private ones too) and upserts it, or deletes it if
 * it is gone; `prompt.deleted` deletes by id; `organization.deleted` finds the organization's
 * documents and bulk-deletes them by id. Idempotent; a failure (node down) fails the outbox job,
 * which retries with backoff and keeps order, so nothing is lost while Elasticsearch is away.
 * After each applied change it moves the organization's search generation, so the result cache
 * drops answers the index gave before it held the change.
 */
@Injectable()
export class SearchIndexer implements OutboxConsumer, OnModuleInit {
  readonly name = 'search-index';
  private readonly logger = new Logger('SearchIndexer');

  constructor(
    private readonly config: AppConfig,
    private readonly consumers: OutboxConsumers,
    private readonly transactions: TenantTransactions,
    private readonly index: ElasticsearchIndex,
  ) {}

  onModuleInit(): void {
    if (this.config.searchDriver === 'elasticsearch') this.consumers.register(this);
  }

  handles(type: string): boolean {
    return type.startsWith('prompt.') || type === 'organization.deleted';
  }

  async handle(message: OutboxMessage): Promise<void> {
    if (message.type === 'organization.deleted') {
      await this.removeOrganization(message.aggregateId);
      return;
    }
    // Runs in the drain job's transaction of this organization.
    if (message.type === 'prompt.deleted') await this.index.remove([message.aggregateId]);
    else await this.syncPrompts([message.aggregateId]);
    // The index now holds the change: cached answers of the index (SearchCache) are outdated.
    await this.transactions.manager.query(`SELECT pv_bump_search_generation()`);
  }

  /** Upserts the given prompts of the current tenant transaction's organization; deletes the missing ones. */
  async syncPrompts(ids: string[]): Promise<void> {
    const docs = await readDocuments(this.transactions.manager, { ids });
    const found = new Set(docs.map((d) => d.id));
    await this.index.upsert(docs);
    await this.index.remove(ids.filter((id) => !found.has(id)));
  }

  async removeOrganization(organizationId: string): Promise<void> {
    const ids = await this.index.idsMatching(organizationFilter(organizationId));
    await this.index.remove(ids);
    if (ids.length)
      this.logger.log(`removed ${ids.length} documents of deleted organization ${organizationId}`);
  }
}
