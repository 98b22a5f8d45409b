import type { components } from '../../../core/api/schema';

/**
 * Shapes of the search API (API-CONTRACT.md, "Search"), aliased from the types generated from
 * docs/openapi.json so a backend change shows up as a type error here.
 */
type Schemas = components['schemas'];

export type SearchResponse = Schemas['SearchResponseDto'];
export type SearchHit = Schemas['SearchItemDto'];
export type SearchFacets = Schemas['SearchFacetsDto'];
export type FacetBucket = Schemas['FacetBucketDto'];
export type SearchFilters = Schemas['SearchFiltersDto'];
export type SavedSearch = Schemas['SavedSearchResponseDto'];
export type CreateSavedSearch = Schemas['CreateSavedSearchDto'];
export type RecentSearch = Schemas['RecentSearchResponseDto'];

/** `cost`: the 30-day cost, highest first (GET /search only; saved searches keep the other sorts). */
export type SearchSort = NonNullable<SearchFilters['sort']> | 'cost';
export type TagMode = NonNullable<SearchFilters['tagMode']>;
export type SearchStatus = NonNullable<SearchFilters['status']>;

export const SEARCH_SORTS: readonly { value: SearchSort; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'updated', label: 'Recently updated' },
  { value: 'created', label: 'Newest' },
  { value: 'popularity', label: 'Most used' },
  { value: 'cost', label: 'Highest cost (30 days)' },
];

export const SEARCH_STATUSES: readonly SearchStatus[] = ['draft', 'published', 'archived'];
