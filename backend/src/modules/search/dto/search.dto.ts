import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { trim } from '../../../common/validation/transforms';
import { PROMPT_STATUSES, SEARCH_SORTS } from '../search.types';
import type { PromptStatus, SearchSort } from '../search.types';
import { Optional } from '../../../common/validation/optional';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** Filters and sort, as query parameters of `GET /search` and as the `filters` of a saved search. */
export class SearchFiltersDto {
  /** Tag names (comma-separated in the query string). */
  @Optional()
  @Transform(toList)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  /** `and` (default): every tag; `or`: any of them. */
  @Optional()
  @IsIn(['and', 'or'])
  tagMode?: 'and' | 'or';

  /**
   * Only prompts without any tag (`true`); combined with `tags` nothing matches, so the two are
   * not sent together.
   */
  @Optional()
  @Transform(toBool)
  @IsBoolean()
  untagged?: boolean;

  /** Category id. */
  @Optional()
  @IsUUID()
  category?: string;

  /** Author (user) id. */
  @Optional()
  @IsUUID()
  author?: string;

  @Optional()
  @IsIn(PROMPT_STATUSES)
  status?: PromptStatus;

  /** ISO-8601 date or date-time (inclusive). */
  @Optional()
  @IsISO8601()
  createdFrom?: string;

  /** ISO-8601 date or date-time (inclusive; a date means the whole day). */
  @Optional()
  @IsISO8601()
  createdTo?: string;

  @Optional()
  @IsISO8601()
  updatedFrom?: string;

  @Optional()
  @IsISO8601()
  updatedTo?: string;

  /** Only the caller's favorites. */
  @Optional()
  @Transform(toBool)
  @IsBoolean()
  favorites?: boolean;

  /** Only prompts whose 30-day cost is in the organization's top 10 % (from the usage rollups). */
  @Optional()
  @Transform(toBool)
  @IsBoolean()
  highCost?: boolean;

  /**
   * `relevance` (default; recency and popularity break ties), `updated`, `created`, `popularity` or
   * `cost` (30-day cost, most first; always answered by the Postgres engine, which reads the usage rollups).
   */
  @Optional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;
}

export class SearchQueryDto extends SearchFiltersDto {
  /** Words (ANDed), `OR`, `AND`, `NOT`/`-word`, `"exact phrase"`, parentheses; typos tolerated. */
  @Optional()
  @IsString()
  @MaxLength(500)
  q?: string;

  /** Page size, 1..100. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /**
   * Whether a first page with a query or filters goes into your recent searches (default `true`).
   * Send `false` for search-as-you-type previews, so that the prefixes typed on the way are not
   * recorded.
   */
  @Optional()
  @Transform(toBool)
  @IsBoolean()
  record?: boolean;

  /** Opaque cursor from the previous page's `nextCursor`. */
  @Optional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

export class CreateSavedSearchDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** The query text (may be empty when the filters say it all). */
  @Optional()
  @IsString()
  @MaxLength(500)
  query: string = '';

  @Optional()
  @ValidateNested()
  @Type(() => SearchFiltersDto)
  filters?: SearchFiltersDto;

  /** Visible to every member of the organization. */
  @Optional()
  @IsBoolean()
  shared?: boolean;

  /** E-mail me new matches daily. */
  @Optional()
  @IsBoolean()
  subscribed?: boolean;
}

export class SimilarQueryDto {
  /** Title of the prompt being written. */
  @Optional()
  @IsString()
  @MaxLength(300)
  title: string = '';

  /** Its content (the first 5000 characters count). */
  @Optional()
  @IsString()
  @MaxLength(20000)
  content: string = '';

  /** Leave this prompt out (when editing it). */
  @Optional()
  @IsUUID()
  excludeId?: string;

  /** 1..20, default 5. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  limit: number = 5;
}
