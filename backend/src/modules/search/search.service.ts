import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppException } from '../../common/errors/domain.exception';
import { UsageRecorder } from '../analytics/usage-recorder';
import { AppConfig } from '../../config/app-config';
import { decodeCursor, encodeCursor } from '../../common/pagination/pagination';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import {
  FacetBucketDto,
  SearchItemDto,
  SearchResponseDto,
  SimilarPromptsResponseDto,
} from './dto/search.response.dto';
import { ElasticsearchSearchEngine } from './engines/elasticsearch.engine';
import { isUnavailable } from './engines/elasticsearch.client';
import { PostgresSearchEngine } from './engines/postgres.engine';
import { markedToHtml } from './highlight';
import { parseQuery } from './query-parser';
import { SearchCache } from './search-cache';
import { normalizeFilters, SavedFilters, toEngineFilters } from './search-filters';
import {
  EngineFacets,
  EngineHit,
  SearchEngine,
  SearchFilters,
  SearchScope,
  SearchSort,
  SimilarRequest,
} from './search.types';

export interface SearchInput {
  q?: string;
  filters: SavedFilters;
  limit: number;
  cursor?: string;
}

interface Cursor {
  e: 'postgres' | 'elasticsearch';
  s: SearchSort;
  v: Array<string | number>;
}

const RECENT_KEEP = 20;

