import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
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
  imports: [DatePipe, MatButton, MatFormField, MatIcon, MatLabel, MatOption, MatSelect, SideBySideDiff],
  template: `
    <form class="compare" aria-label="Compare versions" (submit)="$event.preventDefault(); compare()">
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>From version</mat-label>
        <mat-select [value]="from()" (valueChange)="from.set($event)">
          @for (v of store.versions(); track v.version) {
            <mat-option [value]="v.version">v{{ v.version }} · {{ v.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>To version</mat-label>
        <mat-select [value]="to()" (valueChange)="to.set($event)">
          @for (v of store.versions(); track v.version) {
            <mat-option [value]="v.version">v{{ v.version }} · {{ v.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="!canCompare()">
        <mat-icon svgIcon="compare_arrows" aria-hidden="true" /> Compare
      </button>
    </form>

    @if (diffError(); as message) {
      <p class="error" role="alert">{{ message }}</p>
    }
    @if (diff(); as d) {
      <section class="diff" [attr.aria-label]="'Changes from version ' + d.from + ' to version ' + d.to">
        @for (field of changedFields(); track field) {
          <pv-side-by-side-diff
            [hunks]="d.fields[field]!"
            [caption]="labels[field]"
            [fromLabel]="d.from"
            [toLabel]="d.to"
          />
        } @empty {
          <p class="muted">Versions {{ d.from }} and {{ d.to }} are identical.</p>
        }
      </section>
    }

    <table class="versions" aria-label="Versions">
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Title</th>
          <th scope="col">Change note</th>
          <th scope="col">By</th>
          <th scope="col">When</th>
          <th scope="col" aria-label="Actions"></th>
        </tr>
      </thead>
      <tbody>
        @for (v of store.versions(); track v.version) {
          <tr>
            <td>
              v{{ v.version }}
              @if (v.version === store.prompt()?.version) {
                <span class="current">current</span>
              }
            </td>
            <td>{{ v.title }}</td>
            <td class="note">{{ v.changeNote || '—' }}</td>
            <td>{{ lookups.memberName(v.changedBy) }}</td>
            <td>{{ v.createdAt | date: 'medium' }}</td>
            <td class="actions">
              @if (store.permissions().edit && v.version !== store.prompt()?.version) {
                <button
                  mat-button
                  type="button"
                  (click)="revert(v.version)"
                  [attr.aria-label]="'Revert to version ' + v.version"
                >
                  <mat-icon svgIcon="restore" aria-hidden="true" /> Revert
                </button>
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
    @if (store.versionsCursor()) {
      <button mat-stroked-button type="button" class="more" (click)="store.loadVersions(true)">
        Load older versions
      </button>
    }
  `,
  styles: `
    .compare {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
      margin-bottom: 1rem;
    }
    .compare mat-form-field {
      width: 16rem;
    }
    .diff {
      display: grid;
      gap: 1rem;
      margin-bottom: 1.5rem;
    }
    .versions {
      width: 100%;
      border-collapse: collapse;
    }
    .versions th {
      text-align: left;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
      padding: 0.5rem;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .versions td {
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      height: 3rem;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .actions {
      text-align: right;
    }
    .current {
      margin-left: 0.35rem;
      font: var(--mat-sys-label-small);
      padding: 0.1rem 0.4rem;
      border-radius: 6px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .more {
      margin-top: 1rem;
    }
  `,
})
export class VersionHistory implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly labels = FIELD_LABELS;
  protected readonly from = signal<number | null>(null);
  protected readonly to = signal<number | null>(null);
  protected readonly diff = signal<PromptDiff | null>(null);
  protected readonly diffError = signal<string | null>(null);
  protected readonly canCompare = computed(() => {
    const from = this.from();
    const to = this.to();
    return from !== null && to !== null && from !== to;
  });
  protected readonly changedFields = computed(() => {
    const diff = this.diff();
    if (!diff) return [];
    return (Object.keys(FIELD_LABELS) as DiffField[]).filter((f) => diff.fields[f]?.length);
  });

  ngOnInit(): void {
    const current = this.store.prompt()?.version ?? null;
    this.to.set(current);
    this.from.set(current !== null && current > 1 ? current - 1 : null);
    this.store.loadVersions();
  }

  protected compare(): void {
    const from = this.from();
    const to = this.to();
    if (from === null || to === null) return;
    this.diffError.set(null);
    this.store.diff(Math.min(from, to), Math.max(from, to)).subscribe({
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
      )
      .subscribe((prompt) => {
        this.to.set(prompt.version);
        this.diff.set(null);
        this.snackBar.open(`Reverted: version ${prompt.version} is now current`, 'Dismiss', {
          duration: 5000,
        });
      });
  }
}
