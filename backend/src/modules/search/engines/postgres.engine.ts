import { PROMPT_COST_30D_SQL } from '../../analytics/usage.sql';
import { Injectable } from '@nestjs/common';
import { visibleToSql } from '../../prompts/prompts.sql';
import { preparedQuery, TenantTransactions } from '../../../database/tenancy/tenant-transactions';
import { FRAGMENT_SEPARATOR, GT, LT, MARK_END, MARK_START } from '../highlight';
import { positiveParts, QueryNode } from '../query-parser';
import { SearchVocabulary } from '../search-vocabulary';
import {
  EngineHit,
  EngineSearchRequest,
  EngineSearchResult,
  FACET_SIZE,
  FacetBucket,
  SearchEngine,
  SearchScope,
  SimilarHit,
  SimilarRequest,
} from '../search.types';

const SIMILAR_THRESHOLD = '0.3';
/** translate(): `<>` become LT/GT (kept through the headline), stray marker characters are dropped. */
const TRANSLATE_FROM = `<>${MARK_START}${MARK_END}${FRAGMENT_SEPARATOR}${LT}${GT}`;
const TRANSLATE_TO = `${LT}${GT}`;
const HEADLINE_ALL = `HighlightAll=true, StartSel="${MARK_START}", StopSel="${MARK_END}"`;
const HEADLINE_FRAGMENTS = `MaxFragments=3, MinWords=6, MaxWords=20, StartSel="${MARK_START}", StopSel="${MARK_END}", FragmentDelimiter="${FRAGMENT_SEPARATOR}"`;

interface Row {
  id: string;
  slug: string;
  title: string;
  description: string;
  search_tags: string[];
  status: string;
  author_id: string | null;
  category_id: string | null;
  updated_at: Date;
  updated_key: string;
  created_key: string;
  score: number;
  /** bigint as a JSON number (popularity stays far below 2^53); the cursor carries it as text. */
  popularity: number;
  /** 30-day cost as numeric text (sort=cost only; '0' otherwise): the cursor keeps it exactly. */
  cost_key: string;
  h_title: string | null;
  h_description: string | null;
  h_content: string | null;
}

/** Builds SQL with numbered parameters; values never enter the text. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const lexeme = (w: string) => `'${w}'`; // words are letter/digit runs only (query-parser.words)

/**
 * The default engine: PostgreSQL full-text search on the weighted `search_vector` (title A,
 * description and tags B, content C), typo tolerance by expanding each word against the
 * organization's vocabulary (trigram candidates, then the same edit-distance rule as Elasticsearch),
 * `ts_headline` for highlights and `pg_trgm` similarity for similar prompts. Runs inside the
 * caller's tenant transaction, so row-level security applies on top of the explicit filters.
 */
