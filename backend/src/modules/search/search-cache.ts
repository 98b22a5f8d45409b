import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/**
 * A map that keeps entries of at most `capacity` units in all (an entry weighs 1 unless said
 * otherwise), dropping the least recently used ones first.
 */
export class LruMap<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private total = 0;

  constructor(readonly capacity: number) {}

  /** The units held. */
  get size(): number {
    return this.total;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is always the least recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, weight = 1): void {
    if (weight > this.capacity) return;
    this.remove(key);
    this.entries.set(key, { value, weight });
    this.total += weight;
    while (this.total > this.capacity) this.remove(this.entries.keys().next().value as string);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }
}

/**
 * An organization's search generation (migration `1763900500000-search-performance`): it changes
 * in the same transaction as any change to the organization's prompts, and again when the
 * Elasticsearch indexer has applied one.
 */
export interface SearchGeneration {
  value: string;
  /**
   * Whether the last change is older than an Elasticsearch refresh (plus margin): only then does a
   * search of the index see everything the generation stands for.
   */
  settled: boolean;
}

/** Elasticsearch makes indexed documents searchable within its refresh interval (1 s by default). */
const SETTLE = '2 seconds';
/** Typo expansions kept per process: (organization, word) pairs, a few dozen bytes each. */
const EXPANSION_ENTRIES = 20_000;

interface Stamped<T> {
  generation: string;
  value: T;
}

interface StoredAnswer extends Stamped<unknown> {
  /** `Date.now()` when stored: answers expire (popularity from counters may lag), expansions do not. */
  at: number;
}

/**
 * Search results and typo expansions kept in this process, each stamped with the organization's
 * search generation read before it was computed, and served only while that generation is still
 * current. A change to any of the organization's prompts commits a new generation together with
 * the change, so a cached answer is the one a fresh search would give (for Elasticsearch: the one
 * the index would give once refreshed) — except for popularity from view/use counters, which do not
 * move the generation and may lag by at most SEARCH_CACHE_TTL_SECONDS, the longest an answer is served. Several processes each keep their own entries;
 * the generation lives in the database they share. `SEARCH_CACHE_ENTRIES=0` turns it off.
 */
@Injectable()
export class SearchCache {
  private readonly results: LruMap<StoredAnswer>;
  private readonly ttlMs: number;
  private readonly expansions: LruMap<Stamped<string[]>>;
  private readonly privateAuthors: LruMap<Stamped<boolean>>;
  /** Generations read in a transaction, so that one search reads its organization's once. */
  private readonly read = new WeakMap<EntityManager, Map<string, SearchGeneration>>();

  constructor(
    config: AppConfig,
    private readonly transactions: TenantTransactions,
  ) {
    this.results = new LruMap(config.searchCacheEntries);
    this.ttlMs = config.searchCacheTtlSeconds * 1000;
    this.expansions = new LruMap(config.searchCacheEntries > 0 ? EXPANSION_ENTRIES : 0);
    this.privateAuthors = new LruMap(config.searchCacheEntries > 0 ? EXPANSION_ENTRIES : 0);
  }

  get enabled(): boolean {
    return this.results.capacity > 0;
  }

  /** The organization's generation as the current tenant transaction sees it (read once per transaction). */
  async generation(organizationId: string): Promise<SearchGeneration> {
    const em = this.transactions.manager;
    let known = this.read.get(em);
    const hit = known?.get(organizationId);
    if (hit) return hit;
    const [row] = await this.transactions.prepared<{ generation: string; settled: boolean }>(
      `SELECT generation::text AS generation, changed_at < clock_timestamp() - interval '${SETTLE}' AS settled
         FROM search_generations WHERE organization_id = $1`,
      [organizationId],
    );
    // No row yet: nothing changed since the migration; the first change inserts a new value.
    const generation = row ?? { generation: '0', settled: true };
    const value = { value: generation.generation, settled: generation.settled };
    if (!known) this.read.set(em, (known = new Map<string, SearchGeneration>()));
    known.set(organizationId, value);
    return value;
  }

  /**
   * Whether the user authored private prompts in the organization: only then can their answers
   * differ from another member's (everyone else sees exactly the organization-visible prompts).
   * Creating a private prompt or changing a visibility moves the generation, so the answer is
   * cached under it like the rest.
   */
  async hasPrivatePrompts(
    organizationId: string,
    userId: string,
    generation: SearchGeneration,
  ): Promise<boolean> {
    const key = `${organizationId}\u0000${userId}`;
    const known = this.privateAuthors.get(key);
    if (known && known.generation === generation.value) return known.value;
    const [row] = await this.transactions.prepared<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM prompts
                       WHERE organization_id = $1 AND author_id = $2 AND visibility = 'private') AS found`,
      [organizationId, userId],
    );
    this.privateAuthors.set(key, { generation: generation.value, value: row.found });
    return row.found;
  }

  getResult<T>(key: string, generation: SearchGeneration): T | undefined {
    const entry = this.results.get(key);
    return entry && entry.generation === generation.value && Date.now() - entry.at < this.ttlMs
      ? (entry.value as T)
      : undefined;
  }

  /** `weight`: the answer's size in pages of 20 results (an entry of `SEARCH_CACHE_ENTRIES` is one such page). */
  setResult<T>(key: string, generation: SearchGeneration, value: T, weight = 1): void {
    this.results.set(key, { generation: generation.value, value, at: Date.now() }, weight);
  }

  getExpansion(organizationId: string, word: string, generation: SearchGeneration): string[] | undefined {
    const entry = this.expansions.get(`${organizationId}\u0000${word}`);
    return entry && entry.generation === generation.value ? entry.value : undefined;
  }

  setExpansion(organizationId: string, word: string, generation: SearchGeneration, words: string[]): void {
    this.expansions.set(`${organizationId}\u0000${word}`, { generation: generation.value, value: words });
  }
}
