import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl, FormControl, FormGroup, ValidationErrors, Validators } from '@angular/forms';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { AccountStore } from '../../data/account.store';
import { MIN_PASSWORD_LENGTH } from '../sign-up-page/sign-up-page';
import { AUTH_FORM_IMPORTS } from '../auth-form-imports';

function sameAsPassword(control: AbstractControl): ValidationErrors | null {
  const password = control.parent?.get('password')?.value as string | undefined;
  return control.value === password ? null : { mismatch: true };
}

/** The e-mailed link `/reset-password?token=…`: choose a new password (signs out everywhere). */
@Component({
  selector: 'pv-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
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
