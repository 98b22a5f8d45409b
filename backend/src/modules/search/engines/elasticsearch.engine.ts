import { estypes } from '@elastic/elasticsearch';
import { Injectable } from '@nestjs/common';
import { MARK_END, MARK_START } from '../highlight';
import { maxEdits, positiveParts, QueryNode } from '../query-parser';
import { SearchVocabulary } from '../search-vocabulary';
import {
  EngineFacets,
  EngineHit,
  EngineSearchRequest,
  EngineSearchResult,
  FACET_SIZE,
  SearchEngine,
  SearchFilters,
  SearchScope,
  SearchSort,
  SimilarHit,
  SimilarRequest,
} from '../search.types';
import { ElasticsearchIndex } from './elasticsearch.index';
import { PromptDocument } from './prompt-documents';

type Query = estypes.QueryDslQueryContainer;

/** Title outranks description and tags, which outrank content (the Postgres weights A > B > C). */
const FIELDS = ['title^3', 'description^2', 'tags^2', 'content'];

/** Only the organization's documents: system work (deleting an organization's documents) uses it directly. */
export function organizationFilter(organizationId: string): Query {
  return { term: { organizationId } };
}

/**
 * THE security filter of every user query against the index: the caller's organization only, and
 * private prompts only for their author. Searches and similar-prompt lookups are built with
 * `scopedQuery`, which always applies it; nothing else queries the index on a user's behalf.
 */
export function tenantFilter(scope: SearchScope): Query[] {
  return [
    organizationFilter(scope.organizationId),
    {
      bool: {
        should: [
          { term: { visibility: 'organization' } },
          ...(scope.userId ? [{ term: { authorId: scope.userId } }] : []),
        ],
        minimum_should_match: 1,
      },
    },
  ];
}

export function scopedQuery(
  scope: SearchScope,
  query: Query,
  filters: Query[] = [],
  mustNot: Query[] = [],
): Query {
  return { bool: { must: [query], filter: [...tenantFilter(scope), ...filters], must_not: mustNot } };
}

/**
 * What a prompt matching the query with its words exactly (no typo, no prefix) adds to its score:
 * more than any BM25 score of the query itself (at most about 3 × 11.5 × 2.2 per word and field
 * on an index of 100,000 prompts, twice that for the prefix word, at most 32 words), so such a
 * prompt ranks above every prompt that matches only through fuzziness or a prefix, as on Postgres.
 */
export const EXACT_MATCH_BOOST = 10_000;

/**
 * The AST as an Elasticsearch query. With `exact` (and always for negated parts) words match
 * only as typed: no fuzziness, no prefix.
 */
export function toEsQuery(node: QueryNode, exact = false): Query {
  switch (node.kind) {
    case 'term': {
      const asTyped: Query = { multi_match: { query: node.word, fields: FIELDS } };
      if (exact) return asTyped;
      const fuzzy: Query = {
        multi_match: {
          query: node.word,
          fields: FIELDS,
          ...(maxEdits(node.word) > 0 ? { fuzziness: 'AUTO:4,8', prefix_length: 0, max_expansions: 50 } : {}),
        },
      };
      if (!node.prefix) return fuzzy;
      return {
        bool: {
          should: [fuzzy, { multi_match: { query: node.word, fields: FIELDS, type: 'phrase_prefix' } }],
          minimum_should_match: 1,
        },
      };
    }
    case 'phrase':
      return { multi_match: { query: node.words.join(' '), fields: FIELDS, type: 'phrase' } };
    case 'not':
      return { bool: { must: [{ match_all: {} }], must_not: [toEsQuery(node.child, true)] } };
    case 'and': {
      const positive = node.children.filter((c) => c.kind !== 'not');
      const negative = node.children.filter(
        (c): c is Extract<QueryNode, { kind: 'not' }> => c.kind === 'not',
      );
      return {
        bool: {
          must: positive.length ? positive.map((c) => toEsQuery(c, exact)) : [{ match_all: {} }],
          must_not: negative.map((c) => toEsQuery(c.child, true)),
        },
      };
    }
    case 'or':
      return { bool: { should: node.children.map((c) => toEsQuery(c, exact)), minimum_should_match: 1 } };
  }
}

