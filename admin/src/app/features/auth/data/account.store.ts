import { inject, Injectable } from '@angular/core';
import { catchError, firstValueFrom, from, Observable, switchMap, throwError } from 'rxjs';
import { LoginRequest, Me, SignupRequest, SsoDiscovery, TokenResponse } from '../../../core/api/api-types';
import { AuthApi } from '../../../core/auth/auth.api';
import { SessionStore } from '../../../core/session/session.store';

/** The sign-in worked but `/me` did not load: the page asks for a reload, not for new credentials. */
export class ProfileUnavailable extends Error {
  constructor() {
    super('Signed in, but your profile could not be loaded. Reload the page.');
    this.name = 'ProfileUnavailable';
  }
}

/** The account was created but signing in with it failed (`cause` says why, e.g. not verified). */
export class SignInAfterSignUpFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('The account was created, but signing in failed');
    this.name = 'SignInAfterSignUpFailed';
  }
}

/**
 * Signing in and up, e-mail links, invitations and the password: the auth pages and the
 * change-password dialog go through here rather than calling AuthApi themselves. Each step that
 * follows an answer (loading the profile after the tokens) starts as that answer arrives.
 */
@Injectable({ providedIn: 'root' })
export class AccountStore {
  private readonly authApi = inject(AuthApi);
  private readonly session = inject(SessionStore);

  /** Signs in with e-mail and password and loads the profile. */
  signIn(credentials: LoginRequest): Promise<Me> {
    return firstValueFrom(
      this.authApi.signIn(credentials).pipe(switchMap((tokens) => this.startSession(tokens))),
    );
  }

  /** Creates the account and signs in with it (the API may require a verified e-mail first). */
  signUp(body: SignupRequest): Promise<Me> {
    const credentials = { email: body.email, password: body.password };
    return firstValueFrom(
      this.authApi.signUp(body).pipe(
        switchMap(() =>
          this.authApi
            .signIn(credentials)
            .pipe(catchError((error: unknown) => throwError(() => new SignInAfterSignUpFailed(error)))),
        ),
        switchMap((tokens) => this.startSession(tokens)),
      ),
    );
  }

  /** Finishes single sign-on: the one-time code from `/sso/callback` becomes a session. */
  exchangeSsoCode(code: string): Promise<Me> {
    return firstValueFrom(
      this.authApi
        .exchangeSsoCode(code)
        .pipe(switchMap((result) => this.startSession(result, result.organizationId))),
    );
  }

  /** Joins the invitation's organization and switches to it. */
  acceptInvite(token: string): Promise<void> {
    return firstValueFrom(
      this.authApi
        .acceptInvite(token)
        .pipe(
          switchMap((accepted) =>
            from(this.session.reload().then(() => this.session.selectOrganization(accepted.organizationId))),
          ),
        ),
    );
  }

  /** Confirms the e-mail address; a signed-in user's profile then says it is verified. */
  async verifyEmail(token: string): Promise<void> {
    await firstValueFrom(this.authApi.verifyEmail(token), { defaultValue: undefined });
    if (this.session.signedIn()) void this.session.reload();
  }

  async forgotPassword(email: string): Promise<void> {
    await firstValueFrom(this.authApi.forgotPassword(email), { defaultValue: undefined });
  }

  async resetPassword(token: string, password: string): Promise<void> {
    await firstValueFrom(this.authApi.resetPassword(token, password), { defaultValue: undefined });
  }

  /** Changes the password; the API signs out the user's other sessions. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await firstValueFrom(this.authApi.changePassword(currentPassword, newPassword), {
      defaultValue: undefined,
    });
  }

  /** Where the browser goes to start SAML sign-in for an organization. */
  /** Whether to send this sign-in straight to an IdP (`ssoRequired`, `loginUrl`). */
  discoverSso(query: { email?: string; organization?: string }): Promise<SsoDiscovery> {
    return firstValueFrom(this.authApi.discoverSso(query));
  }

  ssoLoginUrl(slug: string): string {
    return this.authApi.ssoLoginUrl(slug);
  }

  private startSession(tokens: TokenResponse, organizationId?: string): Observable<Me> {
    return from(this.session.signIn(tokens, organizationId)).pipe(
      catchError(() => throwError(() => new ProfileUnavailable())),
    );
  }
}
