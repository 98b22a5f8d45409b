import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { safeReturnUrl } from '../../../../core/auth/auth.guards';
import { applyFailure, describeFailure, problemCode } from '../../../../core/http/error-catalogue';
import { AccountStore, ProfileUnavailable, SignInAfterSignUpFailed } from '../../data/account.store';
import { AUTH_ERRORS, INVITE_ERRORS, signInErrorMessage } from '../../data/auth-errors';
import { InviteSummary } from '../../components/invite-summary/invite-summary';
import { InvitePreviewStore } from '../../data/invite-preview.store';
import { AUTH_FORM_IMPORTS } from '../auth-form-imports';

export const MIN_PASSWORD_LENGTH = 10;

/** The name suggested for the organization a sign-up creates (the API's default too). */
export const suggestedOrganizationName = (name: string): string =>
  name.trim() ? `${name.trim()}'s organization` : '';

/**
 * Creates an account and its first organization (named by the user; a suggestion follows their
 * name until they edit it), then signs in unless e-mail verification is on. With `?inviteToken=`
 * (from the invitation page) it shows the invitation, the e-mail is the invited one and read-only,
 * and the account joins the inviting organization instead of creating one.
 */
@Component({
  selector: 'pv-sign-up-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS, MatProgressBar, InviteSummary],
  providers: [InvitePreviewStore],
  templateUrl: './sign-up-page.html',
  styleUrl: '../auth-page.scss',
})
export class SignUpPage {
  readonly returnUrl = input<string>();
  /** The token of the invitation this sign-up accepts. */
  readonly inviteToken = input<string>();

  private readonly account = inject(AccountStore);
  private readonly previews = inject(InvitePreviewStore);
  private readonly router = inject(Router);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Set when the account exists but must be verified before signing in. */
  protected readonly verifyEmailSentTo = signal<string | null>(null);
  protected readonly invite = this.previews.invite;
  /** Why the invitation cannot be used (expired, revoked, unknown); the form is not shown then. */
  protected readonly inviteError = computed(() => {
    const error = this.previews.error();
    return error ? describeFailure(error, INVITE_ERRORS, 'The invitation could not be loaded.') : null;
  });
  protected readonly invited = computed(() => !!this.inviteToken());
  protected readonly signInQuery = computed(() => {
    const token = this.inviteToken();
    const returnUrl = token ? `/invites/accept?token=${encodeURIComponent(token)}` : this.returnUrl();
    return returnUrl ? { returnUrl } : {};
  });

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    organizationName: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH), Validators.maxLength(200)],
    }),
  });

  constructor() {
    const { name, organizationName } = this.form.controls;
    // The suggestion follows the name until the user types an organization name of their own.
    name.valueChanges.pipe(takeUntilDestroyed()).subscribe((value) => {
      if (!organizationName.dirty) organizationName.setValue(suggestedOrganizationName(value));
    });
    effect(() => {
      const token = this.inviteToken();
      if (token) untracked(() => void this.loadInvite(token));
      else organizationName.enable();
    });
  }

  private async loadInvite(token: string): Promise<void> {
    const { email, organizationName } = this.form.controls;
    // An invited sign-up joins the inviting organization: nothing to name.
    organizationName.disable();
    const invite = await this.previews.load(token);
    if (invite) email.setValue(invite.email);
  }

  protected async submit(): Promise<void> {
    this.error.set(null);
    if (this.invited() && !this.invite()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    const { name, email, password, organizationName } = this.form.getRawValue();
    const token = this.inviteToken();
    try {
      await this.account.signUp({
        email: email.trim(),
        password,
        name: name.trim(),
        ...(token ? { inviteToken: token } : { organizationName: organizationName.trim() }),
      });
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