const isCursor = (v: unknown): v is Cursor => {
  const c = v as Cursor;
  return (
    typeof c === 'object' &&
    c !== null &&
    (c.e === 'postgres' || c.e === 'elasticsearch') &&
    typeof c.s === 'string' &&
    Array.isArray(c.v) &&
    c.v.length >= 2 &&
    c.v.length <= 4 &&
    c.v.every(
      (x) => (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && x.length <= 64),
    )
  );
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The last sort value of every sort is the prompt id; Postgres casts the others, so check them first. */
const cursorFits = (c: Cursor, sort: SearchSort): boolean => {
  const expected = { relevance: 4, updated: 2, created: 2, popularity: 3, cost: 3 }[sort];
  if (c.s !== sort || c.v.length !== expected || !UUID.test(String(c.v[c.v.length - 1]))) return false;
  if (c.e === 'elasticsearch') return true;
  return c.v
    .slice(0, -1)
    .every((x, i) =>
      sort === 'relevance' && i === 0
        ? typeof x === 'number'
        : sort === 'cost' && i === 0
          ? /^\d{1,20}(\.\d{1,12})?(e-\d{1,3})?$/.test(String(x))
          : (sort === 'relevance' && i === 1) || (sort === 'popularity' && i === 0)
            ? /^\d{1,19}$/.test(String(x))
            : typeof x === 'string' && !Number.isNaN(Date.parse(x)),
    );
};

/**
 * Runs searches on the configured engine. With Elasticsearch configured but unreachable, answers
 * from Postgres (logged, and visible in health through `status()`); the outbox keeps the index
 * changes until the node is back.
 */
@Injectable()
export class SearchService {
  private readonly logger = new Logger('Search');
  private degraded: { since: Date; message: string } | null = null;
  /** A request is probing Elasticsearch while degraded (see `withFallback`). */
  private probing = false;
  /** Searches being computed, by generation and cache key (see `cached`). */
  private readonly inFlight = new Map<string, Promise<SearchResponseDto>>();

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
    private readonly postgres: PostgresSearchEngine,
    private readonly elasticsearch: ElasticsearchSearchEngine,
    private readonly cache: SearchCache,
    private readonly usage: UsageRecorder,
  ) {}

  /** Whether searches currently fall back to Postgres, and since when. */
  status(): { driver: 'postgres' | 'elasticsearch'; fallbackSince?: string; lastError?: string } {
    return {
      driver: this.config.searchDriver,
      ...(this.degraded
        ? { fallbackSince: this.degraded.since.toISOString(), lastError: this.degraded.message }
        : {}),
    };
  }

  async search(
    scope: SearchScope,
    input: SearchInput,
    options: { record: boolean },
  ): Promise<SearchResponseDto> {
    const filters = toEngineFilters(input.filters);
    if (input.filters.favorites) filters.ids = await this.favoriteIds(scope);
    if (input.filters.highCost) {
      const high = await this.usage.highCostPromptIds(scope.organizationId);
      filters.ids = filters.ids ? filters.ids.filter((id) => high.includes(id)) : high;
    }
    // Costs change with usage, not with the prompts the cache generation follows: not cached.
    const response =
      input.filters.sort === 'cost'
        ? await this.answer(scope, input, filters)
        : await this.cached(scope, input, filters.ids, () => this.answer(scope, input, filters));
    if (options.record && !input.cursor) {
      this.usage.count('search', scope);
      await this.recordRecent(scope, input.q ?? '', input.filters);
    }
    return response;
  }

  private async answer(
    scope: SearchScope,
    input: SearchInput,
    filters: SearchFilters,
  ): Promise<SearchResponseDto> {
    const query = parseQuery(input.q);
    const sort = input.filters.sort ?? 'relevance';
    const cursor = input.cursor ? decodeCursor(input.cursor, isCursor) : undefined;
    // Elasticsearch does not hold costs: sort=cost is answered by the Postgres engine.
    const { engine, result } = await this.withFallback(sort === 'cost', (engine) => {
      if (cursor && (cursor.e !== engine.name || !cursorFits(cursor, sort))) {
        // A cursor of the other engine (Elasticsearch went down between two pages) or another sort.
        throw new AppException('validation_failed', 'The cursor is not valid', {
          errors: [
            {
              field: 'cursor',
              message: 'cursor must be a nextCursor of the same search; start again without it',
            },
          ],
        });
      }
      return engine.search(scope, {
        query,
        filters,
        sort,
        limit: input.limit,
        after: cursor?.v,
        facets: !cursor,
      });
    });
    const last = result.hits[result.hits.length - 1];
    return {
      items: result.hits.map(toItem),
      facets: result.facets ? await this.labelFacets(result.facets) : null,
      total: result.total,
      nextCursor: result.hasMore && last ? encodeCursor({ e: engine, s: sort, v: last.sortValues }) : null,
      engine,
    };
  }

  /**
   * The answer from the result cache if the organization's search generation is unchanged since it
   * was stored (see `SearchCache`), else a fresh one. Only answers of the configured engine are
   * stored (not a Postgres fallback while Elasticsearch is away), and an Elasticsearch answer only
   * once the index has had time to refresh after the organization's last change. Answers are
   * shared between requests and never modified; identical searches arriving together share one
   * computation.
   */
  private async cached(
    scope: SearchScope,
    input: SearchInput,
    favoriteIds: string[] | undefined,
    answer: () => Promise<SearchResponseDto>,
  ): Promise<SearchResponseDto> {
    if (!this.cache.enabled) return answer();
    const driver = this.config.searchDriver;
    const generation = await this.cache.generation(scope.organizationId);
    // Members without private prompts of their own all see the same prompts and share answers;
    // an author of private prompts gets answers of their own. The favorites filter is in the key
    // as the set of ids it stands for.
    const personal =
      !!scope.userId && (await this.cache.hasPrivatePrompts(scope.organizationId, scope.userId, generation));
    const key = JSON.stringify([
      driver,
      scope.organizationId,
      personal ? scope.userId : null,
      input.q ?? '',
      normalizeFilters(input.filters),
      favoriteIds && createHash('sha256').update(favoriteIds.join(',')).digest('base64url'),
      input.limit,
      input.cursor ?? null,
    ]);
    const hit = this.cache.getResult<SearchResponseDto>(key, generation);
    if (hit) return hit;
    // The same search under the same generation already running (a burst of identical requests):
    // share its answer instead of computing it again; if it fails, compute this one alone.
    const flight = `${generation.value}\u0000${key}`;
    const running = this.inFlight.get(flight);
    if (running) {
      const shared = await running.catch(() => undefined);
      if (shared) return shared;
    }
    const computing = answer();
    this.inFlight.set(flight, computing);
    try {
      const response = await computing;
      if (response.engine === driver && (driver === 'postgres' || generation.settled)) {
        this.cache.setResult(key, generation, response, Math.max(1, Math.ceil(response.items.length / 20)));
      }
      return response;
    } finally {
      if (this.inFlight.get(flight) === computing) this.inFlight.delete(flight);
    }
  }

  async similar(scope: SearchScope, request: SimilarRequest): Promise<SimilarPromptsResponseDto> {
    const { engine, result } = await this.withFallback(false, (e) =>
      e.similar(scope, { ...request, content: request.content.slice(0, 5000) }),
    );
    return { items: result, engine };
  }

  private async withFallback<T>(
    postgresOnly: boolean,
    work: (engine: SearchEngine) => Promise<T>,
  ): Promise<{ engine: 'postgres' | 'elasticsearch'; result: T }> {
    // While Elasticsearch is unavailable, one request at a time probes it (and waits for the
    // answer or the timeout); the others answer from Postgres at once instead of all waiting.
    if (!postgresOnly && this.config.searchDriver === 'elasticsearch' && !(this.degraded && this.probing)) {
      const probe = !!this.degraded;
      if (probe) this.probing = true;
      try {
        const result = await work(this.elasticsearch);
        if (this.degraded) this.logger.log('Elasticsearch answers again; searching there');
        this.degraded = null;
        return { engine: 'elasticsearch', result };
      } catch (err) {
        if (!isUnavailable(err)) throw err;
        if (!this.degraded) this.degraded = { since: new Date(), message: (err as Error).message };
        this.degraded.message = (err as Error).message;
        this.logger.warn({ err }, 'Elasticsearch unavailable; answering from Postgres');
      } finally {
        if (probe) this.probing = false;
      }
    }
    return { engine: 'postgres', result: await work(this.postgres) };
  }

  private async favoriteIds(scope: SearchScope): Promise<string[]> {
    if (!scope.userId) return [];
    const rows: Array<{ prompt_id: string }> = await this.transactions.manager.query(
      `SELECT prompt_id FROM favorites WHERE organization_id = $1 AND user_id = $2 LIMIT 10000`,
      [scope.organizationId, scope.userId],
    );
    return rows.map((r) => r.prompt_id);
  }

  /** Category and author names for the id facets (both engines count ids only). */
  private async labelFacets(facets: EngineFacets): Promise<SearchResponseDto['facets']> {
    const categoryIds = facets.categories.map((b) => b.value);
    const authorIds = facets.authors.map((b) => b.value);
    const rows: Array<{ kind: 'c' | 'u'; id: string; name: string }> =
      categoryIds.length || authorIds.length
        ? await this.transactions.manager.query(
            `SELECT 'c' AS kind, id::text, name FROM categories WHERE id = ANY($1::uuid[])
             UNION ALL
             SELECT 'u' AS kind, id::text, name FROM users WHERE id = ANY($2::uuid[])`,
            [categoryIds, authorIds],
          )
        : [];
    const categories = new Map(rows.filter((r) => r.kind === 'c').map((r) => [r.id, r.name]));
    const authors = new Map(rows.filter((r) => r.kind === 'u').map((r) => [r.id, r.name]));
    const label = (map: Map<string, string>) => (b: FacetBucketDto) => ({ ...b, label: map.get(b.value) });
    return {
      tags: facets.tags,
      categories: facets.categories.map(label(categories)),
      authors: facets.authors.map(label(authors)),
      status: facets.status,
    };
  }

  /** Last 20 distinct searches per user: the same search again moves to the top. */
  private async recordRecent(scope: SearchScope, q: string, raw: SavedFilters): Promise<void> {
    const query = q.trim();
    const filters = normalizeFilters(raw);
    if (!scope.userId || (!query && !Object.keys(filters).length)) return;
    const em = this.transactions.manager;
    // A recent search is convenience data: the search's transaction (read-only otherwise) need not
    // wait for its WAL flush at commit (about 4 ms on the benchmark machine). A crash may lose the
    // last few recent searches, never anything else. One statement: the setting, the upsert and
    // the trim of older entries beyond the last 20 (the trim's snapshot does not see the upsert's
    // row, so it keeps 19 others besides it).
    await em.query(
      `WITH sync AS (SELECT set_config('synchronous_commit', 'off', true)),
       upsert AS (
         INSERT INTO recent_searches (organization_id, user_id, query, filters, dedupe_key)
         SELECT $1::uuid, $2::uuid, $3::text, $4::jsonb, $5::text FROM sync
         ON CONFLICT (organization_id, user_id, dedupe_key) DO UPDATE SET searched_at = now()
         RETURNING id)
       DELETE FROM recent_searches WHERE id IN (
         SELECT id FROM recent_searches WHERE organization_id = $1::uuid AND user_id = $2::uuid
            AND id NOT IN (SELECT id FROM upsert)
          ORDER BY searched_at DESC, id DESC OFFSET ${RECENT_KEEP - 1})`,
      [scope.organizationId, scope.userId, query, filters, JSON.stringify([query, filters])],
    );
  }
}

function toItem(h: EngineHit): SearchItemDto {
  return {
    id: h.id,
    slug: h.slug,
    title: h.title,
    description: h.description,
    tags: h.tags,
    status: h.status,
    authorId: h.authorId,
    categoryId: h.categoryId,
    updatedAt: h.updatedAt.toISOString(),
    score: h.score,
    highlights: {
      ...(h.highlights.title ? { title: markedToHtml(h.highlights.title) } : {}),
      ...(h.highlights.description ? { description: markedToHtml(h.highlights.description) } : {}),
      ...(h.highlights.content ? { content: h.highlights.content.map(markedToHtml) } : {}),
    },
  };
}
