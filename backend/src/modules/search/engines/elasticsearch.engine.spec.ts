import type { estypes } from '@elastic/elasticsearch';
import { parseQuery } from '../query-parser';
import {
  EXACT_MATCH_BOOST,
  scopedQuery,
  tenantFilter,
  toEsHighlightQuery,
  toEsQuery,
  toEsSearchQuery,
} from './elasticsearch.engine';

describe('Elasticsearch query translation', () => {
  it('puts the organization and visibility filter on every scoped query', () => {
    const q = scopedQuery({ organizationId: 'org-1', userId: 'user-1' }, { match_all: {} });
    expect((q as { bool: estypes.QueryDslBoolQuery }).bool.filter).toEqual([
      { term: { organizationId: 'org-1' } },
      {
        bool: {
          should: [{ term: { visibility: 'organization' } }, { term: { authorId: 'user-1' } }],
          minimum_should_match: 1,
        },
      },
    ]);
    // Without a user (system callers), private prompts are never admitted.
    expect(tenantFilter({ organizationId: 'org-1', userId: null })[1]).toEqual({
      bool: { should: [{ term: { visibility: 'organization' } }], minimum_should_match: 1 },
    });
  });

  it('gives words typo tolerance by length, the last word a prefix, and matches negations exactly', () => {
    const q = toEsQuery(parseQuery('cat sumarize -spam tone')!);
    const { bool } = q as { bool: estypes.QueryDslBoolQuery };
    const must = bool.must as Array<Record<string, unknown>>;
    expect(must[0]).toEqual({ multi_match: { query: 'cat', fields: expect.any(Array) } });
    expect(must[1]).toMatchObject({
      multi_match: { query: 'sumarize', fuzziness: 'AUTO:4,8', prefix_length: 0 },
    });
    expect(must[2]).toMatchObject({
      bool: {
        should: [
          { multi_match: { query: 'tone', fuzziness: 'AUTO:4,8' } },
          { multi_match: { query: 'tone', type: 'phrase_prefix' } },
        ],
        minimum_should_match: 1,
      },
    });
    expect(bool.must_not).toEqual([{ multi_match: { query: 'spam', fields: expect.any(Array) } }]);
  });

  it('boosts title over description and tags over content, and keeps phrases as phrases', () => {
    const q = toEsQuery(parseQuery('"cold email"')!);
    expect(q).toEqual({
      multi_match: {
        query: 'cold email',
        fields: ['title^3', 'description^2', 'tags^2', 'content'],
        type: 'phrase',
      },
    });
    expect(toEsQuery(parseQuery('a OR b ')!)).toMatchObject({ bool: { minimum_should_match: 1 } });
  });

  it('highlights typo matches as exact expanded words, never with a fuzzy query', () => {
    const q = parseQuery('sumarize -spam "cold email" tone')!;
    const hq = toEsHighlightQuery(q, new Map([['sumarize', ['summarize', 'summaries']]]));
    expect(JSON.stringify(hq)).not.toContain('fuzziness');
    expect(JSON.stringify(hq)).not.toContain('spam');
    expect((hq as { bool: estypes.QueryDslBoolQuery }).bool.should).toEqual([
      { multi_match: { query: 'sumarize summarize summaries', fields: expect.any(Array) } },
      { multi_match: { query: 'cold email', fields: expect.any(Array), type: 'phrase' } },
      { multi_match: { query: 'tone', fields: expect.any(Array) } },
      { multi_match: { query: 'tone', fields: expect.any(Array), type: 'phrase_prefix' } },
    ]);
    expect(toEsHighlightQuery(parseQuery('-spam')!, new Map())).toBeUndefined();
  });

  it('adds a constant boost for matching the words as typed, fuzziness and prefix deciding only what matches', () => {
    const q = parseQuery('zorblaxite OR (cold "launch plan") -spam tone')!;
    const { bool } = toEsSearchQuery(q) as { bool: estypes.QueryDslBoolQuery };
    expect(bool.must).toEqual([toEsQuery(q)]);
    expect(bool.should).toEqual([
      { constant_score: { filter: toEsQuery(q, true), boost: EXACT_MATCH_BOOST } },
    ]);
    const exact = JSON.stringify(toEsQuery(q, true));
    expect(exact).not.toContain('fuzziness');
    expect(exact).not.toContain('phrase_prefix');
    expect(exact).toContain('"query":"zorblaxite"');
    expect(exact).toContain('"query":"tone"');
    expect(exact).toContain('"type":"phrase"');
    // Above any BM25 score the query itself can reach: 32 words, each at most the title boost (3) ×
    // the idf of a word in one of 100,000 documents × (k1 + 1), twice for the prefix word.
    const idf = Math.log(1 + (100_000 - 1 + 0.5) / (1 + 0.5));
    expect(EXACT_MATCH_BOOST).toBeGreaterThan(33 * 3 * idf * 2.2);
    // A query that only excludes has nothing typed to match exactly.
    expect(toEsSearchQuery(parseQuery('-spam')!)).toEqual(toEsQuery(parseQuery('-spam')!));
  });
});