@Injectable()
export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly vocabulary: SearchVocabulary,
  ) {}

  async search(scope: SearchScope, req: EngineSearchRequest): Promise<EngineSearchResult> {
    const em = this.transactions.manager;
    const expansions = req.query
      ? await this.vocabulary.expand(scope.organizationId, req.query)
      : new Map<string, string[]>();
    const tsquery = req.query ? toTsquery(req.query, expansions, false) : null;
    const exactTsquery =
      req.query && positiveParts(req.query).length ? toTsquery(req.query, NO_EXPANSIONS, true) : null;
    const highlightQuery = req.query ? highlightTsquery(req.query, expansions) : null;

    const params = new Params();
    const where = this.conditions(scope, req, params);
    // Sub-selects: evaluated once per execution of the prepared (generic) plan, not once per row.
    const q = tsquery ? `(SELECT to_tsquery('simple', ${params.add(tsquery)}))` : null;
    if (q) where.push(`p.search_vector @@ ${q}`);
    const whereSql = where.join(' AND ');
    const score = q && tsquery ? rankSql(q, tsquery, exactTsquery, params) : '0::float8';

    const order = ORDER[req.sort === 'relevance' && !q ? 'updated' : req.sort];
    let afterSql = '';
    if (req.after) {
      const placeholders = req.after.map((v, i) => `${params.add(v)}::${order.types[i]}`);
      afterSql = `WHERE (${order.columns.join(', ')}) < (${placeholders.join(', ')})`;
    }
    const hq = highlightQuery ? `(SELECT to_tsquery('simple', ${params.add(highlightQuery)}))` : null;
    const from = hq ? params.add(TRANSLATE_FROM) : '';
    const to = hq ? params.add(TRANSLATE_TO) : '';
    const headline = (column: string, options: string) =>
      hq
        ? `ts_headline('simple', translate(p.${column}, ${from}::text, ${to}::text), ${hq}, '${options}')`
        : 'NULL';
    const bucket = (expr: string, from = 'm') =>
      `coalesce((SELECT json_agg(f) FROM (
          SELECT ${expr} AS value, count(*)::int AS count FROM ${from} WHERE ${expr} IS NOT NULL
           GROUP BY 1 ORDER BY count(*) DESC, ${expr} COLLATE "C" LIMIT ${FACET_SIZE}) f), '[]'::json)`;
    const facetsSql = req.facets
      ? `${bucket('t', 'm, unnest(m.search_tags) t')} AS tags,
         ${bucket('category_id')} AS categories,
         ${bucket('author_id')} AS authors,
         ${bucket('status')} AS status`
      : 'NULL::json AS tags, NULL::json AS categories, NULL::json AS authors, NULL::json AS status';
    // One statement: the filter (and the tsquery match, the expensive part) runs once into `m`,
    // which holds only the narrow columns; total and facets are grouped passes over it, and the
    // page's rows alone are read in full and highlighted. Prepared (one per shape of filters and
    // sort; every value is a parameter): planning this statement under row-level security costs
    // about as much as running it.
    const [result]: Array<{
      hits: Row[] | null;
      total: number;
      tags: FacetBucket[] | null;
      categories: FacetBucket[] | null;
      authors: FacetBucket[] | null;
      status: FacetBucket[] | null;
    }> = await preparedQuery(
      em,
      `WITH m AS MATERIALIZED (
         SELECT p.id, p.search_tags, p.category_id::text AS category_id, p.author_id::text AS author_id,
                p.status, p.updated_at, p.created_at,
                ${score} AS score,
                (p.uses + 10 * p.favorites)::bigint AS popularity,
                ${req.sort === 'cost' ? PROMPT_COST_30D_SQL : '0::numeric'} AS cost
           FROM prompts p WHERE ${whereSql}),
       page AS (
         SELECT * FROM m s ${afterSql}
          ORDER BY ${order.columns.map((c) => `${c} DESC`).join(', ')}
          LIMIT ${params.add(req.limit + 1)})
       SELECT (SELECT json_agg(h ORDER BY ${order.columns.map((c) => `${c.replace(/^s\./, 'h.')} DESC`).join(', ')})
                 FROM (
                   SELECT s.id, p.slug, p.title, p.description, s.search_tags, s.status, s.author_id,
                          s.category_id, s.updated_at, s.created_at, s.updated_at::text AS updated_key,
                          s.created_at::text AS created_key, s.score, s.popularity, s.cost, s.cost::text AS cost_key,
                          ${headline('title', HEADLINE_ALL)} AS h_title,
                          ${headline('description', HEADLINE_ALL)} AS h_description,
                          ${headline('content', HEADLINE_FRAGMENTS)} AS h_content
                     FROM page s JOIN prompts p ON p.id = s.id) h) AS hits,
              (SELECT count(*)::int FROM m) AS total,
              ${facetsSql}`,
      params.values,
    );
    const rows = result.hits ?? [];
    const hasMore = rows.length > req.limit;
    return {
      hits: rows.slice(0, req.limit).map((r) => toHit(r, order.key(r))),
      total: Number(result.total),
      facets: req.facets
        ? {
            tags: result.tags ?? [],
            categories: result.categories ?? [],
            authors: result.authors ?? [],
            status: result.status ?? [],
          }
        : null,
      hasMore,
    };
  }

  async similar(scope: SearchScope, req: SimilarRequest): Promise<SimilarHit[]> {
    const em = this.transactions.manager;
    await em.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [SIMILAR_THRESHOLD]);
    const params = new Params();
    const org = params.add(scope.organizationId);
    const user = params.add(scope.userId);
    const title = req.title ? params.add(req.title) : null;
    const content = req.content ? params.add(req.content) : null;
    const match = [title ? `p.title % ${title}` : null, content ? `p.content % ${content}` : null]
      .filter(Boolean)
      .join(' OR ');
    if (!match) return [];
    const exclude = req.excludeId ? `AND p.id <> ${params.add(req.excludeId)}::uuid` : '';
    const rows: Array<SimilarHit & { score: number }> = await em.query(
      `SELECT p.id, p.slug, p.title, p.description,
              round(((${title ? `similarity(p.title, ${title})` : '0'}) * ${content ? 0.6 : 1}
                   + (${content ? `similarity(p.content, ${content})` : '0'}) * ${title ? 0.4 : 1})::numeric, 4)::float8 AS score
         FROM prompts p
        WHERE p.organization_id = ${org}::uuid
          AND ${visibleToSql(`${user}::uuid`)}
          AND (${match}) ${exclude}
        ORDER BY score DESC, p.id
        LIMIT ${params.add(req.limit)}`,
      params.values,
    );
    return rows.map((r) => ({ ...r, score: Number(r.score) }));
  }

  /** Organization, visibility and the filters, as SQL conditions on `p`. */
  private conditions(scope: SearchScope, req: EngineSearchRequest, params: Params): string[] {
    const f = req.filters;
    const where = [
      `p.organization_id = ${params.add(scope.organizationId)}::uuid`,
      visibleToSql(`${params.add(scope.userId)}::uuid`),
    ];
    if (f.tags?.length) {
      const tags = params.add(f.tags.map((t) => t.toLowerCase()));
      where.push(
        f.tagMode === 'or'
          ? `EXISTS (SELECT 1 FROM unnest(p.search_tags) t WHERE lower(t) = ANY(${tags}::text[]))`
          : `(SELECT count(DISTINCT lower(t)) FROM unnest(p.search_tags) t WHERE lower(t) = ANY(${tags}::text[]))
               = cardinality(ARRAY(SELECT DISTINCT unnest(${tags}::text[])))`,
      );
    }
    if (f.untagged) where.push(`cardinality(p.search_tags) = 0`);
    if (f.category) where.push(`p.category_id = ${params.add(f.category)}::uuid`);
    if (f.author) where.push(`p.author_id = ${params.add(f.author)}::uuid`);
    if (f.status) where.push(`p.status = ${params.add(f.status)}`);
    if (f.createdFrom) where.push(`p.created_at >= ${params.add(f.createdFrom)}`);
    if (f.createdTo) where.push(`p.created_at <= ${params.add(f.createdTo)}`);
    if (f.updatedFrom) where.push(`p.updated_at >= ${params.add(f.updatedFrom)}`);
    if (f.updatedTo) where.push(`p.updated_at <= ${params.add(f.updatedTo)}`);
    if (f.ids) where.push(`p.id = ANY(${params.add(f.ids)}::uuid[])`);
    return where;
  }
}

