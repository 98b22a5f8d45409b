import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, switchMap } from 'rxjs';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { describeError } from '../../data/errors';
import { LibraryLookups } from '../../data/library-lookups.store';
import { DiffField, PromptDiff } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { SideBySideDiff } from '../side-by-side-diff/side-by-side-diff';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const FIELD_LABELS: Record<DiffField, string> = {
  title: 'Title',
  description: 'Description',
  content: 'Content',
  variables: 'Variables',
  metadata: 'Model settings',
};

/** Versions of the prompt, newest first, with a side-by-side comparison and revert. */
@Component({
  selector: 'pv-version-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    DatePipe,
    MatButton,
    MatFormField,
    MatIcon,
    MatLabel,
    MatOption,
    MatSelect,
    ReactiveFormsModule,
    SideBySideDiff,
  ],
  templateUrl: './version-history.html',
  styleUrl: './version-history.scss',
})
export class VersionHistory implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly labels = FIELD_LABELS;
  private readonly destroyRef = inject(DestroyRef);

  /** The two versions to compare. */
  protected readonly range = new FormGroup({
    from: new FormControl<number | null>(null),
    to: new FormControl<number | null>(null),
  });
  private readonly rangeValue = toSignal(this.range.valueChanges, { initialValue: this.range.value });
  protected readonly diff = signal<PromptDiff | null>(null);
  protected readonly diffError = signal<string | null>(null);
  protected readonly canCompare = computed(() => {
    const { from, to } = this.rangeValue();
    return from != null && to != null && from !== to;
  });
  protected readonly changedFields = computed(() => {
    const diff = this.diff();
    if (!diff) return [];
    return (Object.keys(FIELD_LABELS) as DiffField[]).filter((f) => diff.fields[f]?.length);
  });

  ngOnInit(): void {
    const current = this.store.prompt()?.version ?? null;
    this.range.setValue({ from: current !== null && current > 1 ? current - 1 : null, to: current });
    this.store.loadVersions();
  }

  protected compare(): void {
    const { from, to } = this.range.getRawValue();
    if (from === null || to === null) return;
    this.diffError.set(null);
    this.store
      .diff(Math.min(from, to), Math.max(from, to))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (diff) => this.diff.set(diff),
        error: (error: unknown) =>
          this.diffError.set(describeError(error, 'The versions could not be compared')),
      });
  }

  protected revert(version: number): void {
    const data: ConfirmDialogData = {
      title: `Revert to version ${version}?`,
      message: `A new version with the content of version ${version} is created; no version is lost.`,
      confirm: 'Revert',
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(
        filter((yes) => yes === true),
        switchMap(() => this.store.revert(version, `Reverted to version ${version}`)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((prompt) => {
        this.range.controls.to.setValue(prompt.version);
        this.diff.set(null);
        this.snackBar.open(`Reverted: version ${prompt.version} is now current`, 'Dismiss', {
          duration: 5000,
        });
      });
  }
}
