import { DatePipe, KeyValuePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit } from '@angular/core';
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
  template: `
    <div class="header">
      <h3>Release labels</h3>
      <span class="spacer"></span>
      @if (store.permissions().moveLabels) {
        <button mat-flat-button type="button" (click)="promote()">
          <mat-icon svgIcon="publish" aria-hidden="true" /> Promote
        </button>
      }
    </div>
    @if (store.permissions().moveLabels && !store.permissions().moveProduction) {
      <p class="note" role="note">
        <mat-icon svgIcon="info" aria-hidden="true" /> {{ denied }} You can move other labels such as staging.
      </p>
    }
    <ul class="labels" aria-label="Labels">
      @for (entry of labels() | keyvalue; track entry.key) {
        <li class="label" [class.production]="entry.key === production">
          <mat-icon svgIcon="label" aria-hidden="true" />
          <span class="name">{{ entry.key }}</span>
          <span class="version">v{{ entry.value }}</span>
          @if (store.permissions().moveLabels) {
            <button
              mat-button
              type="button"
              [disabled]="!canMove(entry.key)"
              [matTooltip]="canMove(entry.key) ? '' : denied"
              [attr.aria-label]="'Move ' + entry.key"
              (click)="promote(entry.key)"
            >
              Move
            </button>
          }
        </li>
      } @empty {
        <li class="muted">No labels yet. Promote a version to give it a label such as production.</li>
      }
    </ul>

    <h3>History</h3>
    <ol class="history" aria-label="Label history">
      @for (move of store.labelHistory(); track $index) {
        <li>
          <strong>{{ move.label }}</strong>
          {{ move.fromVersion === null ? 'set to' : 'moved from v' + move.fromVersion + ' to' }} v{{
            move.toVersion
          }}
          <span class="muted"
            >by {{ lookups.memberName(move.movedBy) }}, {{ move.movedAt | date: 'medium' }}</span
          >
        </li>
      } @empty {
        <li class="muted">No label has been moved yet.</li>
      }
    </ol>
  `,
  styles: `
    .header {
      display: flex;
      align-items: center;
    }
    h3 {
      font: var(--mat-sys-title-medium);
      margin: 0.5rem 0;
    }
    .spacer {
      flex: 1;
    }
    .note {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
    }
    .labels {
      list-style: none;
      padding: 0;
      margin: 0 0 1.5rem;
      display: grid;
      gap: 0.5rem;
    }
    .label {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      padding: 0.5rem 0.75rem;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    .label.production {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .name {
      font: var(--mat-sys-title-small);
      flex: 1;
    }
    .version {
      font: var(--mat-sys-label-large);
    }
    .history {
      padding-left: 1.25rem;
      display: grid;
      gap: 0.35rem;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class LabelsPanel implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

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
      )
      .subscribe((result) =>
        this.snackBar.open(`${result.label} now points at version ${result.version}`, 'Dismiss', {
          duration: 5000,
        }),
      );
  }
}