/**
 * The search query: the AST with typo tolerance and prefix deciding what matches, and a constant
 * EXACT_MATCH_BOOST for prompts that also match it exactly. Fuzzy scoring alone lets a typo match
 * in the title outrank the exact word in the content (and, at equal boosts, tie with it).
 */
export function toEsSearchQuery(node: QueryNode): Query {
  const query = toEsQuery(node);
  if (!positiveParts(node).length) return query;
  return {
    bool: {
      must: [query],
      should: [{ constant_score: { filter: toEsQuery(node, true), boost: EXACT_MATCH_BOOST } }],
    },
  };
}

/**
 * What the highlighter marks: the positive words with their typo expansions as exact words (the
 * same words the Postgres engine marks), prefixes and phrases. Highlighting the fuzzy query itself
 * costs the highlighter a Levenshtein automaton per field and hit — 5–10 times the whole search.
 */
export function toEsHighlightQuery(node: QueryNode, expansions: Map<string, string[]>): Query | undefined {
  const parts = positiveParts(node);
  if (!parts.length) return undefined;
  return {
    bool: {
      should: parts.flatMap((p): Query[] =>
        p.kind === 'phrase'
          ? [{ multi_match: { query: p.words.join(' '), fields: FIELDS, type: 'phrase' } }]
          : [
              {
                multi_match: { query: [p.word, ...(expansions.get(p.word) ?? [])].join(' '), fields: FIELDS },
              },
              ...(p.prefix
                ? [{ multi_match: { query: p.word, fields: FIELDS, type: 'phrase_prefix' as const } }]
                : []),
            ],
      ),
      minimum_should_match: 1,
    },
  };
}

function filterClauses(f: SearchFilters): Query[] {
  const clauses: Query[] = [];
  if (f.tags?.length) {
    const tags = [...new Set(f.tags.map((t) => t.toLowerCase()))];
    if (f.tagMode === 'or') clauses.push({ terms: { tagsLower: tags } });
    else clauses.push(...tags.map((t) => ({ term: { tagsLower: t } })));
  }
  if (f.untagged) clauses.push({ bool: { must_not: [{ exists: { field: 'tagsLower' } }] } });
  if (f.category) clauses.push({ term: { categoryId: f.category } });
  if (f.author) clauses.push({ term: { authorId: f.author } });
  if (f.status) clauses.push({ term: { status: f.status } });
  const range = (field: string, from?: Date, to?: Date) => {
    if (from || to)
      clauses.push({
        range: {
          [field]: { ...(from ? { gte: from.toISOString() } : {}), ...(to ? { lte: to.toISOString() } : {}) },
        },
      });
  };
  range('createdAt', f.createdFrom, f.createdTo);
  range('updatedAt', f.updatedFrom, f.updatedTo);
  if (f.ids) clauses.push({ terms: { id: f.ids } });
  return clauses;
}

/** `cost` never reaches this engine (the index holds no costs; SearchService asks Postgres). */
const SORTS: Record<Exclude<SearchSort, 'cost'>, estypes.SortCombinations[]> = {
  relevance: [{ _score: { order: 'desc' } }, { popularity: 'desc' }, { updatedAt: 'desc' }, { id: 'desc' }],
  updated: [{ updatedAt: 'desc' }, { id: 'desc' }],
  created: [{ createdAt: 'desc' }, { id: 'desc' }],
  popularity: [{ popularity: 'desc' }, { updatedAt: 'desc' }, { id: 'desc' }],
};

type Source = Pick<
  PromptDocument,
  'id' | 'slug' | 'title' | 'description' | 'tags' | 'status' | 'authorId' | 'categoryId' | 'updatedAt'
>;
const SOURCE_FIELDS: Array<keyof Source> = [
  'id',
  'slug',
  'title',
  'description',
  'tags',
  'status',
  'authorId',
  'categoryId',
  'updatedAt',
];

/**
 * Elasticsearch 9: `multi_match` with `AUTO:4,8` fuzziness and field boosts, phrase and
 * phrase-prefix queries, highlights, terms aggregations for facets and `search_after` cursors,
 * all inside `scopedQuery` (organization + visibility).
 */
@Injectable()
export class ElasticsearchSearchEngine implements SearchEngine {
  readonly name = 'elasticsearch' as const;

