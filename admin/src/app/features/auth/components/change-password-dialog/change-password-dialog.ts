import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { AccountStore } from '../../data/account.store';
import { AUTH_ERRORS } from '../../data/auth-errors';
import { MIN_PASSWORD_LENGTH } from '../../pages/sign-up-page/sign-up-page';

/** Changes the signed-in user's password; the API signs out their other sessions. */
@Component({
  selector: 'pv-change-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Dialog, MatFormField, MatLabel, MatHint, MatError, MatInput, MatButton],
  template: `
    <pv-dialog
      heading="Change password"
      [busy]="saving()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      <mat-form-field>
        <mat-label>Current password</mat-label>
        <input
          matInput
          type="password"
          formControlName="currentPassword"
          autocomplete="current-password"
          required
        />
        @if (form.controls.currentPassword.hasError('required')) {
          <mat-error>Enter your current password</mat-error>
        } @else if (form.controls.currentPassword.hasError('server')) {
          <mat-error>{{ form.controls.currentPassword.getError('server') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>New password</mat-label>
        <input matInput type="password" formControlName="newPassword" autocomplete="new-password" required />
        <mat-hint>At least {{ minLength }} characters. Your other sessions are signed out.</mat-hint>
        @if (
          form.controls.newPassword.hasError('required') || form.controls.newPassword.hasError('minlength')
        ) {
          <mat-error>At least {{ minLength }} characters</mat-error>
        } @else if (form.controls.newPassword.hasError('server')) {
          <mat-error>{{ form.controls.newPassword.getError('server') }}</mat-error>
        }
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Change password</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    :host {
      display: block;
      min-width: min(24rem, 80vw);
    }
  `,
})
export class ChangePasswordDialog {
  protected readonly dialogRef = inject<MatDialogRef<ChangePasswordDialog, boolean>>(MatDialogRef);
  private readonly account = inject(AccountStore);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    currentPassword: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    newPassword: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH), Validators.maxLength(200)],
    }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    if (this.saving()) return;
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      await this.account.changePassword(currentPassword, newPassword);
      this.snackBar.open('Password changed; your other sessions were signed out', undefined, {
        duration: 5000,
      });
      this.dialogRef.close(true);
    } catch (error) {
      this.saving.set(false);
      this.error.set(applyFailure(this.form, error, AUTH_ERRORS, 'The password could not be changed.'));
    }
  }
}
