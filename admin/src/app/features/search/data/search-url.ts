import type { Params } from '@angular/router';
import {
  SEARCH_SORTS,
  SEARCH_STATUSES,
  SearchFilters,
  SearchSort,
  SearchStatus,
  TagMode,
} from './search.types';
import { UUID_PATTERN } from '../../../core/routing/id-param';

/**
 * Everything a results page shows, as it appears in the URL (`/search?q=...&tags=a,b&...`), so a
 * filtered view is a link that can be shared and a reload restores it.
 */
export interface SearchState {
  q: string;
  tags: string[];
  tagMode: TagMode;
  category: string | null;
  author: string | null;
  status: SearchStatus | null;
  favorites: boolean;
  /** Only prompts without tags (never together with `tags`: that matches nothing). */
  untagged: boolean;
  /** Prompts whose 30-day cost is in the organization's top 10 % (GET /search `highCost=true`). */
  highCost: boolean;
  sort: SearchSort;
  createdFrom: string | null;
  createdTo: string | null;
  updatedFrom: string | null;
  updatedTo: string | null;
}

export const EMPTY_SEARCH: SearchState = {
  q: '',
  tags: [],
  tagMode: 'and',
  category: null,
  author: null,
  status: null,
  favorites: false,
  untagged: false,
  highCost: false,
  sort: 'relevance',
  createdFrom: null,
  createdTo: null,
  updatedFrom: null,
  updatedTo: null,
};

/** The API's limits (SearchFiltersDto): more would be a 400, so a hand-edited link is trimmed. */
const MAX_TAGS = 20;
const MAX_QUERY = 500;
const UUID = UUID_PATTERN;
/** A date (`2026-11-18`) or a date-time; what `IsISO8601` accepts in practice from the console. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const DATE_KEYS = ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo'] as const;
type DateKey = (typeof DATE_KEYS)[number];

/** "Recently updated" quick filter: the last 7 days. */
export const RECENT_DAYS = 7;

/** Reads a query-string value the way the router gives it (a repeated key yields an array). */
function first(params: Params, key: string): string | null {
  const value: unknown = params[key];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
  return typeof value === 'string' ? value : null;
}

/** Comma-separated, trimmed, without blanks and duplicates (tag names never contain commas). */
export function parseTags(raw: string | null): string[] {
  if (!raw) return [];
  const tags = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= 100);
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

/**
 * URL query parameters → state. Unknown or malformed values are dropped (not sent to the API),
 * so an old or mistyped link still opens a search instead of an error.
 */
export function searchStateFromParams(params: Params): SearchState {
  const sort = first(params, 'sort');
  const tagMode = first(params, 'tagMode');
  const status = first(params, 'status');
  const category = first(params, 'category');
  const author = first(params, 'author');
  const state: SearchState = {
    ...EMPTY_SEARCH,
    q: (first(params, 'q') ?? '').slice(0, MAX_QUERY),
    tags: parseTags(first(params, 'tags')),
    tagMode: tagMode === 'or' ? 'or' : 'and',
    category: category && UUID.test(category) ? category : null,
    author: author && UUID.test(author) ? author : null,
    status: SEARCH_STATUSES.includes(status as SearchStatus) ? (status as SearchStatus) : null,
    favorites: first(params, 'favorites') === 'true',
    untagged: first(params, 'untagged') === 'true' && !first(params, 'tags'),
    highCost: first(params, 'highCost') === 'true',
    sort: SEARCH_SORTS.some((s) => s.value === sort) ? (sort as SearchSort) : 'relevance',
  };
  for (const key of DATE_KEYS) {
    const value = first(params, key);
    state[key] = value && ISO_DATE.test(value) ? value : null;
  }
  return state;
}

/** State → query parameters; defaults are left out so links stay short and canonical. */
export function searchStateToParams(state: SearchState): Params {
  const params: Params = {};
  const q = state.q.trim();
  if (q) params['q'] = q;
  if (state.tags.length) {
    params['tags'] = state.tags.join(',');
    // The mode only matters with two or more tags; with one it is noise in the link.
    if (state.tagMode === 'or' && state.tags.length > 1) params['tagMode'] = 'or';
  }
  if (state.category) params['category'] = state.category;
  if (state.author) params['author'] = state.author;
  if (state.status) params['status'] = state.status;
  if (state.favorites) params['favorites'] = 'true';
  if (state.untagged) params['untagged'] = 'true';
  if (state.highCost) params['highCost'] = 'true';
  if (state.sort !== 'relevance') params['sort'] = state.sort;
  for (const key of DATE_KEYS) {
    const value = state[key];
    if (value) params[key] = value;
  }
  return params;
}

/** The filters part of a state, as a saved search stores it (`CreateSavedSearchDto.filters`). */
export function searchStateToFilters(state: SearchState): SearchFilters {
  const filters: SearchFilters = {};
  if (state.tags.length) {
    filters.tags = [...state.tags];
    if (state.tagMode === 'or' && state.tags.length > 1) filters.tagMode = 'or';
  }
  if (state.category) filters.category = state.category;
  if (state.author) filters.author = state.author;
  if (state.status) filters.status = state.status;
  if (state.favorites) filters.favorites = true;
  if (state.untagged) filters.untagged = true;
  // Saved filters (SearchFiltersDto) have no cost sort nor high-cost filter.
  if (state.sort !== 'relevance' && state.sort !== 'cost') filters.sort = state.sort;
  for (const key of DATE_KEYS) {
    const value = state[key];
    if (value) filters[key] = value;
  }
  return filters;
}

