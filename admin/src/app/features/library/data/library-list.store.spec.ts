import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { prompt as promptFixture } from '../../../../testing/library-fixtures';
import { LibraryListStore } from './library-list.store';
import { Prompt } from './library.types';

const prompt = (id: string): Prompt => promptFixture({ id, slug: id, title: `Prompt ${id}` });

describe('LibraryListStore', () => {
  let store: LibraryListStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [LibraryListStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(LibraryListStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends the filters and appends the next page with the cursor', () => {
    store.setFilters({ tag: 'support', status: 'published', favorite: true });
    const first = http.expectOne((r) => r.url === '/api/v1/prompts');
    expect(first.request.params.get('tag')).toBe('support');
    expect(first.request.params.get('status')).toBe('published');
    expect(first.request.params.get('favorite')).toBe('true');
    expect(first.request.params.get('sort')).toBe('updated');
    expect(first.request.params.has('cursor')).toBe(false);
    first.flush({ items: [prompt('a'), prompt('b')], nextCursor: 'c1' });
    expect(store.hasMore()).toBe(true);
    expect(store.filtered()).toBe(true);

    store.loadMore();
    const second = http.expectOne((r) => r.url === '/api/v1/prompts');
    expect(second.request.params.get('cursor')).toBe('c1');
    second.flush({ items: [prompt('c')], nextCursor: null });
    expect(store.items().map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(store.hasMore()).toBe(false);
  });

  it('ignores a slower earlier response once the filters changed', () => {
    store.reload();
    const stale = http.expectOne((r) => r.url === '/api/v1/prompts');
    store.setFilters({ status: 'archived' });
    const fresh = http.expectOne((r) => r.params.get('status') === 'archived');
    fresh.flush({ items: [prompt('new')], nextCursor: null });
    stale.flush({ items: [prompt('old')], nextCursor: 'x' });
    expect(store.items().map((p) => p.id)).toEqual(['new']);
    expect(store.nextCursor()).toBeNull();
  });

  it('selects, selects all, and sends the selection to bulk, then reloads', () => {
    store.reload();
    http
      .expectOne((r) => r.url === '/api/v1/prompts')
      .flush({ items: [prompt('a'), prompt('b')], nextCursor: null });
    store.toggle('a');
    expect(store.selectedCount()).toBe(1);
    store.toggleAll();
    expect(store.allSelected()).toBe(true);

    let result: unknown;
    store.bulk({ action: 'tag', tags: ['x'] }).subscribe((r) => (result = r));
    const bulk = http.expectOne('/api/v1/prompts/bulk');
    expect(bulk.request.body).toEqual({ action: 'tag', tags: ['x'], ids: ['a', 'b'] });
    bulk.flush({ succeeded: ['a'], failed: [{ id: 'b', status: 403, detail: 'Not yours' }] });
    expect(result).toEqual({ succeeded: ['a'], failed: [{ id: 'b', status: 403, detail: 'Not yours' }] });
    http.expectOne((r) => r.url === '/api/v1/prompts').flush({ items: [], nextCursor: null });
    expect(store.selectedCount()).toBe(0);
  });

  it('clears filters but keeps the sort', () => {
    store.setFilters({ sort: 'title', author: 'u1' });
    http.expectOne((r) => r.url === '/api/v1/prompts').flush({ items: [], nextCursor: null });
    store.clearFilters();
    const request = http.expectOne((r) => r.url === '/api/v1/prompts');
    expect(request.request.params.get('sort')).toBe('title');
    expect(request.request.params.has('author')).toBe(false);
    request.flush({ items: [], nextCursor: null });
    expect(store.filtered()).toBe(false);
  });

  it('toggles a favorite and shows the new count without reloading', () => {
    store.reload();
    http
      .expectOne((r) => r.url === '/api/v1/prompts')
      .flush({ items: [prompt('a'), prompt('b')], nextCursor: null });
    store.toggleFavorite(store.items()[0]);
    http.expectOne('/api/v1/prompts/a/favorite').flush({ favorited: true, favorites: 4 });
    expect(store.items()[0]).toMatchObject({ id: 'a', favorited: true, stats: { favorites: 4 } });
    expect(store.items()[1].favorited).toBe(false);
  });
});
