import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { AccountStore } from '../../data/account.store';
import { MIN_PASSWORD_LENGTH } from '../sign-up-page/sign-up-page';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

function sameAsPassword(control: AbstractControl): ValidationErrors | null {
  const password = control.parent?.get('password')?.value as string | undefined;
  return control.value === password ? null : { mismatch: true };
}

/** The e-mailed link `/reset-password?token=…`: choose a new password (signs out everywhere). */
@Component({
  selector: 'pv-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    ReactiveFormsModule,
    RouterLink,
    MatCard,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatButton,
    MatIcon,
  ],
  templateUrl: './reset-password-page.html',
  styleUrl: '../auth-page.scss',
})
export class ResetPasswordPage {
  readonly token = input<string>();
  private readonly account = inject(AccountStore);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly submitting = signal(false);
  protected readonly done = signal(false);
  protected readonly form = new FormGroup({
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH), Validators.maxLength(200)],
    }),
    confirm: new FormControl('', { nonNullable: true, validators: [sameAsPassword] }),
  });

  constructor() {
    this.form.controls.password.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }));
  }

  protected async submit(): Promise<void> {
    const token = this.token();
    if (!token) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    try {
      await this.account.resetPassword(token, this.form.getRawValue().password);
      this.done.set(true);
    } catch (error) {
      this.submitting.set(false);
      applyFieldErrors(this.form, error);
    }
  }
}
