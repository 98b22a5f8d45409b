import { Client, estypes } from '@elastic/elasticsearch';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { createElasticsearchClient } from './elasticsearch.client';
import { PromptDocument } from './prompt-documents';

/** Explicit mapping: `standard` analyzer (the integ-test node has no analysis-common), keyword sub-fields. */
export const PROMPT_MAPPING: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    organizationId: { type: 'keyword' },
    authorId: { type: 'keyword' },
    visibility: { type: 'keyword' },
    status: { type: 'keyword' },
    categoryId: { type: 'keyword' },
    slug: { type: 'keyword' },
    title: {
      type: 'text',
      analyzer: 'standard',
      fields: { keyword: { type: 'keyword', ignore_above: 512 } },
    },
    description: { type: 'text', analyzer: 'standard' },
    content: { type: 'text', analyzer: 'standard' },
    tags: { type: 'text', analyzer: 'standard', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    tagsLower: { type: 'keyword' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
    popularity: { type: 'long' },
  },
};

const BULK_CHUNK = 1000;
/** One shard keeps facet counts exact; one node, so no replicas. */
const INDEX_SETTINGS = { number_of_shards: 1, number_of_replicas: 0 };

/**
 * The prompt index: versioned indices (`<alias>-<timestamp>`) behind one alias that every read
 * and write goes through, so a rebuild can fill a new index and swap the alias atomically.
 */
@Injectable()
export class ElasticsearchIndex implements OnApplicationShutdown {
  private readonly logger = new Logger('SearchIndex');
  readonly client: Client;
  readonly alias: string;
  private ensuring?: Promise<void>;

  constructor(config: AppConfig) {
    this.client = createElasticsearchClient(config.elasticsearchUrl ?? 'http://127.0.0.1:9200');
    this.alias = `${config.elasticsearchIndexPrefix}-prompts`;
  }

  /**
   * Creates the first index, already carrying the alias as its write index, if there is none yet.
   * Idempotent and race-safe: one attempt at a time per process, and across processes a second
   * index claiming the same write alias is refused by Elasticsearch and removed again.
   */
  ensure(): Promise<void> {
    this.ensuring ??= this.createFirstIndex().catch((err: unknown) => {
      this.ensuring = undefined;
      throw err;
    });
    return this.ensuring;
  }

  private async createFirstIndex(): Promise<void> {
    if (await this.client.indices.existsAlias({ name: this.alias })) return;
    const index = this.newIndexName();
    try {
      await this.client.indices.create({
        index,
        settings: INDEX_SETTINGS,
        mappings: PROMPT_MAPPING,
        aliases: { [this.alias]: { is_write_index: true } },
      });
      this.logger.log(
        `created ${index} behind alias ${this.alias} (run "npm run search:reindex" to fill it)`,
      );
    } catch (err) {
      await this.client.indices.delete({ index }, { ignore: [404] });
      if (!(await this.client.indices.existsAlias({ name: this.alias }))) throw err;
    }
  }

  /** A new, empty versioned index (not behind the alias yet). */
  async createIndex(): Promise<string> {
    const index = this.newIndexName();
    await this.client.indices.create({ index, settings: INDEX_SETTINGS, mappings: PROMPT_MAPPING });
    return index;
  }

  private newIndexName(): string {
    return `${this.alias}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  }

  /** Indices the alias points at now. */
  async currentIndices(): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return [];
      throw err;
    }
  }

  /** Points the alias at `index` in one atomic step and drops the indices it pointed at before. */
  async swapAlias(index: string): Promise<string[]> {
    const previous = await this.currentIndices();
    await this.client.indices.updateAliases({
      actions: [
        ...previous.map((old) => ({ remove: { index: old, alias: this.alias } })),
        { add: { index, alias: this.alias, is_write_index: true } },
      ],
    });
    for (const old of previous) await this.client.indices.delete({ index: old }, { ignore: [404] });
    this.ensuring = Promise.resolve();
    return previous;
  }

  async upsert(docs: PromptDocument[], index = this.alias): Promise<void> {
    if (!docs.length) return;
    if (index === this.alias) await this.ensure();
    for (let i = 0; i < docs.length; i += BULK_CHUNK) {
      const chunk = docs.slice(i, i + BULK_CHUNK);
      const res = await this.client.bulk({
        operations: chunk.flatMap((doc) => [{ index: { _index: index, _id: doc.id } }, doc]),
        // Never let a lost alias turn into an auto-created index with a guessed mapping.
        ...(index === this.alias ? { require_alias: true } : {}),
      });
      this.throwOnItemErrors(res);
    }
  }

  async remove(ids: string[], index = this.alias): Promise<void> {
    if (!ids.length) return;
    if (index === this.alias) await this.ensure();
    for (let i = 0; i < ids.length; i += BULK_CHUNK) {
      const res = await this.client.bulk({
        operations: ids.slice(i, i + BULK_CHUNK).map((id) => ({ delete: { _index: index, _id: id } })),
      });
      this.throwOnItemErrors(res, [404]);
    }
  }

  /**
   * Every document id matching `query`, walked with `search_after` (the test node has no
   * delete-by-query, so deletions are a search followed by a bulk delete by id).
   */
  async idsMatching(query: estypes.QueryDslQueryContainer, index = this.alias): Promise<string[]> {
    const ids: string[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await this.client.search<never>({
        index,
        query,
        _source: false,
        size: BULK_CHUNK,
        sort: [{ id: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      const hits = res.hits.hits;
      ids.push(...hits.map((h) => h._id!));
      if (hits.length < BULK_CHUNK) return ids;
      after = hits[hits.length - 1].sort;
    }
  }

  /** Makes recent writes visible to search now (tests, and the end of a rebuild). */
  async refresh(index = this.alias): Promise<void> {
    await this.client.indices.refresh({ index });
  }

  async count(query?: estypes.QueryDslQueryContainer, index = this.alias): Promise<number> {
    return (await this.client.count({ index, ...(query ? { query } : {}) })).count;
  }

  private throwOnItemErrors(res: estypes.BulkResponse, allowStatus: number[] = []): void {
    if (!res.errors) return;
    const failed = res.items
      .map((item) => Object.values(item)[0])
      .filter((r) => r?.error && !allowStatus.includes(r.status));
    if (failed.length) {
      const first = failed[0];
      if (first.error?.type === 'index_not_found_exception') {
        // The node lost the index (e.g. restarted empty): create it again on the next attempt.
        this.ensuring = undefined;
        this.logger.warn(
          `${this.alias} is gone; it is recreated empty, run "npm run search:reindex" to refill it`,
        );
      }
      throw new Error(
        `bulk request failed for ${failed.length} documents: ${first.error?.type}: ${first.error?.reason}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
