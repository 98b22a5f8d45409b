import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatDivider } from '@angular/material/divider';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { AuthApi } from '../../../../core/auth/auth.api';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { ExternalNavigation } from '../../../../core/auth/external-navigation';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { ProblemError } from '../../../../core/http/problem';
import { SessionStore } from '../../../../core/session/session.store';
import { signInErrorMessage, ssoErrorMessage } from '../../auth-errors';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Password sign-in, and SSO sign-in by organization slug. */
@Component({
  selector: 'pv-sign-in-page',
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
    MatDivider,
  ],
  templateUrl: './sign-in-page.html',
  styleUrl: '../auth-page.scss',
})
export class SignInPage {
  /** Where to go afterwards (set by the guards), from the query string. */
  readonly returnUrl = input<string>();
  /** Why an SSO sign-in came back failed, from the query string. */
  readonly ssoError = input<string>();

  private readonly authApi = inject(AuthApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly navigation = inject(ExternalNavigation);

  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly ssoOpen = signal(false);
  protected readonly ssoMessage = computed(() => {
    const code = this.ssoError();
    return code ? ssoErrorMessage(code) : null;
  });
  protected readonly signUpQuery = computed(() => (this.returnUrl() ? { returnUrl: this.returnUrl() } : {}));

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly ssoForm = new FormGroup({
    slug: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(SLUG)],
    }),
  });

  protected submit(): void {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    const { email, password } = this.form.getRawValue();
    this.authApi.signIn({ email: email.trim(), password }).subscribe({
      next: (tokens) => {
        this.session
          .signIn(tokens)
          .then(() => this.router.navigateByUrl(safeReturnUrl(this.returnUrl())))
          .catch(() => {
            this.submitting.set(false);
            this.error.set('Signed in, but your profile could not be loaded. Reload the page.');
          });
      },
      error: (error: unknown) => {
        this.submitting.set(false);
        if (applyFieldErrors(this.form, error).length === 0 && this.form.valid) {
          this.error.set(signInErrorMessage(error));
        }
        if (this.isSsoRequired(error)) this.ssoOpen.set(true);
      },
    });
  }

  protected toggleSso(): void {
    this.ssoOpen.update((open) => !open);
  }

  /** SAML sign-in is a full-page redirect to the IdP, which returns to /sso/callback. */
  protected continueWithSso(): void {
    if (this.ssoForm.invalid) {
      this.ssoForm.markAllAsTouched();
      return;
    }
    const slug = this.ssoForm.getRawValue().slug.trim();
    this.navigation.assign(this.authApi.ssoLoginUrl(slug));
  }

  private isSsoRequired(error: unknown): boolean {
    return error instanceof ProblemError && error.problem.code === 'sso_required';
  }
}
