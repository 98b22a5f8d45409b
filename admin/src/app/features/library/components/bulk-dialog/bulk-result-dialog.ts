import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose } from '@angular/material/dialog';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
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
  imports: [Dialog, MatButton, MatDialogClose],
  template: `
    <pv-dialog [heading]="data.result.succeeded.length + ' done, ' + data.result.failed.length + ' failed'">
      <ul class="failures" aria-label="Failed prompts">
        @for (failure of data.result.failed; track failure.id) {
          <li>
            <strong>{{ data.titles[failure.id] ?? failure.id }}</strong>
            <span class="detail">{{ failure.status }} · {{ failure.detail }}</span>
          </li>
        }
      </ul>
      <button pvDialogActions mat-flat-button type="button" mat-dialog-close>Close</button>
    </pv-dialog>
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
