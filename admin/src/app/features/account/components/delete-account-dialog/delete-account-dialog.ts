import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Observable } from 'rxjs';
import { describeFailure, ErrorCatalogue } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { lastOwnerOrganizations } from '../../data/account-privacy.store';

export interface DeleteAccountData {
  erase: (password: string | null) => Promise<void>;
}

const PRIVACY_ERRORS: ErrorCatalogue = {
  reauthentication_required: {
    message:
      'Enter your password. Accounts without one (SSO): sign out, sign in again with SSO and delete within five minutes.',
  },
  reauthentication_failed: { message: 'The password is wrong.' },
  privacy_session_required: { message: 'Sign in to the console to delete your account.' },
};

/** Erases the signed-in account after the password (or a fresh SSO sign-in); closes with `true`. */
@Component({
  selector: 'pv-delete-account-dialog',
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
    <pv-dialog heading="Delete my account" [busy]="busy()" [error]="error()">
      <p class="message">
        Your account and your personal data are erased. Organizations where you are the only member are
        deleted; elsewhere your prompts stay, shown as “Deleted user”. This cannot be undone.
      </p>
      @if (owned().length) {
        <div class="owned" role="alert">
          <p>
            You are the last OWNER of these organizations, which have other members. Make someone else OWNER
            first:
          </p>
          <ul>
            @for (org of owned(); track org.id) {
              <li>{{ org.name }}</li>
            }
          </ul>
        </div>
      }
      <mat-form-field class="full">
        <mat-label>Password</mat-label>
        <input matInput type="password" [formControl]="password" autocomplete="current-password" />
        <mat-hint>Signed in with SSO only? Leave it empty within five minutes of signing in.</mat-hint>
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button mat-flat-button type="button" class="destructive" [disabled]="busy()" (click)="submit()">
          Delete my account
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
    .owned {
      margin-bottom: 1rem;
      color: var(--mat-sys-error);
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class DeleteAccountDialog {
  private readonly data = inject<DeleteAccountData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<DeleteAccountDialog, boolean>>(MatDialogRef);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly owned = signal<{ id: string; name: string }[]>([]);
  protected readonly password = new FormControl('', { nonNullable: true });

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.owned.set([]);
    try {
      await this.data.erase(this.password.value || null);
      this.ref.close(true);
    } catch (error) {
      const owned = lastOwnerOrganizations(error);
      if (owned.length) this.owned.set(owned);
      else this.error.set(describeFailure(error, PRIVACY_ERRORS, 'The account could not be deleted.'));
    } finally {
      this.busy.set(false);
    }
  }
}

export function openDeleteAccountDialog(
  dialog: MatDialog,
  data: DeleteAccountData,
): Observable<boolean | undefined> {
  return dialog
    .open<DeleteAccountDialog, DeleteAccountData, boolean>(DeleteAccountDialog, { data, width: '32rem' })
    .afterClosed();
}
