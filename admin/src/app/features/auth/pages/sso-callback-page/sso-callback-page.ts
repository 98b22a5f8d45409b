import {
  ChangeDetectionStrategy,
  Component,
  inject,
  input,
  OnInit,
  signal,
  PendingTasks,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { AccountStore, ProfileUnavailable } from '../../data/account.store';
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
  private readonly account = inject(AccountStore);
  private readonly pendingTasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const code = this.code();
    if (!code) {
      this.error.set('The sign-in link is incomplete. Start single sign-on again.');
      return;
    }
    // The page is not stable (server rendering, tests) until the answer is shown.
    void this.pendingTasks.run(() => this.finish(code));
  }

  private async finish(code: string): Promise<void> {
    try {
      await this.account.exchangeSsoCode(code);
      await this.router.navigateByUrl('/', { replaceUrl: true });
    } catch (error) {
      this.error.set(
        error instanceof ProfileUnavailable
          ? error.message
          : describeFailure(
              error,
              AUTH_ERRORS,
              'This sign-in link is no longer valid. Start single sign-on again.',
            ),
      );
    }
  }
}
