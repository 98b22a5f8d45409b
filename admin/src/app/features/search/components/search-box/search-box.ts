import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  MatAutocomplete,
  MatAutocompleteSelectedEvent,
  MatAutocompleteTrigger,
} from '@angular/material/autocomplete';
import { MatOptgroup, MatOption } from '@angular/material/core';
import { MatFormField, MatLabel, MatPrefix, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { NavigationEnd, Router } from '@angular/router';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, Subject, switchMap } from 'rxjs';
import { SearchApi } from '../../data/search.api';
import {
  describeSearch,
  EMPTY_SEARCH,
  isBlank,
  SearchState,
  searchStateFromParams,
  searchStateFromSaved,
  searchStateToParams,
} from '../../data/search-url';
import { RecentSearch, SearchHit } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';

/** How long typing must pause before the instant results are asked for. */
export const INSTANT_DEBOUNCE_MS = 200;
const INSTANT_LIMIT = 6;
const RECENT_SHOWN = 8;

type Choice = { kind: 'hit'; hit: SearchHit } | { kind: 'all' } | { kind: 'recent'; recent: RecentSearch };

type Instant =
  | { status: 'idle' }
  | { status: 'loading'; q: string }
  | { status: 'done'; q: string; hits: SearchHit[]; total: number }
  | { status: 'error'; q: string };

/**
 * The toolbar search: instant results while typing (debounced; a newer query cancels the older
 * request), recent searches when empty, Enter for the full results page, `/` to focus from
 * anywhere except while typing in a field, Escape to close.
 */
