import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { MatDivider } from '@angular/material/divider';
import { Router } from '@angular/router';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { ExternalNavigation } from '../../../../core/auth/external-navigation';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { problemCode } from '../../../../core/http/error-catalogue';
import { signInErrorMessage, ssoErrorMessage } from '../../data/auth-errors';
import { AccountStore, ProfileUnavailable } from '../../data/account.store';
import { BROWSER_STORAGE, STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { AUTH_FORM_IMPORTS } from '../auth-form-imports';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * E-mail first: the e-mail's domain decides whether the sign-in goes straight to the
 * organization's IdP (`GET /auth/sso/discover`); otherwise the password follows. The organization
 * this browser last worked in is checked when the page opens and offered as a one-click SSO
 * sign-in when it requires SSO. SSO by organization slug stays available, and so does the password
 * (OWNERs keep it as break-glass access when the IdP fails).
 */
@Component({
  selector: 'pv-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS, MatDivider],
  templateUrl: './sign-in-page.html',
  styleUrl: '../auth-page.scss',
})
export class SignInPage implements OnInit {
  /** Where to go afterwards (set by the guards), from the query string. */
  readonly returnUrl = input<string>();
  /** Why an SSO sign-in came back failed, from the query string. */
  readonly ssoError = input<string>();

  private readonly account = inject(AccountStore);
  private readonly router = inject(Router);
  private readonly navigation = inject(ExternalNavigation);
  private readonly storage = inject(BROWSER_STORAGE);

  /** `email` until the e-mail was checked for SSO, then `password`. */
  protected readonly step = signal<'email' | 'password'>('email');
  /** The remembered organization, when it requires SSO. */
  protected readonly rememberedSso = signal<string | null>(null);

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

  ngOnInit(): void {
    const slug = this.storage.getItem(STORAGE_KEYS.lastOrganizationSlug);
    // After a failed SSO round trip, stay here: the message says what went wrong.
    if (!slug || !SLUG.test(slug) || this.ssoError()) return;
    this.account.discoverSso({ organization: slug }).then(
      (found) => this.rememberedSso.set(found.ssoRequired ? found.organizationSlug : null),
      () => undefined,
    );
  }

  /** Step one: an e-mail of a domain whose organization requires SSO goes straight to its IdP. */
  protected async next(): Promise<void> {
    this.error.set(null);
    const email = this.form.controls.email;
    if (email.invalid) {
      email.markAsTouched();
      return;
    }
    this.submitting.set(true);
    try {
      const found = await this.account.discoverSso({ email: email.value.trim() });
      if (found.ssoRequired && found.organizationSlug) {
        this.goToSso(found.organizationSlug);
        return;
      }
    } catch {
      // Discovery is a shortcut: when it fails, the password sign-in still works.
    }
    this.submitting.set(false);
    this.step.set('password');
  }

  protected changeEmail(): void {
    this.step.set('email');
    this.form.controls.password.reset();
    this.error.set(null);
  }

  protected continueWithRemembered(): void {
    const slug = this.rememberedSso();
    if (slug) this.goToSso(slug);
  }

  private goToSso(slug: string): void {
    this.storage.setItem(STORAGE_KEYS.lastOrganizationSlug, slug);
    this.navigation.assign(this.account.ssoLoginUrl(slug));
  }

  protected async submit(): Promise<void> {
    this.error.set(null);
    if (this.step() === 'email') {
      await this.next();
      return;
    }
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
    this.goToSso(this.ssoForm.getRawValue().slug.trim());
  }
}
