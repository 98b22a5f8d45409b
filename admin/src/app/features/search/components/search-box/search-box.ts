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
import { filter } from 'rxjs';
import { InstantResults, QuickSearchStore } from '../../data/quick-search.store';
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
import { isTypingTarget } from '../../../../shared/ui/keyboard/typing-target';
import { registerSearchIcons } from '../../search-icons';

type Choice = { kind: 'hit'; hit: SearchHit } | { kind: 'all' } | { kind: 'recent'; recent: RecentSearch };

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
  providers: [QuickSearchStore],
  host: {
    '(document:keydown)': 'onDocumentKeydown($event)',
  },
  templateUrl: './search-box.html',
  styleUrl: './search-box.scss',
})
export class SearchBox {
  private readonly store = inject(QuickSearchStore);
  private readonly router = inject(Router);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');
  private readonly trigger = viewChild.required(MatAutocompleteTrigger);

  protected readonly text = signal('');
  protected readonly query = computed(() => this.text().trim());
  protected readonly recent = this.store.recent;
  /** The instant state if it belongs to the text shown (the route may have changed the text). */
  private readonly current = computed<InstantResults>(() => {
    const state = this.store.instant();
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

    // On the results page the box shows (and edits) that page's query: now (the box loads after
    // start-up, maybe on a results page) and after every navigation; leaving it empties the box.
    this.showResultsQuery();
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(() => this.showResultsQuery());
  }

  /** Whether the last navigation ended on the results page. */
  private onResultsPage = false;

  /** On the results page the box shows its query; leaving that page clears the box. */
  private showResultsQuery(): void {
    const results = this.resultsState();
    if (results) this.text.set(results.q);
    else if (this.onResultsPage) this.text.set('');
    this.onResultsPage = results !== null;
  }

  /** The state of the results page when it is the current page, else null. */
  private resultsState(): SearchState | null {
    const tree = this.router.parseUrl(this.router.url);
    const path = tree.root.children['primary']?.segments.map((s) => s.path).join('/');
    return path === 'search' ? searchStateFromParams(tree.queryParams) : null;
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.store.type(value);
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
    void this.store.loadRecent();
  }
}
