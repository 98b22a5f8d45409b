import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatCheckbox } from '@angular/material/checkbox';
import {
  MatChip,
  MatChipAvatar,
  MatChipListbox,
  MatChipOption,
  MatChipRemove,
  MatChipSet,
} from '@angular/material/chips';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { TransferExports } from '../../../transfer/data/transfer-exports';
import { SavedSearchesMenu } from '../../components/saved-searches-menu/saved-searches-menu';
import { SearchResultsStore } from '../../data/search-results.store';
import {
  daysAgo,
  describeSearch,
  FilterChip,
  hasFilters,
  RECENT_DAYS,
  removeChip,
  SearchState,
  searchStateFromParams,
  searchStateToFilters,
  searchStateToParams,
  toggleTag,
} from '../../data/search-url';
import { FacetBucket, SEARCH_SORTS, SearchSort, TagMode } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';
import { MarkdownTextPipe } from '../../../../shared/ui/markdown/markdown';

type SingleFacet = 'category' | 'author' | 'status';

/**
 * `/search`: results with highlights, facets, filter chips, sort, quick filters and saved
 * searches. The URL is the state: every control navigates, and the page shows what the URL says.
 */
@Component({
  selector: 'pv-search-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [SearchResultsStore],
  imports: [
    MarkdownTextPipe,
    Skeleton,
    DatePipe,
    EmptyState,
    MatButton,
    MatButtonToggle,
    MatButtonToggleGroup,
    MatCheckbox,
    MatChip,
    MatChipAvatar,
    MatChipListbox,
    MatChipOption,
    MatChipRemove,
    MatChipSet,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    RouterLink,
    SavedSearchesMenu,
  ],
  templateUrl: './search-page.html',
  styleUrl: './search-page.scss',
})
export class SearchPage {
  private readonly router = inject(Router);
  protected readonly store = inject(SearchResultsStore);
  protected readonly sorts = SEARCH_SORTS;

  protected readonly state = this.store.state;
  private readonly exports = inject(TransferExports);
  /** Export of the results (hidden when the organization keeps exports to OWNER and ADMIN). */
  protected readonly canExport = this.exports.canExport;
  protected readonly heading = computed(() => {
    const q = this.state().q.trim();
    return q ? `Results for “${q}”` : 'Search';
  });
  protected readonly summary = computed(() =>
    describeSearch(this.state().q, searchStateToFilters(this.state())),
  );
  protected readonly sortLabel = computed(
    () => SEARCH_SORTS.find((s) => s.value === this.state().sort)?.label ?? 'Best match',
  );
  protected readonly countText = computed(() => {
    const total = this.store.total();
    if (this.store.blank() || !this.store.loaded() || this.store.error()) return '';
    const noun = total === 1 ? 'prompt' : 'prompts';
    return `${total} ${noun}`;
  });
  protected readonly filtered = computed(() => hasFilters(this.state()));
  protected readonly recentFrom = daysAgo(new Date(), RECENT_DAYS);
  protected readonly recentOn = computed(() => this.state().updatedFrom === this.recentFrom);
  protected readonly hasFacets = computed(() => {
    const facets = this.store.facets();
    return (
      this.tagBuckets().length > 0 ||
      facets.categories.length > 0 ||
      facets.authors.length > 0 ||
      facets.status.length > 0
    );
  });
  /** Tags the facets do not list (no match any more) stay visible so they can be unticked. */
  protected readonly tagBuckets = computed<FacetBucket[]>(() => {
    const buckets = this.store.facets().tags;
    const listed = new Set(buckets.map((b) => b.value));
    const missing = this.state()
      .tags.filter((t) => !listed.has(t))
      .map((value) => ({ value, count: 0 }));
    return [...missing, ...buckets];
  });

  /** Category, author and status: one value each, the same checkbox list. */
  protected readonly singleFacets = computed(() => {
    const facets = this.store.facets();
    const group = (
      kind: SingleFacet,
      id: string,
      title: string,
      buckets: FacetBucket[],
      name: (b: FacetBucket) => string,
    ) => ({
      kind,
      id,
      title,
      buckets: buckets.map((b) => ({ value: b.value, count: b.count, name: name(b) })),
    });
    return [
      group('category', 'categories', 'Categories', facets.categories, (b) => b.label ?? 'Unnamed category'),
      group('author', 'authors', 'Authors', facets.authors, (b) => b.label ?? 'Former member'),
      group('status', 'status', 'Status', facets.status, (b) => this.statusLabel(b.value)),
    ];
  });

  constructor() {
    registerSearchIcons();
    inject(ActivatedRoute)
      .queryParams.pipe(takeUntilDestroyed())
      .subscribe((params) => this.store.show(searchStateFromParams(params)));
    inject(DestroyRef).onDestroy(() => this.store.cancel());
  }

  /** Exports what this search finds: its words and filters, whatever page is loaded. */
  protected exportResults(): void {
    const state = this.state();
    this.exports.open({
      kind: 'search',
      query: state.q,
      filters: { ...searchStateToFilters(state), ...(state.highCost ? { highCost: true } : {}) },
      summary: this.summary(),
    });
  }

  protected go(state: SearchState): void {
    void this.router.navigate(['/search'], { queryParams: searchStateToParams(state) });
  }

  protected removeChip(chip: FilterChip): void {
    this.go(removeChip(this.state(), chip));
  }

  protected clearFilters(): void {
    this.go({ ...searchStateFromParams({}), q: this.state().q, sort: this.state().sort });
  }

  protected toggleTag(tag: string): void {
    this.go(toggleTag(this.state(), tag));
  }

  protected setTagMode(mode: TagMode): void {
    this.go({ ...this.state(), tagMode: mode });
  }

  /** Category, author and status take one value: ticking another replaces it. */
  protected toggleSingle(kind: SingleFacet, value: string): void {
    const state = this.state();
    const next = state[kind] === value ? null : value;
    this.go({ ...state, [kind]: next });
  }

  protected setSort(sort: SearchSort): void {
    this.go({ ...this.state(), sort });
  }

  protected toggleFavorites(): void {
    this.go({ ...this.state(), favorites: !this.state().favorites });
  }

  /** Untagged and a tag filter exclude each other: turning it on drops the tags. */
  protected toggleUntagged(): void {
    const untagged = !this.state().untagged;
    this.go({ ...this.state(), untagged, tags: untagged ? [] : this.state().tags });
  }

  protected toggleHighCost(): void {
    this.go({ ...this.state(), highCost: !this.state().highCost });
  }

  protected toggleRecent(): void {
    this.go({ ...this.state(), updatedFrom: this.recentOn() ? null : this.recentFrom });
  }

  protected statusLabel(status: string): string {
    return status.charAt(0).toUpperCase() + status.slice(1);
  }
}
