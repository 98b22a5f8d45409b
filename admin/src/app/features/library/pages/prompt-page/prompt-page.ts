import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTab, MatTabContent, MatTabGroup } from '@angular/material/tabs';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { filter, switchMap } from 'rxjs';
import { SessionStore } from '../../../../core/session/session.store';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { EvaluationsPanel } from '../../../evaluations/components/evaluations-panel/evaluations-panel';
import { Markdown } from '../../../../shared/ui/markdown/markdown';
import { PromptText } from '../../../../shared/ui/prompt-text/prompt-text';
import { ActivityList } from '../../components/activity-list/activity-list';
import { CommentsThread } from '../../components/comments-thread/comments-thread';
import { LabelsPanel } from '../../components/labels-panel/labels-panel';
import { TestCasesPanel } from '../../components/test-cases-panel/test-cases-panel';
import { VariablesPreview } from '../../components/variables-preview/variables-preview';
import { CompareRange, VersionHistory } from '../../components/version-history/version-history';
import { LibraryLookups } from '../../data/library-lookups.store';
import { canCreate } from '../../data/permissions';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { PromptUsage } from '../../../analytics/components/prompt-usage/prompt-usage';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';

/** The page's tabs in order, by the `?tab=` value that opens each (the first one needs none). */
export const PROMPT_TABS = [
  'overview',
  'versions',
  'labels',
  'evaluate',
  'test-cases',
  'comments',
  'activity',
] as const;
export type PromptTab = (typeof PROMPT_TABS)[number];

/** A positive whole version number from the URL, or null. */
function versionParam(value: string | undefined): number | null {
  return value !== undefined && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

@Component({
  selector: 'pv-prompt-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Skeleton,
    MatTooltip,
    ActivityList,
    CommentsThread,
    DatePipe,
    EmptyState,
    EvaluationsPanel,
    LabelsPanel,
    Markdown,
    MatButton,
    MatChip,
    MatChipSet,
    MatIcon,
    MatIconButton,
    MatTab,
    MatTabContent,
    MatTabGroup,
    PromptUsage,
    PromptText,
    RouterLink,
    TestCasesPanel,
    VariablesPreview,
    VersionHistory,
  ],
  providers: [PromptDetailStore],
  templateUrl: './prompt-page.html',
  styleUrl: './prompt-page.scss',
})
export class PromptPage {
  /** Route parameter `:id`. */
  readonly id = input.required<string>();
  /** Query parameter `tab`: the open tab, so every tab can be linked to and survives a reload. */
  readonly tab = input<string>();
  /** Query parameters `from` and `to`: the versions compared on the versions tab. */
  readonly from = input<string>();
  readonly to = input<string>();

  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly canDuplicate = computed(() => canCreate(this.lookups.actor()));
  protected readonly labelEntries = computed(() => Object.entries(this.store.prompt()?.labels ?? {}));
  protected readonly tabIndex = computed(() => Math.max(0, PROMPT_TABS.indexOf(this.tab() as PromptTab)));
  protected readonly compareFrom = computed(() => versionParam(this.from()));
  protected readonly compareTo = computed(() => versionParam(this.to()));

  constructor() {
    effect(() => {
      const id = this.id();
      if (!this.session.organizationId()) return;
      untracked(() => {
        this.lookups.load();
        this.store.load(id);
      });
    });
  }

  /** A tab the user opened goes into the URL (a new history entry, so back returns to the last one). */
  protected selectTab(index: number): void {
    if (index === this.tabIndex()) return;
    const tab = PROMPT_TABS[index] ?? 'overview';
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { tab: tab === 'overview' ? null : tab, from: null, to: null },
      queryParamsHandling: 'merge',
    });
  }

  /** The compared versions go into the URL, so a diff can be shared and reloaded. */
  protected compared(range: CompareRange): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { tab: 'versions', from: range.from, to: range.to },
      queryParamsHandling: 'merge',
    });
  }

  protected copyContent(): void {
    const prompt = this.store.prompt();
    if (!prompt) return;
    const copied = this.clipboard.copy(prompt.content);
    this.snackBar.open(copied ? 'Prompt copied to the clipboard' : 'Copying failed', undefined, {
      duration: 3000,
    });
  }

  protected duplicate(): void {
    const prompt = this.store.prompt();
    if (!prompt) return;
    this.store
      .duplicate()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((copy) => {
        this.snackBar.open(`Created “${copy.title}”`, 'Dismiss', { duration: 5000 });
        void this.router.navigate(['/prompts', copy.id]);
      });
  }

  protected remove(): void {
    const prompt = this.store.prompt();
    if (!prompt) return;
    const data: ConfirmDialogData = {
      title: `Delete “${prompt.title}”?`,
      message:
        'The prompt, all its versions, labels, test cases and comments are deleted. This cannot be undone.',
      confirm: 'Delete',
      destructive: true,
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(
        filter((yes) => yes === true),
        switchMap(() => this.store.delete()),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(() => {
        this.snackBar.open(`Deleted “${prompt.title}”`, 'Dismiss', { duration: 5000 });
        void this.router.navigateByUrl('/');
      });
  }
}
