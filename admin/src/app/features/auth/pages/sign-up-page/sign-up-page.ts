import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { switchMap } from 'rxjs';
import { AuthApi } from '../../../../core/auth/auth.api';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { ProblemError } from '../../../../core/http/problem';
import { SessionStore } from '../../../../core/session/session.store';
import { signInErrorMessage } from '../../auth-errors';

export const MIN_PASSWORD_LENGTH = 10;

/** Creates an account (and its first organization), then signs in unless e-mail verification is on. */
@Component({
  selector: 'pv-sign-up-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
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

  private readonly authApi = inject(AuthApi);
  private readonly session = inject(SessionStore);
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

  protected submit(): void {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    const { name, email, password } = this.form.getRawValue();
    const credentials = { email: email.trim(), password };
    let created = false;
    this.authApi
      .signUp({ ...credentials, name: name.trim() })
      .pipe(
        switchMap(() => {
          created = true;
          return this.authApi.signIn(credentials);
        }),
      )
      .subscribe({
        next: (tokens) => {
          void this.session
            .signIn(tokens)
            .then(() => this.router.navigateByUrl(safeReturnUrl(this.returnUrl())));
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          if (!created) {
            applyFieldErrors(this.form, error);
            return;
          }
          if (error instanceof ProblemError && error.problem.code === 'email_not_verified') {
            this.verifyEmailSentTo.set(credentials.email);
          } else {
            this.error.set(`Your account was created, but signing in failed: ${signInErrorMessage(error)}`);
          }
        },
      });
  }
}