  constructor(
    private readonly index: ElasticsearchIndex,
    private readonly vocabulary: SearchVocabulary,
  ) {}

  async search(scope: SearchScope, req: EngineSearchRequest): Promise<EngineSearchResult> {
    if (req.sort === 'cost') throw new Error('sort=cost is answered by the Postgres engine');
    const sort = req.sort === 'relevance' && !req.query ? 'updated' : req.sort;
    const query = scopedQuery(
      scope,
      req.query ? toEsSearchQuery(req.query) : { match_all: {} },
      filterClauses(req.filters),
    );
    const terms = (field: string) => ({ terms: { field, size: FACET_SIZE } });
    const highlightQuery = req.query
      ? toEsHighlightQuery(req.query, await this.vocabulary.expand(scope.organizationId, req.query))
      : undefined;
    const res = await this.index.client.search<Source>({
      index: this.index.alias,
      query,
      sort: SORTS[sort],
      size: req.limit + 1,
      track_total_hits: true,
      track_scores: true,
      _source: SOURCE_FIELDS,
      ...(req.after ? { search_after: req.after as estypes.SortResults } : {}),
      highlight: {
        pre_tags: [MARK_START],
        post_tags: [MARK_END],
        require_field_match: true,
        ...(highlightQuery ? { highlight_query: highlightQuery } : {}),
        fields: {
          title: { number_of_fragments: 0 },
          description: { number_of_fragments: 0 },
          content: { fragment_size: 150, number_of_fragments: 3 },
        },
      },
      ...(req.facets
        ? {
            aggs: {
              tags: terms('tags.keyword'),
              categories: terms('categoryId'),
              authors: terms('authorId'),
              status: terms('status'),
            },
          }
        : {}),
    });
    const hits = res.hits.hits;
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return {
      hits: hits.slice(0, req.limit).map((h) => toHit(h)),
      total,
      facets: req.facets ? toFacets(res.aggregations) : null,
      hasMore: hits.length > req.limit,
    };
  }

  async similar(scope: SearchScope, req: SimilarRequest): Promise<SimilarHit[]> {
    const like = {
      ...(req.title ? { title: req.title } : {}),
      ...(req.content ? { content: req.content } : {}),
    };
    if (!Object.keys(like).length) return [];
    const res = await this.index.client.search<Source>({
      index: this.index.alias,
      size: req.limit,
      _source: ['id', 'slug', 'title', 'description'],
      query: scopedQuery(
        scope,
        {
          more_like_this: {
            fields: Object.keys(like),
            like: [{ doc: like }],
            min_term_freq: 1,
            min_doc_freq: 1,
            max_query_terms: 25,
            minimum_should_match: '30%',
          },
        },
        [],
        req.excludeId ? [{ term: { id: req.excludeId } }] : [],
      ),
    });
    return res.hits.hits.map((h) => ({
      id: h._source!.id,
      slug: h._source!.slug,
      title: h._source!.title,
      description: h._source!.description,
      score: h._score ?? 0,
    }));
  }
}

function toHit(h: estypes.SearchHit<Source>): EngineHit {
  const s = h._source!;
  const hl = h.highlight ?? {};
  return {
    id: s.id,
    slug: s.slug,
    title: s.title,
    description: s.description,
    tags: s.tags,
    status: s.status,
    authorId: s.authorId,
    categoryId: s.categoryId,
    updatedAt: new Date(s.updatedAt),
    score: h._score ?? 0,
    highlights: {
      ...(hl.title?.length ? { title: hl.title[0] } : {}),
      ...(hl.description?.length ? { description: hl.description[0] } : {}),
      ...(hl.content?.length ? { content: hl.content } : {}),
    },
    sortValues: h.sort ?? [],
  };
}

function toFacets(aggs: Record<string, estypes.AggregationsAggregate> | undefined): EngineFacets {
  const buckets = (name: string) =>
    (
      (aggs?.[name] as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
        estypes.AggregationsStringTermsBucket[] | undefined
    )?.map((b) => ({ value: String(b.key), count: b.doc_count })) ?? [];
  return {
    tags: buckets('tags'),
    categories: buckets('categories'),
    authors: buckets('authors'),
    status: buckets('status'),
  };
}
