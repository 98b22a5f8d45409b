import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose } from '@angular/material/dialog';
import { Observable } from 'rxjs';
import { Dialog } from '../dialog/dialog';

export interface ConfirmDialogData {
  title: string;
  message: string;
  /** The confirming button's text, e.g. "Remove". */
  confirm: string;
  /** Destructive actions get the error colour. */
  destructive?: boolean;
}

/** Yes/no question; closes with `true` when confirmed. */
@Component({
  selector: 'pv-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog, MatButton, MatDialogClose],
  template: `
    <pv-dialog [heading]="data.title">
      <p class="message">{{ data.message }}</p>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button
          mat-flat-button
          type="button"
          [class.destructive]="data.destructive"
          [mat-dialog-close]="true"
          cdkFocusInitial
        >
          {{ data.confirm }}
        </button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .message {
      margin: 0;
      white-space: pre-line;
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/**
 * Opens the confirmation (28rem wide) and emits whether the user confirmed: `true`, `false` for
 * Cancel, `undefined` when dismissed with Escape or a backdrop click.
 */
export function confirmAction(dialog: MatDialog, data: ConfirmDialogData): Observable<boolean | undefined> {
  return dialog
    .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data, width: '28rem' })
    .afterClosed();
}
