import { AppException } from '../../common/errors/domain.exception';
import { PromptStatus, SearchFilters, SearchSort } from './search.types';

/** Filters as saved with a search and as recorded in recent searches (plain JSON, dates as given). */
export interface SavedFilters {
  tags?: string[];
  tagMode?: 'and' | 'or';
  untagged?: boolean;
  category?: string;
  author?: string;
  status?: PromptStatus;
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  favorites?: boolean;
  /** Only prompts whose 30-day cost is in the organization's top 10 %. */
  highCost?: boolean;
  sort?: SearchSort;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `from` is inclusive from its start; a date-only `to` includes that whole day. */
function bound(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  const date = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
  if (end && DATE_ONLY.test(value)) return new Date(date.getTime() + 86_400_000 - 1);
  return date;
}

/** Engine filters from saved/query filters; an empty range (from after to) is a 400. */
export function toEngineFilters(f: SavedFilters): SearchFilters {
  const filters: SearchFilters = {
    tags: f.tags?.length ? f.tags : undefined,
    tagMode: f.tagMode ?? 'and',
    untagged: f.untagged || undefined,
    category: f.category,
    author: f.author,
    status: f.status,
    createdFrom: bound(f.createdFrom, false),
    createdTo: bound(f.createdTo, true),
    updatedFrom: bound(f.updatedFrom, false),
    updatedTo: bound(f.updatedTo, true),
  };
  for (const [field, from, to] of [
    ['createdTo', filters.createdFrom, filters.createdTo],
    ['updatedTo', filters.updatedFrom, filters.updatedTo],
  ] as const) {
    if (from && to && from > to) {
      throw new AppException('validation_failed', `${field} is before its start`, {
        errors: [{ field, message: `${field} must not be before ${field.replace('To', 'From')}` }],
      });
    }
  }
  return filters;
}

const KEYS: Array<keyof SavedFilters> = [
  'tags',
  'tagMode',
  'untagged',
  'category',
  'author',
  'status',
  'createdFrom',
  'createdTo',
  'updatedFrom',
  'updatedTo',
  'favorites',
  'highCost',
  'sort',
];

/** Only the set filters, in a fixed key order (so equal searches compare equal). */
export function normalizeFilters(f: SavedFilters): SavedFilters {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = f[key];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length))
      continue;
    if ((key === 'favorites' || key === 'untagged' || key === 'highCost') && value === false) continue;
    if (key === 'tagMode' && value === 'and') continue;
    if (key === 'sort' && value === 'relevance') continue;
    out[key] = key === 'tags' ? [...(value as string[])].map((t) => t.trim()).sort() : value;
  }
  return out;
}
