/**
 * The statements of the prompts hot paths (get, list), kept free of Nest and TypeORM imports so
 * that the benchmark's floor server (`scripts/bench/floor-server.mjs`) runs exactly these texts
 * from the build instead of a copy. PromptsRepository is their only other user.
 */

import { highCostSql, PROMPT_COST_30D_SQL } from '../analytics/usage.sql';

/**
 * PromptStats' flush: adds the views and uses counted in memory (`$2` prompt ids, `$3` views, `$4`
 * uses) to the prompts of organization `$1`, in one statement per organization.
 */
export const PROMPT_STATS_FLUSH_SQL = `UPDATE prompts p SET views = p.views + c.views, uses = p.uses + c.uses
  FROM unnest($2::uuid[], $3::bigint[], $4::bigint[]) AS c (id, views, uses)
 WHERE p.id = c.id AND p.organization_id = $1`;

/**
 * The prompts `p` user `user` (an SQL expression, usually a parameter) may see: the organization's
 * and their own private ones. Row-level security (`prompts_private`) holds the same rule; statements
 * that read prompts for a member spell it as well, with the member as a parameter, and through here
 * only.
 */
export const visibleToSql = (user: string, p = 'p'): string =>
  `(${p}.visibility = 'organization' OR ${p}.author_id = ${user})`;

/** Popularity: favorites weigh most, then uses, then views (the same expression as the index). */
export const POPULARITY_SQL = '(p.views + 3 * p.uses + 10 * p.favorites)';

/**
 * The columns PromptRow holds, named rather than `p.*`: prompts also carries the search vector
 * (often larger than the content), which no response needs.
 */
export const PROMPT_COLUMNS = `p.id, p.organization_id, p.slug, p.title, p.description, p.content, p.variables,
  p.metadata, p.category_id, p.collection_id, p.author_id, p.status, p.visibility, p.version, p.views,
  p.uses, p.favorites, p.created_at, p.updated_at, p.published_at`;

/** PostgreSQL's text of a timestamptz (cursors keep it: a JS Date would drop microseconds). */
export const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

/** The list's sort orders: the key expression, its direction, and what a cursor key must look like. */
export const PROMPT_SORTS = {
  updated: { key: 'p.updated_at', cast: 'timestamptz', dir: 'DESC', valid: TIMESTAMP_TEXT },
  created: { key: 'p.created_at', cast: 'timestamptz', dir: 'DESC', valid: TIMESTAMP_TEXT },
  title: { key: 'lower(p.title)', cast: 'text', dir: 'ASC', valid: /^[^\0]*$/ },
  popularity: { key: POPULARITY_SQL, cast: 'bigint', dir: 'DESC', valid: /^-?\d{1,18}$/ },
  /** Cost of the last 30 days (usage rollups), most first. */
  cost: { key: PROMPT_COST_30D_SQL, cast: 'numeric', dir: 'DESC', valid: /^\d{1,20}(\.\d{1,12})?$/ },
} as const;
export type PromptSort = keyof typeof PROMPT_SORTS;

/**
 * Prompts with everything the response needs in one statement: tags, labels and the caller's
 * favorite are correlated sub-selects, evaluated only for the rows returned (no N+1).
 * `$1` is the organization, `$2` the caller; `where` uses `$3…`.
 */
export function selectPromptsSql(where: string, tail = '', cursorKey = "''"): string {
  return `SELECT ${PROMPT_COLUMNS}, ${cursorKey} AS cursor_key,
              coalesce((SELECT array_agg(t.name ORDER BY lower(t.name)) FROM prompt_tags pt
                          JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = p.id), '{}') AS tags,
              coalesce((SELECT jsonb_object_agg(l.label, l.version) FROM prompt_labels l
                          WHERE l.prompt_id = p.id), '{}') AS labels,
              EXISTS (SELECT 1 FROM favorites f WHERE f.prompt_id = p.id AND f.user_id = $2) AS favorited
         FROM prompts p
        WHERE p.organization_id = $1 AND ${visibleToSql('$2')} AND ${where}
        ${tail}`;
}

/** GET /prompts/:id: `$3` is the id. */
export const PROMPT_BY_ID_SQL = selectPromptsSql('p.id = $3');

export interface PromptListFilters {
  tag?: string;
  category?: string;
  collection?: string;
  author?: string;
  status?: string;
  /** Only the caller's favorites. */
  favorite?: boolean;
  /** Only prompts whose 30-day cost is in the organization's top 10 %. */
  highCost?: boolean;
}

/**
 * GET /prompts: the statement for one filter combination (a bounded set, so each is prepared once
 * per connection) and its parameters after `$1` (organization) and `$2` (caller).
 */
export function promptListStatement(
  filters: PromptListFilters,
  sortName: PromptSort,
  cursor: { k: string; id: string } | undefined,
  limit: number,
): { sql: string; params: unknown[] } {
  const sort = PROMPT_SORTS[sortName];
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v) + 2}`;
  if (filters.tag)
    where.push(`EXISTS (SELECT 1 FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id
                   WHERE pt.prompt_id = p.id AND lower(t.name) = lower(${param(filters.tag.trim())}))`);
  if (filters.category) where.push(`p.category_id = ${param(filters.category)}`);
  if (filters.collection) where.push(`p.collection_id = ${param(filters.collection)}`);
  if (filters.author) where.push(`p.author_id = ${param(filters.author)}`);
  if (filters.status) where.push(`p.status = ${param(filters.status)}`);
  if (filters.favorite)
    where.push(`EXISTS (SELECT 1 FROM favorites f WHERE f.prompt_id = p.id AND f.user_id = $2)`);
  if (filters.highCost) where.push(highCostSql('$1'));
  if (cursor) {
    const op = sort.dir === 'DESC' ? '<' : '>';
    where.push(`(${sort.key}, p.id) ${op} (${param(cursor.k)}::${sort.cast}, ${param(cursor.id)}::uuid)`);
  }
  const sql = selectPromptsSql(
    where.join(' AND ') || 'true',
    `ORDER BY ${sort.key} ${sort.dir}, p.id ${sort.dir} LIMIT ${param(limit + 1)}`,
    `(${sort.key})::text`,
  );
  return { sql, params };
}
