import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogTitle,
  MAT_DIALOG_DATA,
} from '@angular/material/dialog';
import { BulkResult } from '../../data/library.types';

export interface BulkResultDialogData {
  result: BulkResult;
  /** Titles of the prompts by id, to name the failures. */
  titles: Partial<Record<string, string>>;
}

/** The per-id outcome of a bulk action when some ids failed. */
@Component({
  selector: 'pv-bulk-result-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle],
  template: `
    <h2 mat-dialog-title>{{ data.result.succeeded.length }} done, {{ data.result.failed.length }} failed</h2>
    <mat-dialog-content>
      <ul class="failures" aria-label="Failed prompts">
        @for (failure of data.result.failed; track failure.id) {
          <li>
            <strong>{{ data.titles[failure.id] ?? failure.id }}</strong>
            <span class="detail">{{ failure.status }} · {{ failure.detail }}</span>
          </li>
        }
      </ul>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .failures {
      margin: 0;
      padding-left: 1.25rem;
      display: grid;
      gap: 0.5rem;
    }
    .detail {
      display: block;
      color: var(--mat-sys-error);
    }
  `,
})
export class BulkResultDialog {
  protected readonly data = inject<BulkResultDialogData>(MAT_DIALOG_DATA);
}
