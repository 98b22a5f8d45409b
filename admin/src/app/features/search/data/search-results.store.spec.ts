import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { PAGE_SIZE, SearchResultsStore } from './search-results.store';
import { EMPTY_SEARCH, SearchState } from './search-url';
import { SearchHit, SearchResponse } from './search.types';

const CATEGORY = '0b3c6a52-95f5-4c64-9a3b-0c0d1e2f3a4b';

function hit(id: string, title = `Prompt ${id}`): SearchHit {
  return {
    id,
    slug: id,
    title,
    description: '',
    tags: [],
    status: 'published',
    authorId: null,
    categoryId: null,
    updatedAt: '2026-11-20T10:00:00.000Z',
    score: 1,
    highlights: { title: `<mark>${title}</mark>` },
  };
}

function page(items: SearchHit[], patch: Partial<SearchResponse> = {}): SearchResponse {
  return {
    items,
    facets: {
      tags: [{ value: 'writing', count: 2 }],
      categories: [{ value: CATEGORY, count: 2, label: 'Marketing' }],
      authors: [],
      status: [{ value: 'published', count: 2 }],
    },
    total: items.length,
    nextCursor: null,
    engine: 'postgres',
    ...patch,
  };
}

function setup() {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), SearchResultsStore],
  });
  return { store: TestBed.inject(SearchResultsStore), backend: TestBed.inject(HttpTestingController) };
}

const search = (patch: Partial<SearchState>): SearchState => ({ ...EMPTY_SEARCH, ...patch });

describe('SearchResultsStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('asks nothing for a blank search', () => {
    const { store } = setup();
    store.show(EMPTY_SEARCH);
    expect(store.blank()).toBe(true);
    expect(store.loading()).toBeNull();
    expect(store.items()).toEqual([]);
  });

  it('loads the first page with the state as query parameters, then facets and total', () => {
    const { store, backend } = setup();
    store.show(search({ q: 'sumarize', tags: ['writing'], category: CATEGORY }));
    expect(store.loading()).toBe('first');

    const req = backend.expectOne((r) => r.url === '/api/v1/search');
    expect(req.request.params.get('q')).toBe('sumarize');
    expect(req.request.params.get('tags')).toBe('writing');
    expect(req.request.params.get('category')).toBe(CATEGORY);
    expect(req.request.params.get('limit')).toBe(String(PAGE_SIZE));
    expect(req.request.params.has('cursor')).toBe(false);
    req.flush(page([hit('a'), hit('b')], { total: 2 }));

    expect(store.loading()).toBeNull();
    expect(store.items().map((h) => h.id)).toEqual(['a', 'b']);
    expect(store.total()).toBe(2);
    expect(store.facets().tags).toEqual([{ value: 'writing', count: 2 }]);
    // The category chip is named from the facet label.
    expect(store.chips().map((c) => c.label)).toEqual(['Tag: writing', 'Category: Marketing']);
  });

  it('cancels the request in flight when a newer search starts', () => {
    const { store, backend } = setup();
    store.show(search({ q: 'old' }));
    const old = backend.expectOne((r) => r.params.get('q') === 'old');
    store.show(search({ q: 'new' }));
    expect(old.cancelled).toBe(true);
    backend.expectOne((r) => r.params.get('q') === 'new').flush(page([hit('n')]));
    expect(store.items().map((h) => h.id)).toEqual(['n']);
    expect(store.state().q).toBe('new');
  });

  it('appends the next page with the cursor and keeps the first page facets', () => {
    const { store, backend } = setup();
    store.show(search({ q: 'x' }));
    backend.expectOne(() => true).flush(page([hit('a')], { total: 2, nextCursor: 'c1' }));
    expect(store.hasMore()).toBe(true);

    store.loadMore();
    expect(store.loading()).toBe('more');
    const next = backend.expectOne((r) => r.params.get('cursor') === 'c1');
    expect(next.request.params.get('q')).toBe('x');
    next.flush({ ...page([hit('b')], { total: 2 }), facets: null });

    expect(store.items().map((h) => h.id)).toEqual(['a', 'b']);
    expect(store.facets().tags).toHaveLength(1);
    expect(store.total()).toBe(2);
    expect(store.hasMore()).toBe(false);
    store.loadMore();
    backend.expectNone(() => true);
  });

  it('shows an error and retries the same search', () => {
    const { store, backend } = setup();
    store.show(search({ q: 'x' }));
    backend
      .expectOne(() => true)
      .flush(
        { title: 'Service unavailable', status: 503 },
        { status: 503, statusText: 'Service Unavailable' },
      );
    expect(store.error()).toContain('The search failed');
    expect(store.loading()).toBeNull();

    store.retry();
    expect(store.error()).toBeNull();
    backend.expectOne((r) => r.params.get('q') === 'x').flush(page([hit('a')]));
    expect(store.items()).toHaveLength(1);
  });

  it('empties the results when the search becomes blank', () => {
    const { store, backend } = setup();
    store.show(search({ q: 'x' }));
    backend.expectOne(() => true).flush(page([hit('a')]));
    store.show(EMPTY_SEARCH);
    expect(store.items()).toEqual([]);
    expect(store.total()).toBe(0);
    expect(store.loaded()).toBe(false);
  });
});
