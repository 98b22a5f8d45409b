import { DatePipe, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { ActivatedRoute, ParamMap, Router, RouterLink } from '@angular/router';
import { filter, skip, switchMap } from 'rxjs';
import { SessionStore } from '../../../../core/session/session.store';
import { BROWSER_STORAGE } from '../../../../core/storage/browser-storage';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';
import { TransferExports } from '../../../transfer/data/transfer-exports';
import { BulkDialog, BulkDialogData } from '../../components/bulk-dialog/bulk-dialog';
import { BulkResultDialog, BulkResultDialogData } from '../../components/bulk-dialog/bulk-result-dialog';
import { LibraryListStore } from '../../data/library-list.store';
import { LibraryLookups } from '../../data/library-lookups.store';
import { PromptCostsStore } from '../../data/prompt-costs.store';
import {
  BulkAction,
  BulkRequest,
  BulkResult,
  Prompt,
  PromptFilters,
  PromptSort,
} from '../../data/library.types';
import { bulkActions, canCreate } from '../../data/permissions';
import { plural } from '../../../../shared/text/plural';
import { MarkdownTextPipe } from '../../../../shared/ui/markdown/markdown';

/** Cards (the default) or the compact list: dense rows that show a dozen prompts and more at once. */
export type LibraryView = 'cards' | 'compact';
/** Where the chosen view is remembered, per browser. */
export const LIBRARY_VIEW_KEY = 'pv.library.view';

/** The filters a link may carry in the URL (`?tag=`, `?collection=`, `?category=`, `?author=`). */
const URL_FILTERS = ['tag', 'collection', 'category', 'author'] as const;

const BULK_LABELS: Record<BulkAction, string> = {
  tag: 'Tagged',
  untag: 'Untagged',
  move: 'Moved',
  archive: 'Archived',
  publish: 'Published',
  delete: 'Deleted',
};

const BULK_BUTTONS: { action: BulkAction; label: string }[] = [
  { action: 'tag', label: 'Add tags' },
  { action: 'untag', label: 'Remove tags' },
  { action: 'move', label: 'Move' },
  { action: 'publish', label: 'Publish' },
  { action: 'archive', label: 'Archive' },
  { action: 'delete', label: 'Delete' },
];

function urlFilters(params: ParamMap): Pick<PromptFilters, (typeof URL_FILTERS)[number]> {
  const value = (key: string) => params.get(key) ?? undefined;
  return {
    tag: value('tag'),
    collection: value('collection'),
    category: value('category'),
    author: value('author'),
  };
}

@Component({
  selector: 'pv-library-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MarkdownTextPipe,
    DatePipe,
    EmptyState,
    MatButton,
    MatButtonToggle,
    MatButtonToggleGroup,
    MatCheckbox,
    MatFormField,
    MatIcon,
    MatIconButton,
    MatLabel,
    MatOption,
    MatSelect,
    MatSlideToggle,
    MatTooltip,
    NgTemplateOutlet,
    RouterLink,
    Skeleton,
  ],
  providers: [LibraryListStore, PromptCostsStore],
  templateUrl: './library-list-page.html',
  styleUrls: ['./library-list-page.scss', './library-compact-list.scss'],
})
export class LibraryListPage {
  protected readonly store = inject(LibraryListStore);
  protected readonly lookups = inject(LibraryLookups);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly storage = inject(BROWSER_STORAGE);
  protected readonly costs = inject(PromptCostsStore);

  /** Cards or the compact list, as this browser last chose. */
  protected readonly view = signal<LibraryView>(
    this.storage.getItem(LIBRARY_VIEW_KEY) === 'compact' ? 'compact' : 'cards',
  );

  /** Phones show the filters only when asked (the "Filters" button). */
  protected readonly filtersOpen = signal(false);
  /** Nothing to filter yet: an empty library without filters shows its empty state, not six fields. */
  protected readonly emptyLibrary = computed(
    () =>
      this.store.loaded() && !this.store.error() && !this.store.filtered() && this.store.items().length === 0,
  );
  protected readonly canCreate = computed(() => canCreate(this.lookups.actor()));
  /** The bulk actions the shared rules allow this role (none for a VIEWER: no selection either). */
  protected readonly bulkButtons = computed(() => {
    const allowed = bulkActions(this.lookups.actor());
    return BULK_BUTTONS.filter((button) => allowed.has(button.action));
  });
  protected readonly canBulk = computed(() => this.bulkButtons().length > 0);
  private readonly exports = inject(TransferExports);
  /** Export of the selection (hidden when the organization keeps exports to OWNER and ADMIN). */
  protected readonly canExport = this.exports.canExport;
  /** A VIEWER who may export selects prompts for that alone. */
  protected readonly canSelect = computed(() => this.canBulk() || this.canExport());
  protected readonly sorts: { value: PromptSort; label: string }[] = [
    { value: 'updated', label: 'Last updated' },
    { value: 'created', label: 'Newest' },
    { value: 'title', label: 'Title' },
    { value: 'popularity', label: 'Popular' },
    { value: 'cost', label: 'Cost (30 days)' },
  ];

