import { SearchFiltersDto } from './search.dto';

export class SearchHighlightsDto {
  /** Escaped HTML with `<mark>` around matches. */
  title?: string;
  description?: string;
  /** Up to three content snippets, escaped HTML with `<mark>`. */
  content?: string[];
}

export class SearchItemDto {
  id: string;
  slug: string;
  /** Plain text (escape it when rendering); the highlights are the HTML form. */
  title: string;
  description: string;
  tags: string[];
  status: string;
  authorId: string | null;
  categoryId: string | null;
  updatedAt: string;
  /** Engine relevance score (comparable within one response only). */
  score: number;
  highlights: SearchHighlightsDto;
}

export class FacetBucketDto {
  /** What to filter by (tag name, category id, author id, status). */
  value: string;
  count: number;
  /** Display name for ids (category name, author name). */
  label?: string;
}

export class SearchFacetsDto {
  tags: FacetBucketDto[];
  categories: FacetBucketDto[];
  authors: FacetBucketDto[];
  status: FacetBucketDto[];
}

export class SearchResponseDto {
  items: SearchItemDto[];
  /** Counts over the whole filtered result; only on the first page (null with a cursor). */
  facets: SearchFacetsDto | null;
  total: number;
  nextCursor: string | null;
  /** The engine that answered: `elasticsearch`, or `postgres` (also when Elasticsearch is down). */
  engine: 'postgres' | 'elasticsearch';
}

export class SavedSearchResponseDto {
  id: string;
  name: string;
  query: string;
  filters: SearchFiltersDto;
  shared: boolean;
  /** Whether the caller gets the daily e-mail of new matches. */
  subscribed: boolean;
  /** Whose it is; shared searches of others can be used but not deleted (except by OWNER/ADMIN). */
  userId: string;
  createdAt: string;
}

export class RecentSearchResponseDto {
  query: string;
  filters: SearchFiltersDto;
  searchedAt: string;
}

export class SimilarPromptDto {
  id: string;
  slug: string;
  title: string;
  description: string;
  score: number;
}

export class SimilarPromptsResponseDto {
  items: SimilarPromptDto[];
  engine: 'postgres' | 'elasticsearch';
}
