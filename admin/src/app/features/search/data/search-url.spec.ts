import {
  daysAgo,
  describeSearch,
  EMPTY_SEARCH,
  filterChips,
  hasFilters,
  isBlank,
  parseTags,
  removeChip,
  searchApiParams,
  SearchState,
  searchStateFromParams,
  searchStateFromSaved,
  searchStateToFilters,
  searchStateToParams,
  toggleTag,
} from './search-url';

const CATEGORY = '0b3c6a52-95f5-4c64-9a3b-0c0d1e2f3a4b';
const AUTHOR = '7d9e0f11-2233-4455-8899-aabbccddeeff';

const FULL: SearchState = {
  q: 'summarize email',
  tags: ['writing', 'email'],
  tagMode: 'or',
  category: CATEGORY,
  author: AUTHOR,
  status: 'published',
  favorites: true,
  untagged: false,
  highCost: false,
  sort: 'updated',
  createdFrom: '2026-01-01',
  createdTo: '2026-06-30',
  updatedFrom: '2026-11-18',
  updatedTo: '2026-11-25T10:00:00Z',
};

describe('search URL state', () => {
  it('reads every parameter of a shared link', () => {
    const state = searchStateFromParams({
      q: 'summarize email',
      tags: 'writing,email',
      tagMode: 'or',
      category: CATEGORY,
      author: AUTHOR,
      status: 'published',
      favorites: 'true',
      sort: 'updated',
      createdFrom: '2026-01-01',
      createdTo: '2026-06-30',
      updatedFrom: '2026-11-18',
      updatedTo: '2026-11-25T10:00:00Z',
    });
    expect(state).toEqual(FULL);
  });

  it('round-trips state → URL → state', () => {
    expect(searchStateFromParams(searchStateToParams(FULL))).toEqual(FULL);
  });

  it('leaves defaults out of the URL so links stay short', () => {
    expect(searchStateToParams(EMPTY_SEARCH)).toEqual({});
    expect(searchStateToParams({ ...EMPTY_SEARCH, q: '  hello  ' })).toEqual({ q: 'hello' });
    // tagMode only matters with two or more tags.
    expect(searchStateToParams({ ...EMPTY_SEARCH, tags: ['a'], tagMode: 'or' })).toEqual({ tags: 'a' });
    expect(searchStateToParams({ ...EMPTY_SEARCH, tags: ['a', 'b'], tagMode: 'or' })).toEqual({
      tags: 'a,b',
      tagMode: 'or',
    });
  });

  it('drops malformed values instead of sending them to the API', () => {
    const state = searchStateFromParams({
      tagMode: 'xor',
      category: 'not-a-uuid',
      author: '123',
      status: 'deleted',
      favorites: 'yes',
      sort: 'random',
      updatedFrom: 'last week',
      createdTo: '2026-13',
    });
    expect(state).toEqual(EMPTY_SEARCH);
  });

  it('takes the first of repeated parameters and trims, dedupes and caps tags', () => {
    expect(searchStateFromParams({ q: ['first', 'second'] }).q).toBe('first');
    expect(parseTags(' a, b ,,a , ')).toEqual(['a', 'b']);
    const many = Array.from({ length: 30 }, (_, i) => `t${i}`).join(',');
    expect(parseTags(many)).toHaveLength(20);
    expect(parseTags(`ok,${'x'.repeat(101)}`)).toEqual(['ok']);
    expect(searchStateFromParams({ q: 'x'.repeat(600) }).q).toHaveLength(500);
  });

  it('turns state into GET /search parameters with page size and cursor', () => {
    expect(
      searchApiParams({ ...EMPTY_SEARCH, q: 'a', favorites: true }, { limit: 20, cursor: 'abc' }),
    ).toEqual({
      q: 'a',
      favorites: 'true',
      limit: '20',
      cursor: 'abc',
    });
    expect(searchApiParams(EMPTY_SEARCH, { limit: 6 })).toEqual({ limit: '6' });
    expect(searchApiParams({ ...EMPTY_SEARCH, q: 'su' }, { limit: 6, record: false })).toEqual({
      q: 'su',
      limit: '6',
      record: 'false',
    });
    expect(searchApiParams({ ...EMPTY_SEARCH, q: 'su' }, { limit: 6, record: true })).toEqual({
      q: 'su',
      limit: '6',
    });
  });

  it('keeps the untagged filter in links, saved filters, chips and the summary, never with tags', () => {
    const untagged = { ...EMPTY_SEARCH, untagged: true };
    expect(searchStateToParams(untagged)).toEqual({ untagged: 'true' });
    expect(searchStateFromParams({ untagged: 'true' })).toEqual(untagged);
    expect(searchStateFromParams({ untagged: 'true', tags: 'a' }).untagged).toBe(false);
    expect(searchStateToFilters(untagged)).toEqual({ untagged: true });
    expect(searchStateFromSaved('', { untagged: true })).toEqual(untagged);
    expect(hasFilters(untagged)).toBe(true);
    const chips = filterChips(untagged, () => undefined);
    expect(chips.map((c) => c.label)).toEqual(['Untagged']);
    expect(removeChip(untagged, chips[0])).toEqual(EMPTY_SEARCH);
    expect(toggleTag(untagged, 'email')).toEqual({ ...EMPTY_SEARCH, tags: ['email'] });
    expect(describeSearch('', { untagged: true })).toBe('untagged');
  });

  it('keeps the high-cost filter and the cost sort in links and chips, not in saved filters', () => {
    const state = searchStateFromParams({ q: 'x', highCost: 'true', sort: 'cost' });
    expect(state).toMatchObject({ highCost: true, sort: 'cost' });
    expect(searchStateToParams(state)).toEqual({ q: 'x', highCost: 'true', sort: 'cost' });
    expect(searchApiParams(state, { limit: 20 })).toMatchObject({ highCost: 'true', sort: 'cost' });
    expect(hasFilters({ ...EMPTY_SEARCH, highCost: true })).toBe(true);
    expect(isBlank({ ...EMPTY_SEARCH, highCost: true })).toBe(false);
    const chips = filterChips(state, () => undefined);
    expect(chips).toEqual([{ kind: 'highCost', value: 'true', label: 'High cost' }]);
    expect(removeChip(state, chips[0]).highCost).toBe(false);
    expect(searchStateToFilters(state)).toEqual({});
    expect(searchStateFromParams({ highCost: 'yes' }).highCost).toBe(false);
  });

  it('maps to and from saved-search filters', () => {
    const filters = searchStateToFilters(FULL);
    expect(filters).toEqual({
      tags: ['writing', 'email'],
      tagMode: 'or',
      category: CATEGORY,
      author: AUTHOR,
      status: 'published',
      favorites: true,
      sort: 'updated',
      createdFrom: '2026-01-01',
      createdTo: '2026-06-30',
      updatedFrom: '2026-11-18',
      updatedTo: '2026-11-25T10:00:00Z',
    });
    expect(searchStateFromSaved(FULL.q, filters)).toEqual(FULL);
    expect(searchStateToFilters(EMPTY_SEARCH)).toEqual({});
    expect(searchStateFromSaved('', null)).toEqual(EMPTY_SEARCH);
    // Stored junk goes through the same rules as the URL.
    expect(searchStateFromSaved('x', { status: 'gone' as never, tags: ['a', ''] })).toEqual({
      ...EMPTY_SEARCH,
      q: 'x',
      tags: ['a'],
    });
  });

  it('knows when there is something to search for', () => {
    expect(isBlank(EMPTY_SEARCH)).toBe(true);
    expect(isBlank({ ...EMPTY_SEARCH, q: '   ' })).toBe(true);
    expect(isBlank({ ...EMPTY_SEARCH, sort: 'updated' })).toBe(true);
    expect(isBlank({ ...EMPTY_SEARCH, q: 'x' })).toBe(false);
    expect(isBlank({ ...EMPTY_SEARCH, favorites: true })).toBe(false);
    expect(hasFilters({ ...EMPTY_SEARCH, q: 'x' })).toBe(false);
    expect(hasFilters({ ...EMPTY_SEARCH, updatedFrom: '2026-01-01' })).toBe(true);
  });

  it('makes one removable chip per filter, named from the facets', () => {
    const names = new Map([[CATEGORY, 'Marketing']]);
    const chips = filterChips(FULL, (_kind, id) => names.get(id));
    expect(chips.map((c) => c.label)).toEqual([
      'Tag: writing',
      'Tag: email',
      'Category: Marketing',
      'Author: selected author',
      'Status: published',
      'My favorites',
      'Created from 2026-01-01',
      'Created until 2026-06-30',
      'Updated since 2026-11-18',
      'Updated until 2026-11-25',
    ]);
    let state = FULL;
    for (const chip of chips) state = removeChip(state, chip);
    expect(state).toEqual({ ...EMPTY_SEARCH, q: FULL.q, sort: FULL.sort, tagMode: 'or' });
    expect(removeChip(FULL, chips[0]).tags).toEqual(['email']);
  });

  it('toggles a tag facet', () => {
    const once = toggleTag(EMPTY_SEARCH, 'a');
    expect(once.tags).toEqual(['a']);
    expect(toggleTag(toggleTag(once, 'b'), 'a').tags).toEqual(['b']);
  });

  it('computes the local calendar day N days ago', () => {
    expect(daysAgo(new Date(2026, 10, 25, 23, 59), 7)).toBe('2026-11-18');
    expect(daysAgo(new Date(2026, 0, 3, 0, 1), 7)).toBe('2025-12-27');
  });

  it('describes a saved or recent search in one line', () => {
    expect(describeSearch('sumarize', { tags: ['a', 'b'], tagMode: 'or', favorites: true })).toBe(
      '“sumarize” · tags: a or b · my favorites',
    );
    expect(describeSearch('', {})).toBe('All prompts');
  });
});
