import { DatePipe, KeyValuePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { filter, map, switchMap } from 'rxjs';
import { LibraryLookups } from '../../data/library-lookups.store';
import { canMoveLabel, PRODUCTION_LABEL } from '../../data/permissions';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { PRODUCTION_DENIED, PromoteDialog, PromoteDialogData, PromoteResult } from './promote-dialog';

/** Release labels of the prompt, the promote dialog and every past move. */
@Component({
  selector: 'pv-labels-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, KeyValuePipe, MatButton, MatIcon, MatTooltip],
  templateUrl: './labels-panel.html',
  styleUrl: './labels-panel.scss',
})
export class LabelsPanel implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly production = PRODUCTION_LABEL;
  protected readonly denied = PRODUCTION_DENIED;
  protected readonly labels = computed(() => this.store.prompt()?.labels ?? {});

  ngOnInit(): void {
    this.store.loadLabelHistory();
    if (this.store.versions().length === 0) this.store.loadVersions();
  }

  protected canMove(label: string): boolean {
    return canMoveLabel(this.store.permissions(), label);
  }

  protected promote(label?: string): void {
    const prompt = this.store.prompt();
    if (!prompt) return;
    const versions = this.store.versions().length
      ? this.store.versions()
      : [{ version: prompt.version, title: prompt.title }];
    const data: PromoteDialogData = {
      versions,
      version: prompt.version,
      labels: prompt.labels,
      canMoveProduction: this.store.permissions().moveProduction,
      label,
    };
    this.dialog
      .open<PromoteDialog, PromoteDialogData, PromoteResult>(PromoteDialog, { data })
      .afterClosed()
      .pipe(
        filter((result): result is PromoteResult => !!result),
        switchMap((result) => this.store.moveLabel(result.label, result.version).pipe(map(() => result))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) =>
        this.snackBar.open(`${result.label} now points at version ${result.version}`, 'Dismiss', {
          duration: 5000,
        }),
      );
  }
}
