import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogActions, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { AuthApi } from '../../../../core/auth/auth.api';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { MIN_PASSWORD_LENGTH } from '../../pages/sign-up-page/sign-up-page';

/** Changes the signed-in user's password; the API signs out their other sessions. */
@Component({
  selector: 'pv-change-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatButton,
  ],
  template: `
    <h2 mat-dialog-title>Change password</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <mat-form-field appearance="outline">
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
            <mat-error>The current password is wrong</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>New password</mat-label>
          <input
            matInput
            type="password"
            formControlName="newPassword"
            autocomplete="new-password"
            required
          />
          <mat-hint>At least {{ minLength }} characters. Your other sessions are signed out.</mat-hint>
          @if (
            form.controls.newPassword.hasError('required') || form.controls.newPassword.hasError('minlength')
          ) {
            <mat-error>At least {{ minLength }} characters</mat-error>
          } @else if (form.controls.newPassword.hasError('server')) {
            <mat-error>{{ form.controls.newPassword.getError('server') }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Change password</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      padding-top: 0.5rem;
      min-width: min(24rem, 80vw);
    }
  `,
})
export class ChangePasswordDialog {
  protected readonly dialogRef = inject<MatDialogRef<ChangePasswordDialog, boolean>>(MatDialogRef);
  private readonly authApi = inject(AuthApi);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly saving = signal(false);
  protected readonly form = new FormGroup({
    currentPassword: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    newPassword: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH), Validators.maxLength(200)],
    }),
  });

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.saving.set(true);
    this.authApi.changePassword(currentPassword, newPassword).subscribe({
      next: () => {
        this.snackBar.open('Password changed; your other sessions were signed out', undefined, {
          duration: 5000,
        });
        this.dialogRef.close(true);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        applyFieldErrors(this.form, error);
      },
    });
  }
}