/**
 * The relevance score: whether the prompt matches the query with its words exactly (1 or 0), plus
 * `ts_rank` of the full query (typo expansions and prefix included) scaled into [0, 1) by
 * normalization 32 (rank / (rank + 1), which keeps its order). A prompt holding the words as typed
 * thus ranks above every prompt that matches only through a typo or a prefix: in the expanded query
 * an exact word and a typo candidate each count as one alternative, so they would score the same.
 */
function rankSql(q: string, tsquery: string, exactTsquery: string | null, params: Params): string {
  const rank = `ts_rank(p.search_vector, ${q}, 32)::float8`;
  if (!exactTsquery) return rank;
  // Without expansions or a prefix every match is exact: no second test per row.
  const exact =
    exactTsquery === tsquery
      ? '1'
      : `(p.search_vector @@ (SELECT to_tsquery('simple', ${params.add(exactTsquery)})))::int`;
  return `${exact}::float8 + ${rank}`;
}

const NO_EXPANSIONS = new Map<string, string[]>();

/**
 * The AST as tsquery text. With `exact` (and always for negated parts) words match only as typed:
 * no typo expansion, no prefix.
 */
function toTsquery(node: QueryNode, expansions: Map<string, string[]>, exact: boolean): string {
  switch (node.kind) {
    case 'term': {
      if (exact) return lexeme(node.word);
      const alternatives = [
        lexeme(node.word) + (node.prefix ? ':*' : ''),
        ...(expansions.get(node.word) ?? []).map(lexeme),
      ];
      return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' | ')})`;
    }
    case 'phrase':
      return `(${node.words.map(lexeme).join(' <-> ')})`;
    case 'not':
      return `!(${toTsquery(node.child, expansions, true)})`;
    case 'and':
      return `(${node.children.map((c) => toTsquery(c, expansions, exact)).join(' & ')})`;
    case 'or':
      return `(${node.children.map((c) => toTsquery(c, expansions, exact)).join(' | ')})`;
  }
}

/** Every positive word, phrase and expansion ORed: what the headlines mark. */
function highlightTsquery(node: QueryNode, expansions: Map<string, string[]>): string | null {
  const parts = positiveParts(node).map((p) => toTsquery(p, expansions, false));
  return parts.length ? parts.join(' | ') : null;
}

interface Order {
  columns: string[];
  types: string[];
  key: (r: Row) => unknown[];
}

const ORDER: Record<'relevance' | 'updated' | 'created' | 'popularity' | 'cost', Order> = {
  relevance: {
    columns: ['s.score', 's.popularity', 's.updated_at', 's.id'],
    types: ['float8', 'bigint', 'timestamptz', 'uuid'],
    key: (r) => [r.score, String(r.popularity), r.updated_key, r.id],
  },
  updated: {
    columns: ['s.updated_at', 's.id'],
    types: ['timestamptz', 'uuid'],
    key: (r) => [r.updated_key, r.id],
  },
  created: {
    columns: ['s.created_at', 's.id'],
    types: ['timestamptz', 'uuid'],
    key: (r) => [r.created_key, r.id],
  },
  popularity: {
    columns: ['s.popularity', 's.updated_at', 's.id'],
    types: ['bigint', 'timestamptz', 'uuid'],
    key: (r) => [String(r.popularity), r.updated_key, r.id],
  },
  cost: {
    columns: ['s.cost', 's.updated_at', 's.id'],
    types: ['numeric', 'timestamptz', 'uuid'],
    key: (r) => [r.cost_key, r.updated_key, r.id],
  },
};

function toHit(r: Row, sortValues: unknown[]): EngineHit {
  const content = r.h_content?.includes(MARK_START)
    ? r.h_content.split(FRAGMENT_SEPARATOR).filter((f) => f.includes(MARK_START))
    : undefined;
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    description: r.description,
    tags: r.search_tags,
    status: r.status,
    authorId: r.author_id,
    categoryId: r.category_id,
    updatedAt: new Date(r.updated_at),
    score: Number(r.score),
    highlights: {
      ...(r.h_title?.includes(MARK_START) ? { title: r.h_title } : {}),
      ...(r.h_description?.includes(MARK_START) ? { description: r.h_description } : {}),
      ...(content?.length ? { content } : {}),
    },
    sortValues,
  };
}
