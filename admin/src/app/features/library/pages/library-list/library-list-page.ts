import { DatePipe } from '@angular/common';
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
import { MatCheckbox } from '@angular/material/checkbox';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { filter, switchMap } from 'rxjs';
import { SessionStore } from '../../../../core/session/session.store';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { BulkDialog, BulkDialogData } from '../../components/bulk-dialog/bulk-dialog';
import { BulkResultDialog, BulkResultDialogData } from '../../components/bulk-dialog/bulk-result-dialog';
import { LibraryListStore } from '../../data/library-list.store';
import { LibraryLookups } from '../../data/library-lookups.store';
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

@Component({
  selector: 'pv-library-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    EmptyState,
    MatButton,
    MatCheckbox,
    MatChip,
    MatChipSet,
    MatFormField,
    MatIcon,
    MatIconButton,
    MatLabel,
    MatOption,
    MatProgressBar,
    MatSelect,
    MatSlideToggle,
    MatTooltip,
    RouterLink,
  ],
  providers: [LibraryListStore],
  templateUrl: './library-list-page.html',
  styleUrl: './library-list-page.scss',
})
export class LibraryListPage {
  protected readonly store = inject(LibraryListStore);
  protected readonly lookups = inject(LibraryLookups);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

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
  protected readonly sorts: { value: PromptSort; label: string }[] = [
    { value: 'updated', label: 'Last updated' },
    { value: 'created', label: 'Newest' },
    { value: 'title', label: 'Title' },
    { value: 'popularity', label: 'Popular' },
    { value: 'cost', label: 'Cost (30 days)' },
  ];

  constructor() {
    // The collections page links here with ?collection=<id>; analytics drill-downs with ?category= and ?author=.
    const query = inject(ActivatedRoute).snapshot.queryParamMap;
    const [collection, category, author] = ['collection', 'category', 'author'].map(
      (k) => query.get(k) ?? undefined,
    );
    if (collection || category || author)
      this.store.filters.update((f) => ({ ...f, collection, category, author }));
    // Reload when the organization changes (the switcher) and once the session is known.
    effect(() => {
      const organizationId = this.session.organizationId();
      if (!organizationId || !this.session.signedIn()) return;
      untracked(() => {
        this.lookups.load();
        this.store.reload();
      });
    });
  }

  protected setFilter<K extends keyof PromptFilters>(key: K, value: PromptFilters[K]): void {
    this.store.setFilters({ [key]: value });
  }

  protected favorite(prompt: Prompt): void {
    this.store.toggleFavorite(prompt);
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
