import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Observable } from 'rxjs';
import { Dialog } from '../../../../shared/ui/dialog/dialog';

export interface DeleteOrganizationData {
  name: string;
}

/** Deleting an organization takes typing its exact name; closes with `true` once confirmed. */
@Component({
  selector: 'pv-delete-organization-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    ReactiveFormsModule,
  ],
  template: `
    <pv-dialog heading="Delete organization">
      <p class="message">
        This deletes <strong>{{ data.name }}</strong> with every prompt, version, member, key, webhook and
        audit event. It cannot be undone.
      </p>
      <mat-form-field class="full">
        <mat-label>Organization name</mat-label>
        <input matInput [formControl]="typed" autocomplete="off" />
        <mat-hint>Type {{ data.name }} to confirm</mat-hint>
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button
          mat-flat-button
          type="button"
          class="destructive"
          [disabled]="!matches()"
          [mat-dialog-close]="true"
        >
          Delete organization
        </button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .message {
      margin: 0 0 1rem;
    }
    .full {
      width: 100%;
    }
    .destructive:not([disabled]) {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class DeleteOrganizationDialog {
  protected readonly data = inject<DeleteOrganizationData>(MAT_DIALOG_DATA);
  protected readonly typed = new FormControl('', { nonNullable: true });
  private readonly value = toSignal(this.typed.valueChanges, { initialValue: '' });
  protected readonly matches = computed(() => this.value().trim() === this.data.name);
}

export function confirmDeleteOrganization(dialog: MatDialog, name: string): Observable<boolean | undefined> {
  return dialog
    .open<DeleteOrganizationDialog, DeleteOrganizationData, boolean>(DeleteOrganizationDialog, {
      data: { name },
      width: '30rem',
    })
    .afterClosed();
}