  constructor() {
    // Links carry filters in the URL: the collections page (?collection=), analytics drill-downs
    // (?category=, ?author=) and the tag chips of this page (?tag=).
    const query = this.route.snapshot.queryParamMap;
    const initial = urlFilters(query);
    if (Object.values(initial).some((v) => v !== undefined))
      this.store.filters.update((f) => ({ ...f, ...initial }));
    // Later changes of the URL (a tag chip, back and forward) apply what changed in it and reload;
    // filters chosen in the selects that the URL does not carry stay.
    let previous = initial;
    this.route.queryParamMap.pipe(skip(1), takeUntilDestroyed()).subscribe((params) => {
      const next = urlFilters(params);
      const changed = URL_FILTERS.filter((key) => next[key] !== previous[key]);
      previous = next;
      const current = this.store.filters();
      const patch = Object.fromEntries(
        changed.filter((key) => (current[key] ?? undefined) !== next[key]).map((key) => [key, next[key]]),
      );
      if (Object.keys(patch).length) this.store.setFilters(patch);
    });
    // Reload when the organization changes (the switcher) and once the session is known.
    effect(() => {
      const organizationId = this.session.organizationId();
      if (!organizationId || !this.session.signedIn()) return;
      untracked(() => {
        this.lookups.load();
        this.store.reload();
      });
    });
    // The compact list shows each prompt's 30-day cost.
    effect(() => {
      const organizationId = this.session.organizationId();
      if (this.view() !== 'compact' || !organizationId || !this.session.signedIn()) return;
      untracked(() => this.costs.load(organizationId));
    });
  }

  protected setView(view: LibraryView): void {
    this.view.set(view);
    this.storage.setItem(LIBRARY_VIEW_KEY, view);
  }

  /** A tag chip or the Tag filter: the tag goes into the URL, which applies it (null clears it). */
  protected filterByTag(tag: string | null): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { tag: tag || null },
      queryParamsHandling: 'merge',
    });
  }

  protected clearFilters(): void {
    const params = this.route.snapshot.queryParamMap;
    if (URL_FILTERS.some((key) => params.has(key))) {
      const cleared = Object.fromEntries(URL_FILTERS.map((key) => [key, null]));
      void this.router.navigate([], {
        relativeTo: this.route,
        queryParams: cleared,
        queryParamsHandling: 'merge',
      });
    }
    this.store.clearFilters();
  }

  protected setFilter<K extends keyof PromptFilters>(key: K, value: PromptFilters[K]): void {
    this.store.setFilters({ [key]: value });
  }

  protected favorite(prompt: Prompt): void {
    this.store.toggleFavorite(prompt);
  }

  protected exportSelection(): void {
    this.exports.open({ kind: 'ids', ids: [...this.store.selected()] });
  }

  protected bulk(action: BulkAction): void {
    const count = this.store.selectedCount();
    if (action === 'tag' || action === 'untag' || action === 'move') {
      const data: BulkDialogData = { action, count, collections: this.lookups.collectionOptions() };
      this.dialog
        .open<BulkDialog, BulkDialogData, Omit<BulkRequest, 'ids'>>(BulkDialog, { data })
        .afterClosed()
        .pipe(
          filter((request): request is Omit<BulkRequest, 'ids'> => !!request),
          switchMap((request) => this.store.bulk(request)),
          takeUntilDestroyed(this.destroyRef),
        )
        .subscribe((result) => this.report(action, result));
      return;
    }
    const data: ConfirmDialogData = {
      title: `${action === 'delete' ? 'Delete' : action === 'archive' ? 'Archive' : 'Publish'} ${plural(count, 'prompt')}?`,
      message:
        action === 'delete'
          ? `${count === 1 ? 'The prompt, its' : 'The prompts, their'} versions, labels and comments are deleted. This cannot be undone.`
          : 'Prompts you are not allowed to change are skipped and listed afterwards.',
      confirm: action === 'delete' ? 'Delete' : action === 'archive' ? 'Archive' : 'Publish',
      destructive: action === 'delete',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(
        filter((yes) => yes === true),
        switchMap(() => this.store.bulk({ action })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) => this.report(action, result));
  }

  private report(action: BulkAction, result: BulkResult): void {
    if (action === 'tag') this.lookups.reloadTags();
    if (result.failed.length === 0) {
      this.snackBar.open(`${BULK_LABELS[action]} ${plural(result.succeeded.length, 'prompt')}`, 'Dismiss', {
        duration: 5000,
      });
      return;
    }
    const titles: Partial<Record<string, string>> = {};
    for (const p of this.store.items()) titles[p.id] = p.title;
    this.dialog.open<BulkResultDialog, BulkResultDialogData>(BulkResultDialog, { data: { result, titles } });
  }
}
