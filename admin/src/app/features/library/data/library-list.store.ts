import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, tap } from 'rxjs';
import { describeError } from './errors';
import { BulkRequest, BulkResult, Prompt, PromptFilters } from './library.types';
import { PromptsApi } from './prompts.api';

export const DEFAULT_FILTERS: PromptFilters = { sort: 'updated' };

/** The library list: filters, the pages loaded so far (cursor pagination) and the selection. */
@Injectable()
export class LibraryListStore {
  private readonly api = inject(PromptsApi);
  private readonly destroyRef = inject(DestroyRef);
  private request = 0;

  readonly filters = signal<PromptFilters>(DEFAULT_FILTERS);
  readonly items = signal<Prompt[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly selected = signal<ReadonlySet<string>>(new Set());

  readonly hasMore = computed(() => this.nextCursor() !== null);
  readonly filtered = computed(() => {
    const { sort: _sort, ...rest } = this.filters();
    return Object.values(rest).some((v) => v !== undefined && v !== null && v !== false && v !== '');
  });
  readonly selectedCount = computed(() => this.selected().size);
  readonly allSelected = computed(
    () => this.items().length > 0 && this.items().every((p) => this.selected().has(p.id)),
  );

  setFilters(patch: Partial<PromptFilters>): void {
    this.filters.update((f) => ({ ...f, ...patch }));
    this.reload();
  }

  clearFilters(): void {
    this.filters.set({ sort: this.filters().sort });
    this.reload();
  }

  reload(): void {
    this.selected.set(new Set());
    this.fetch(null);
  }

  loadMore(): void {
    const cursor = this.nextCursor();
    if (cursor && !this.loading()) this.fetch(cursor);
  }

  toggle(id: string): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  toggleAll(): void {
    this.selected.set(this.allSelected() ? new Set() : new Set(this.items().map((p) => p.id)));
  }

  /** Runs a bulk action on the selection and reloads; the per-id result is returned to show. */
  bulk(action: Omit<BulkRequest, 'ids'>): Observable<BulkResult> {
    const ids = [...this.selected()];
    return this.api.bulk({ ...action, ids }).pipe(tap(() => this.reload()));
  }

  /** Favorites or unfavorites one prompt and shows the new count without reloading the page. */
  toggleFavorite(prompt: Prompt): void {
    this.api
      .toggleFavorite(prompt.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(({ favorited, favorites }) =>
        this.patchItem(prompt.id, { favorited, stats: { ...prompt.stats, favorites } }),
      );
  }

  /** Reflects a change to one prompt without reloading the page. */
  patchItem(id: string, patch: Partial<Prompt>): void {
    this.items.update((items) => items.map((p) => (p.id === id ? { ...p, ...patch } : p)));
  }

  private fetch(cursor: string | null): void {
    const request = ++this.request;
    this.loading.set(true);
    this.error.set(null);
    this.api
      .list(this.filters(), cursor)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          if (request !== this.request) return;
          this.items.update((items) => (cursor ? [...items, ...page.items] : page.items));
          this.nextCursor.set(page.nextCursor ?? null);
          this.loading.set(false);
          this.loaded.set(true);
        },
        error: (error: unknown) => {
          if (request !== this.request) return;
          this.error.set(describeError(error, 'The prompts could not be loaded'));
          this.loading.set(false);
          this.loaded.set(true);
        },
      });
  }
}
