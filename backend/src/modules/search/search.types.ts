import type { QueryNode } from './query-parser';

export type SearchSort = 'relevance' | 'updated' | 'created' | 'popularity' | 'cost';
export const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'updated', 'created', 'popularity', 'cost'];
export type PromptStatus = 'draft' | 'published' | 'archived';
export const PROMPT_STATUSES: readonly PromptStatus[] = ['draft', 'published', 'archived'];

/** Who searches: results come only from this organization, private prompts only of this user. */
export interface SearchScope {
  organizationId: string;
  userId: string | null;
  /** The API key a search came through: usage events are attributed to it. */
  apiKey?: { id: string } | null;
}

export interface SearchFilters {
  tags?: string[];
  tagMode?: 'and' | 'or';
  /** Only prompts without any tag. */
  untagged?: boolean;
  category?: string;
  author?: string;
  status?: PromptStatus;
  createdFrom?: Date;
  createdTo?: Date;
  updatedFrom?: Date;
  updatedTo?: Date;
  /** Only these prompt ids (the caller's favorites, resolved by the service for both engines). */
  ids?: string[];
}

export interface EngineSearchRequest {
  query: QueryNode | null;
  filters: SearchFilters;
  sort: SearchSort;
  limit: number;
  /** The engine's own cursor value, decoded from the previous page's `nextCursor`. */
  after?: unknown[];
  /** Facets are computed on the first page only (pages after it reuse what the client has). */
  facets: boolean;
}

/** Highlights as marked text (see highlight.ts); the service turns them into escaped HTML. */
export interface EngineHit {
  id: string;
  slug: string;
  title: string;
  description: string;
  tags: string[];
  status: string;
  authorId: string | null;
  categoryId: string | null;
  updatedAt: Date;
  score: number;
  highlights: { title?: string; description?: string; content?: string[] };
  /** The sort values of this hit, the next page starts after them. */
  sortValues: unknown[];
}

export interface FacetBucket {
  value: string;
  count: number;
}

export interface EngineFacets {
  tags: FacetBucket[];
  categories: FacetBucket[];
  authors: FacetBucket[];
  status: FacetBucket[];
}

export interface EngineSearchResult {
  hits: EngineHit[];
  total: number;
  facets: EngineFacets | null;
  hasMore: boolean;
}

export interface SimilarRequest {
  title: string;
  content: string;
  limit: number;
  excludeId?: string;
}

export interface SimilarHit {
  id: string;
  slug: string;
  title: string;
  description: string;
  score: number;
}

/** One interface, two real engines (Postgres full-text + pg_trgm, Elasticsearch), same results shape. */
export interface SearchEngine {
  readonly name: 'postgres' | 'elasticsearch';
  search(scope: SearchScope, request: EngineSearchRequest): Promise<EngineSearchResult>;
  similar(scope: SearchScope, request: SimilarRequest): Promise<SimilarHit[]>;
}

export const FACET_SIZE = 20;