/** A saved or recent search → state (through the URL rules, so stored junk is dropped the same way). */
export function searchStateFromSaved(query: string, filters: SearchFilters | null | undefined): SearchState {
  const f = filters ?? {};
  const params: Params = { q: query };
  if (f.tags?.length) params['tags'] = f.tags.join(',');
  for (const key of ['tagMode', 'category', 'author', 'status', 'sort', ...DATE_KEYS] as const) {
    const value = f[key];
    if (typeof value === 'string') params[key] = value;
  }
  if (f.favorites) params['favorites'] = 'true';
  if (f.untagged) params['untagged'] = 'true';
  return searchStateFromParams(params);
}

/** Query parameters of `GET /search` for this state (the API reads the same names as the URL). */
export function searchApiParams(
  state: SearchState,
  page: { limit: number; cursor?: string | null; record?: boolean },
): Record<string, string> {
  const params: Record<string, string> = { ...searchStateToParams(state), limit: String(page.limit) };
  if (page.cursor) params['cursor'] = page.cursor;
  // Previews (search-as-you-type) stay out of recent searches; the API records by default.
  if (page.record === false) params['record'] = 'false';
  return params;
}

/** Whether anything narrows the result (the sort does not). */
export function hasFilters(state: SearchState): boolean {
  return (
    state.tags.length > 0 ||
    state.category !== null ||
    state.author !== null ||
    state.status !== null ||
    state.favorites ||
    state.untagged ||
    state.highCost ||
    DATE_KEYS.some((key) => state[key] !== null)
  );
}

/** Whether there is anything to search for: an empty query with no filters lists nothing. */
export function isBlank(state: SearchState): boolean {
  return !state.q.trim() && !hasFilters(state);
}

export type ChipKind =
  'tag' | 'category' | 'author' | 'status' | 'favorites' | 'untagged' | 'highCost' | DateKey;

export interface FilterChip {
  kind: ChipKind;
  /** The tag name, category id, … (what removing the chip takes away). */
  value: string;
  label: string;
}

const DATE_LABELS: Record<DateKey, string> = {
  createdFrom: 'Created from',
  createdTo: 'Created until',
  updatedFrom: 'Updated since',
  updatedTo: 'Updated until',
};

/**
 * One removable chip per active filter. `labelOf` names ids (category and author names come with
 * the facets); without a name the chip says what kind of filter it is.
 */
export function filterChips(
  state: SearchState,
  labelOf: (kind: 'category' | 'author', id: string) => string | undefined,
): FilterChip[] {
  const chips: FilterChip[] = state.tags.map((tag) => ({ kind: 'tag', value: tag, label: `Tag: ${tag}` }));
  if (state.category) {
    const name = labelOf('category', state.category) ?? 'selected category';
    chips.push({ kind: 'category', value: state.category, label: `Category: ${name}` });
  }
  if (state.author) {
    const name = labelOf('author', state.author) ?? 'selected author';
    chips.push({ kind: 'author', value: state.author, label: `Author: ${name}` });
  }
  if (state.status) chips.push({ kind: 'status', value: state.status, label: `Status: ${state.status}` });
  if (state.favorites) chips.push({ kind: 'favorites', value: 'true', label: 'My favorites' });
  if (state.untagged) chips.push({ kind: 'untagged', value: 'true', label: 'Untagged' });
  if (state.highCost) chips.push({ kind: 'highCost', value: 'true', label: 'High cost' });
  for (const key of DATE_KEYS) {
    const value = state[key];
    if (value) chips.push({ kind: key, value, label: `${DATE_LABELS[key]} ${value.slice(0, 10)}` });
  }
  return chips;
}

/** The state without the filter a chip stands for. */
export function removeChip(state: SearchState, chip: FilterChip): SearchState {
  switch (chip.kind) {
    case 'tag':
      return { ...state, tags: state.tags.filter((t) => t !== chip.value) };
    case 'category':
      return { ...state, category: null };
    case 'author':
      return { ...state, author: null };
    case 'status':
      return { ...state, status: null };
    case 'favorites':
      return { ...state, favorites: false };
    case 'untagged':
      return { ...state, untagged: false };
    case 'highCost':
      return { ...state, highCost: false };
    default:
      return { ...state, [chip.kind]: null };
  }
}

/** Adds the tag, or takes it away when it is already a filter (a facet checkbox). */
export function toggleTag(state: SearchState, tag: string): SearchState {
  const tags = state.tags.includes(tag) ? state.tags.filter((t) => t !== tag) : [...state.tags, tag];
  return { ...state, tags: tags.slice(0, MAX_TAGS), untagged: tags.length ? false : state.untagged };
}

/** `YYYY-MM-DD` of the day `days` before `now` (local calendar day, as the user sees it). */
export function daysAgo(now: Date, days: number): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** One line saying what a search looks for: its query, then its filters. */
export function describeSearch(query: string, filters: SearchFilters | null | undefined): string {
  const parts: string[] = [];
  if (query.trim()) parts.push(`“${query.trim()}”`);
  const f = filters ?? {};
  if (f.tags?.length) parts.push(`tags: ${f.tags.join(f.tagMode === 'or' ? ' or ' : ' and ')}`);
  if (f.status) parts.push(`status: ${f.status}`);
  if (f.favorites) parts.push('my favorites');
  if (f.untagged) parts.push('untagged');
  if (f.category) parts.push('one category');
  if (f.author) parts.push('one author');
  if (f.updatedFrom) parts.push(`updated since ${f.updatedFrom.slice(0, 10)}`);
  if (f.updatedTo) parts.push(`updated until ${f.updatedTo.slice(0, 10)}`);
  if (f.createdFrom) parts.push(`created from ${f.createdFrom.slice(0, 10)}`);
  if (f.createdTo) parts.push(`created until ${f.createdTo.slice(0, 10)}`);
  return parts.join(' · ') || 'All prompts';
}
