import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { AuthApi } from '../../../../core/auth/auth.api';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { AUTH_ERRORS } from '../../data/auth-errors';
import { SessionStore } from '../../../../core/session/session.store';

/**
 * After a successful SAML sign-in the API redirects to `/sso/callback?code=…`; the one-time
 * code (single use, short-lived) is exchanged for a session in the organization signed into.
 */
@Component({
  selector: 'pv-sso-callback-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatCard, MatCardContent, MatIcon, MatProgressBar, MatButton],
  template: `
    <mat-card class="card" appearance="outlined">
      <mat-card-content>
        <h1 class="card-title">Single sign-on</h1>
        @if (error(); as message) {
          <div class="alert" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <p>{{ message }}</p>
          </div>
          <a mat-stroked-button routerLink="/sign-in">Back to sign in</a>
        } @else {
          <p class="lead">Signing you in…</p>
          <mat-progress-bar mode="indeterminate" aria-label="Signing in" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: '../auth-page.scss',
})
export class SsoCallbackPage implements OnInit {
  readonly code = input<string>();
  private readonly authApi = inject(AuthApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const code = this.code();
    if (!code) {
      this.error.set('The sign-in link is incomplete. Start single sign-on again.');
      return;
    }
    this.authApi.exchangeSsoCode(code).subscribe({
      next: (result) => {
        this.session
          .signIn(result, result.organizationId)
          .then(() => this.router.navigateByUrl('/', { replaceUrl: true }))
          .catch(() => this.error.set('Signed in, but your profile could not be loaded. Reload the page.'));
      },
      error: (error: unknown) =>
        this.error.set(
          describeFailure(
            error,
            AUTH_ERRORS,
            'This sign-in link is no longer valid. Start single sign-on again.',
          ),
        ),
    });
  }
}
