import { DatePipe, formatDate } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  LOCALE_ID,
  OnInit,
  output,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, forkJoin, map, Observable, of, switchMap } from 'rxjs';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { describeError } from '../../data/errors';
import { LibraryLookups } from '../../data/library-lookups.store';
import { DiffField, PromptDiff, PromptVariable, VersionSummary } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { SideBySideDiff } from '../side-by-side-diff/side-by-side-diff';
import { VariablesDiff } from '../variables-diff/variables-diff';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const FIELD_LABELS: Record<DiffField, string> = {
  title: 'Title',
  description: 'Description',
  content: 'Content',
  variables: 'Variables',
  metadata: 'Model settings',
};

/** A comparison: the API's text diff, and both versions' variables when they changed. */
interface Comparison {
  diff: PromptDiff;
  variables: { before: PromptVariable[]; after: PromptVariable[] } | null;
}

/** The pair of versions being compared, older first; the page keeps it in the URL. */
export interface CompareRange {
  from: number;
  to: number;
}

/**
 * Versions of the prompt, newest first, with a side-by-side comparison and revert. The compared
 * pair comes in through `from`/`to` (the page's URL) and goes out through `compared`.
 */
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
    VariablesDiff,
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
  private readonly locale = inject(LOCALE_ID);

  /** The pair to compare when the page opens or the URL changes (back/forward, a shared link). */
  readonly from = input<number | null>(null);
  readonly to = input<number | null>(null);
  /** A comparison the user asked for, to put into the URL. */
  readonly compared = output<CompareRange>();

  /** The two versions to compare. */
  protected readonly range = new FormGroup({
    from: new FormControl<number | null>(null),
    to: new FormControl<number | null>(null),
  });
  private readonly rangeValue = toSignal(this.range.valueChanges, { initialValue: this.range.value });
  protected readonly comparison = signal<Comparison | null>(null);
  protected readonly diff = computed(() => this.comparison()?.diff ?? null);
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
  /** The pair last compared (or being compared), so the URL echoing it does not compare again. */
  private requested: CompareRange | null = null;
  /** Release labels by the version they point at, for the version selects ("v3 · production"). */
  protected readonly labelsByVersion = computed(() => {
    const byVersion = new Map<number, string[]>();
    for (const [label, version] of Object.entries(this.store.prompt()?.labels ?? {})) {
      byVersion.set(version, [...(byVersion.get(version) ?? []), label].sort());
    }
    return byVersion;
  });
  /** Per version: whether its title differs from the next older one (the oldest loaded one shows it). */
  protected readonly titleChanged = computed(() => {
    const versions = this.store.versions();
    return new Set(
      versions
        .filter((v, i) => i === versions.length - 1 || versions[i + 1].title !== v.title)
        .map((v) => v.version),
    );
  });

  constructor() {
    // A pair from the URL (opening a shared link, back and forward) is compared right away.
    effect(() => {
      const from = this.from();
      const to = this.to();
      untracked(() => {
        if (from === null || to === null || from === to) return;
        const asked = this.requested;
        if (asked && asked.from === Math.min(from, to) && asked.to === Math.max(from, to)) return;
        this.range.setValue({ from: Math.min(from, to), to: Math.max(from, to) });
        this.run(Math.min(from, to), Math.max(from, to));
      });
    });
  }

  ngOnInit(): void {
    if (this.from() === null || this.to() === null) {
      const current = this.store.prompt()?.version ?? null;
      this.range.setValue({ from: current !== null && current > 1 ? current - 1 : null, to: current });
    }
    this.store.loadVersions();
  }

  /** "v12 · production · 3 Dec": the number, the labels on it and the day it was saved. */
  protected optionText(v: VersionSummary): string {
    const labels = this.labelsByVersion().get(v.version) ?? [];
    return [`v${v.version}`, ...labels, formatDate(v.createdAt, 'd MMM', this.locale)].join(' · ');
  }

  protected compare(): void {
    const { from, to } = this.range.getRawValue();
    if (from === null || to === null) return;
    const range = { from: Math.min(from, to), to: Math.max(from, to) };
    this.run(range.from, range.to);
    this.compared.emit(range);
  }

  private run(from: number, to: number): void {
    this.requested = { from, to };
    this.diffError.set(null);
    this.store
      .diff(from, to)
      .pipe(
        switchMap((diff) => this.withVariables(diff)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (comparison) => this.comparison.set(comparison),
        error: (error: unknown) =>
          this.diffError.set(describeError(error, 'The versions could not be compared')),
      });
  }

  /** Changed variables are shown as a table of fields, so both versions' variables are read. */
  private withVariables(diff: PromptDiff): Observable<Comparison> {
    if (!diff.fields.variables?.length) return of({ diff, variables: null });
    return forkJoin([this.store.version(diff.from), this.store.version(diff.to)]).pipe(
      map(([before, after]) => ({ diff, variables: { before: before.variables, after: after.variables } })),
    );
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
        this.comparison.set(null);
        this.snackBar.open(`Reverted: version ${prompt.version} is now current`, 'Dismiss', {
          duration: 5000,
        });
      });
  }
}