@Component({
  selector: 'pv-search-box',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatAutocomplete,
    MatAutocompleteTrigger,
    MatFormField,
    MatIcon,
    MatInput,
    MatLabel,
    MatOptgroup,
    MatOption,
    MatPrefix,
    MatSuffix,
  ],
  host: {
    '(document:keydown)': 'onDocumentKeydown($event)',
  },
  template: `
    <mat-form-field class="field" appearance="outline" subscriptSizing="dynamic">
      <mat-label>Search prompts</mat-label>
      <mat-icon matPrefix class="prefix" svgIcon="search" aria-hidden="true" />
      <input
        #input
        matInput
        type="search"
        autocomplete="off"
        aria-keyshortcuts="/"
        [value]="text()"
        [matAutocomplete]="panel"
        (input)="onInput($any($event.target).value)"
        (focus)="onFocus()"
        (keydown.enter)="onEnter($event)"
        (keydown.escape)="onEscape()"
      />
      @if (!text()) {
        <kbd matSuffix class="hint" aria-hidden="true">/</kbd>
      }
    </mat-form-field>
    <mat-autocomplete
      #panel="matAutocomplete"
      class="pv-search-panel"
      panelWidth="30rem"
      [displayWith]="display"
      (optionSelected)="choose($event)"
    >
      @if (query()) {
        @switch (status()) {
          @case ('loading') {
            <mat-option disabled class="note">Searching…</mat-option>
          }
          @case ('error') {
            <mat-option disabled class="note">Search failed. Press Enter to try the results page.</mat-option>
          }
          @case ('done') {
            @for (hit of hits(); track hit.id) {
              <mat-option [value]="{ kind: 'hit', hit }" class="hit">
                <span class="hit-body">
                  @if (hit.highlights.title) {
                    <span class="hit-title" [innerHTML]="hit.highlights.title"></span>
                  } @else {
                    <span class="hit-title">{{ hit.title }}</span>
                  }
                  @if (hit.highlights.description) {
                    <span class="hit-text" [innerHTML]="hit.highlights.description"></span>
                  } @else if (hit.highlights.content?.length) {
                    <span class="hit-text" [innerHTML]="hit.highlights.content![0]"></span>
                  } @else if (hit.description) {
                    <span class="hit-text">{{ hit.description }}</span>
                  }
                </span>
              </mat-option>
            } @empty {
              <mat-option disabled class="note">No prompts match “{{ query() }}”</mat-option>
            }
          }
        }
        <mat-option [value]="{ kind: 'all' }" class="all">
          <mat-icon svgIcon="arrow_forward" aria-hidden="true" />
          <span>{{ allLabel() }}</span>
        </mat-option>
      } @else if (recent().length) {
        <mat-optgroup label="Recent searches">
          @for (item of recent(); track $index) {
            <mat-option [value]="{ kind: 'recent', recent: item }">
              <mat-icon svgIcon="history" aria-hidden="true" />
              <span>{{ describe(item) }}</span>
            </mat-option>
          }
        </mat-optgroup>
      }
    </mat-autocomplete>
    <span class="cdk-visually-hidden" aria-live="polite">{{ announcement() }}</span>
  `,
  styles: `
    :host {
      display: block;
      flex: 0 1 34rem;
      /* Still usable when the toolbar is crowded (narrow screens). */
      min-width: 9rem;
      margin-inline-start: 1.5rem;
    }
    @media (max-width: 599.98px) {
      :host {
        margin-inline-start: 0.25rem;
      }
      .hint {
        display: none;
      }
    }
    .field {
      width: 100%;
      --mat-form-field-container-height: 40px;
      --mat-form-field-container-vertical-padding: 8px;
      --mat-form-field-outlined-container-shape: 20px;
      --mat-form-field-outlined-outline-color: var(--mat-sys-outline-variant);
    }
    .prefix {
      margin-inline: 0.75rem 0.25rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .hit-body {
      display: flex;
      flex-direction: column;
      min-width: 0;
      padding-block: 0.375rem;
      line-height: 1.3;
    }
    .hit-title {
      font: var(--mat-sys-body-large);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .hit-text {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .hit-title ::ng-deep mark,
    .hit-text ::ng-deep mark {
      background: color-mix(in srgb, #f9c74f 50%, transparent);
      color: inherit;
      border-radius: 2px;
      padding: 0 1px;
    }
    .note {
      font: var(--mat-sys-body-medium);
    }
    .all {
      border-top: 1px solid var(--mat-sys-outline-variant);
      color: var(--mat-sys-primary);
    }
    .hint {
      margin-inline-end: 0.75rem;
      padding: 0 0.4rem;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 4px;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class SearchBox {
  private readonly api = inject(SearchApi);
  private readonly router = inject(Router);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');
  private readonly trigger = viewChild.required(MatAutocompleteTrigger);
  private readonly typed = new Subject<string>();

  protected readonly text = signal('');
  protected readonly query = computed(() => this.text().trim());
  protected readonly instant = signal<Instant>({ status: 'idle' });
  protected readonly recent = signal<RecentSearch[]>([]);
  /** The instant state if it belongs to the text shown (the route may have changed the text). */
  private readonly current = computed<Instant>(() => {
    const state = this.instant();
    return state.status !== 'idle' && state.q === this.query() ? state : { status: 'idle' };
  });
  protected readonly status = computed(() => this.current().status);
  protected readonly hits = computed(() => {
    const state = this.current();
    return state.status === 'done' ? state.hits : [];
  });
  protected readonly allLabel = computed(() => {
    const state = this.current();
    const count = state.status === 'done' ? ` (${state.total})` : '';
    return `See all results for “${this.query()}”${count}`;
  });
  protected readonly announcement = computed(() => {
    const state = this.current();
    if (state.status !== 'done') return '';
    return state.total === 1 ? '1 prompt matches' : `${state.total} prompts match`;
  });
  protected readonly describe = (recent: RecentSearch): string =>
    describeSearch(recent.query, recent.filters);
  /** What the field shows after an option is picked (a hit clears it, a recent search fills it). */
  protected readonly display = (choice: Choice | null): string => {
    if (!choice) return '';
    if (choice.kind === 'recent') return choice.recent.query;
    if (choice.kind === 'all') return this.text();
    return '';
  };

  constructor() {
    registerSearchIcons();
    this.typed
      .pipe(
        map((q) => q.trim()),
        debounceTime(INSTANT_DEBOUNCE_MS),
        distinctUntilChanged(),
        switchMap((q) => {
          if (!q) return of<Instant>({ status: 'idle' });
          this.instant.set({ status: 'loading', q });
          return this.api.search({ ...EMPTY_SEARCH, q }, { limit: INSTANT_LIMIT, record: false }).pipe(
            map((page): Instant => ({ status: 'done', q, hits: page.items, total: page.total })),
            catchError(() => of<Instant>({ status: 'error', q })),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((state) => this.instant.set(state));

    // On the results page the box shows (and edits) that page's query: now (the box loads after
    // start-up, maybe on a results page) and after every navigation.
    this.showResultsQuery();
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(() => this.showResultsQuery());
  }

  private showResultsQuery(): void {
    const results = this.resultsState();
    if (results) this.text.set(results.q);
  }

  /** The state of the results page when it is the current page, else null. */
  private resultsState(): SearchState | null {
    const tree = this.router.parseUrl(this.router.url);
    const path = tree.root.children['primary']?.segments.map((s) => s.path).join('/');
    return path === 'search' ? searchStateFromParams(tree.queryParams) : null;
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.typed.next(value);
  }

  protected onFocus(): void {
    if (!this.query()) this.loadRecent();
  }

  /** Enter without a highlighted option opens the results page for the text. */
  protected onEnter(event: Event): void {
    if (this.trigger().activeOption) return;
    event.preventDefault();
    this.openResults();
  }

  /** The panel closes itself on Escape; a second Escape leaves the field. */
  protected onEscape(): void {
    if (!this.trigger().panelOpen) this.input().nativeElement.blur();
  }

  protected choose(event: MatAutocompleteSelectedEvent): void {
    const choice = event.option.value as Choice;
    switch (choice.kind) {
      case 'hit':
        this.text.set('');
        void this.router.navigate(['/prompts', choice.hit.id]);
        break;
      case 'all':
        this.openResults();
        break;
      case 'recent': {
        const state = searchStateFromSaved(choice.recent.query, choice.recent.filters);
        this.text.set(state.q);
        void this.router.navigate(['/search'], { queryParams: searchStateToParams(state) });
        break;
      }
    }
    this.input().nativeElement.blur();
  }

  protected onDocumentKeydown(event: KeyboardEvent): void {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingTarget(event.target)) return;
    event.preventDefault();
    this.input().nativeElement.focus();
  }

  /**
   * The results page for the text; on the results page itself only the query changes and the
   * filters stay.
   */
  private openResults(): void {
    const q = this.query();
    this.trigger().closePanel();
    const results = this.resultsState();
    const state = { ...(results ?? EMPTY_SEARCH), q };
    if (isBlank(state) && !results) return;
    void this.router.navigate(['/search'], { queryParams: searchStateToParams(state) });
  }

  private loadRecent(): void {
    this.api.recent().subscribe({
      next: (items) => this.recent.set(items.slice(0, RECENT_SHOWN)),
      // Recent searches are a convenience: without them the box still searches.
      error: () => this.recent.set([]),
    });
  }
}

/** Fields, editors and anything contenteditable keep their `/`. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // Editors such as CodeMirror type into a contenteditable element.
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])'))
    return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}
