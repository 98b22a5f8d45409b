import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { applyFailure, problemCode } from '../../../../core/http/error-catalogue';
import { AccountStore, ProfileUnavailable, SignInAfterSignUpFailed } from '../../data/account.store';
import { AUTH_ERRORS, signInErrorMessage } from '../../data/auth-errors';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

export const MIN_PASSWORD_LENGTH = 10;

/** Creates an account (and its first organization), then signs in unless e-mail verification is on. */
@Component({
  selector: 'pv-sign-up-page',
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
  templateUrl: './sign-up-page.html',
  styleUrl: '../auth-page.scss',
})
export class SignUpPage {
  readonly returnUrl = input<string>();

  private readonly account = inject(AccountStore);
  private readonly router = inject(Router);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Set when the account exists but must be verified before signing in. */
  protected readonly verifyEmailSentTo = signal<string | null>(null);
  protected readonly signInQuery = computed(() => (this.returnUrl() ? { returnUrl: this.returnUrl() } : {}));

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH), Validators.maxLength(200)],
    }),
  });

  protected async submit(): Promise<void> {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    const { name, email, password } = this.form.getRawValue();
    try {
      await this.account.signUp({ email: email.trim(), password, name: name.trim() });
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.submitting.set(false);
      if (error instanceof ProfileUnavailable) {
        this.error.set(error.message);
      } else if (!(error instanceof SignInAfterSignUpFailed)) {
        // Refused before the account existed: a taken e-mail or field errors go under the fields.
        this.error.set(applyFailure(this.form, error, AUTH_ERRORS, 'The account could not be created.'));
      } else if (problemCode(error.cause) === 'email_not_verified') {
        this.verifyEmailSentTo.set(email.trim());
      } else {
        this.error.set(`Your account was created, but signing in failed: ${signInErrorMessage(error.cause)}`);
      }
    }
  }
}
