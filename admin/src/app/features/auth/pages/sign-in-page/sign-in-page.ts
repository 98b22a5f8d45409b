import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatDivider } from '@angular/material/divider';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { ExternalNavigation } from '../../../../core/auth/external-navigation';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { problemCode } from '../../../../core/http/error-catalogue';
import { signInErrorMessage, ssoErrorMessage } from '../../data/auth-errors';
import { AccountStore, ProfileUnavailable } from '../../data/account.store';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Password sign-in, and SSO sign-in by organization slug. */
@Component({
  selector: 'pv-sign-in-page',
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

  private readonly account = inject(AccountStore);
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

  protected async submit(): Promise<void> {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    const { email, password } = this.form.getRawValue();
    try {
      await this.account.signIn({ email: email.trim(), password });
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.submitting.set(false);
      if (error instanceof ProfileUnavailable) {
        this.error.set(error.message);
        return;
      }
      if (applyFieldErrors(this.form, error).length === 0 && this.form.valid) {
        this.error.set(signInErrorMessage(error));
      }
      if (problemCode(error) === 'sso_required') this.ssoOpen.set(true);
    }
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
    this.navigation.assign(this.account.ssoLoginUrl(slug));
  }
}
