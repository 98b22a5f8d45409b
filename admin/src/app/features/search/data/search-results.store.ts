import { computed, inject, Injectable, signal } from '@angular/core';
import { Subscription } from 'rxjs';
import { describeError } from '../../library/data/errors';
import { SearchApi } from './search.api';
import { EMPTY_SEARCH, filterChips, isBlank, SearchState } from './search-url';
import { SearchFacets, SearchHit, SearchResponse } from './search.types';

export const PAGE_SIZE = 20;

const NO_FACETS: SearchFacets = { tags: [], categories: [], authors: [], status: [] };

/**
 * The results page: the state it shows (from the URL), the pages loaded so far (cursor
 * pagination) and the facets of the first page. A new state cancels the request in flight, so a
 * slow answer to an older search never replaces a newer one.
 */
@Injectable()
export class SearchResultsStore {
  private readonly api = inject(SearchApi);
  private inFlight: Subscription | null = null;

  readonly state = signal<SearchState>(EMPTY_SEARCH);
  readonly items = signal<SearchHit[]>([]);
  readonly facets = signal<SearchFacets>(NO_FACETS);
  readonly total = signal(0);
  readonly nextCursor = signal<string | null>(null);
  /** `first`: a new search; `more`: the next page. */
  readonly loading = signal<'first' | 'more' | null>(null);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  /** Names of category and author ids met in facets, kept while filters change. */
  private readonly names = signal<ReadonlyMap<string, string>>(new Map());

  readonly blank = computed(() => isBlank(this.state()));
  readonly hasMore = computed(() => this.nextCursor() !== null);
  readonly chips = computed(() => filterChips(this.state(), (_kind, id) => this.names().get(id)));

  /** Shows this state: the first page of its results (nothing to fetch for a blank search). */
  show(state: SearchState): void {
    this.state.set(state);
    this.cancel();
    this.nextCursor.set(null);
    this.error.set(null);
    if (isBlank(state)) {
      this.items.set([]);
      this.facets.set(NO_FACETS);
      this.total.set(0);
      this.loading.set(null);
      this.loaded.set(false);
      return;
    }
    this.fetch(state, null);
  }

  /** Repeats the current search (after an error). */
  retry(): void {
    this.show(this.state());
  }

  loadMore(): void {
    const cursor = this.nextCursor();
    if (cursor && this.loading() === null) this.fetch(this.state(), cursor);
  }

  nameOf(id: string): string | undefined {
    return this.names().get(id);
  }

  /** Stops the request in flight (the page is left or a newer search starts). */
  cancel(): void {
    this.inFlight?.unsubscribe();
    this.inFlight = null;
  }

  private fetch(state: SearchState, cursor: string | null): void {
    this.loading.set(cursor ? 'more' : 'first');
    this.inFlight = this.api.search(state, { limit: PAGE_SIZE, cursor }).subscribe({
      next: (page) => this.receive(page, cursor),
      error: (error: unknown) => {
        this.error.set(
          describeError(error, cursor ? 'More results could not be loaded' : 'The search failed'),
        );
        this.loading.set(null);
        this.loaded.set(true);
        this.inFlight = null;
      },
    });
  }

  private receive(page: SearchResponse, cursor: string | null): void {
    this.items.update((items) => (cursor ? [...items, ...page.items] : page.items));
    if (!cursor) {
      this.total.set(page.total);
      // Facets come with the first page only; later pages leave them as they are.
      const facets = page.facets ?? NO_FACETS;
      this.facets.set(facets);
      const named = [...facets.categories, ...facets.authors].filter((b) => b.label);
      if (named.length) {
        this.names.update((names) => {
          const next = new Map(names);
          for (const bucket of named) next.set(bucket.value, bucket.label!);
          return next;
        });
      }
    }
    this.nextCursor.set(page.nextCursor);
    this.loading.set(null);
    this.loaded.set(true);
    this.inFlight = null;
  }
}
