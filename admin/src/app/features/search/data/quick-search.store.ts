import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  firstValueFrom,
  map,
  of,
  Subject,
  switchMap,
} from 'rxjs';
import { SearchApi } from './search.api';
import { EMPTY_SEARCH } from './search-url';
import { RecentSearch, SearchHit } from './search.types';

/** How long typing must pause before the instant results are asked for. */
export const INSTANT_DEBOUNCE_MS = 200;
const INSTANT_LIMIT = 6;
const RECENT_SHOWN = 8;

export type InstantResults =
  | { status: 'idle' }
  | { status: 'loading'; q: string }
  | { status: 'done'; q: string; hits: SearchHit[]; total: number }
  | { status: 'error'; q: string };

/**
 * What the toolbar search box shows: instant results for the text typed (debounced; a newer
 * text cancels the older request) and the user's recent searches. The command palette finds its
 * prompts with it too. Provided by the box (and the palette) itself, so the stream ends with it.
 */
@Injectable()
export class QuickSearchStore {
  private readonly api = inject(SearchApi);
  private readonly typed = new Subject<string>();

  private readonly instantState = signal<InstantResults>({ status: 'idle' });
  readonly instant = this.instantState.asReadonly();
  private readonly recentList = signal<RecentSearch[]>([]);
  readonly recent = this.recentList.asReadonly();

  constructor() {
    this.typed
      .pipe(
        map((q) => q.trim()),
        debounceTime(INSTANT_DEBOUNCE_MS),
        distinctUntilChanged(),
        switchMap((q) => {
          if (!q) return of<InstantResults>({ status: 'idle' });
          this.instantState.set({ status: 'loading', q });
          // Previews are not recent searches: only a submitted search is recorded.
          return this.api.search({ ...EMPTY_SEARCH, q }, { limit: INSTANT_LIMIT, record: false }).pipe(
            map((page): InstantResults => ({ status: 'done', q, hits: page.items, total: page.total })),
            catchError(() => of<InstantResults>({ status: 'error', q })),
          );
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((state) => this.instantState.set(state));
  }

  /** The text as typed; the instant results follow once typing pauses. */
  type(text: string): void {
    this.typed.next(text);
  }

  async loadRecent(): Promise<void> {
    try {
      const items = await firstValueFrom(this.api.recent());
      this.recentList.set(items.slice(0, RECENT_SHOWN));
    } catch {
      // Recent searches are a convenience: without them the box still searches.
      this.recentList.set([]);
    }
  }
}
