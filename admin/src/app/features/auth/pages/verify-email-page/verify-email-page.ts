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
import { RouterLink } from '@angular/router';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { AccountStore } from '../../data/account.store';
import { AUTH_ERRORS } from '../../data/auth-errors';
import { SessionStore } from '../../../../core/session/session.store';

type State = { kind: 'verifying' } | { kind: 'verified' } | { kind: 'failed'; message: string };

/** The e-mailed link `/verify-email?token=…` lands here and verifies at once. */
@Component({
  selector: 'pv-verify-email-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatCard, MatCardContent, MatIcon, MatProgressBar, MatButton],
  template: `
    <mat-card class="card" appearance="outlined">
      <mat-card-content>
        <h1 class="card-title">Verify your e-mail</h1>
        @switch (state().kind) {
          @case ('verifying') {
            <p class="lead">Verifying your e-mail address…</p>
            <mat-progress-bar mode="indeterminate" aria-label="Verifying" />
          }
          @case ('verified') {
            <div class="notice" role="status">
              <mat-icon svgIcon="check_circle" aria-hidden="true" />
              <p>Your e-mail address is verified.</p>
            </div>
            <a mat-flat-button [routerLink]="session.signedIn() ? '/' : '/sign-in'">
              {{ session.signedIn() ? 'Continue' : 'Sign in' }}
            </a>
          }
          @case ('failed') {
            <div class="alert" role="alert">
              <mat-icon svgIcon="error" aria-hidden="true" />
              <p>{{ failure() }}</p>
            </div>
            <a mat-stroked-button routerLink="/sign-in">Back to sign in</a>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: '../auth-page.scss',
})
export class VerifyEmailPage implements OnInit {
  readonly token = input<string>();
  private readonly account = inject(AccountStore);
  private readonly pendingTasks = inject(PendingTasks);
  protected readonly session = inject(SessionStore);
  protected readonly state = signal<State>({ kind: 'verifying' });

  protected failure(): string {
    const state = this.state();
    return state.kind === 'failed' ? state.message : '';
  }

  ngOnInit(): void {
    const token = this.token();
    if (!token) {
      this.state.set({
        kind: 'failed',
        message: 'This link has no token. Open the link from the e-mail again.',
      });
      return;
    }
    // The page is not stable (server rendering, tests) until the answer is shown.
    void this.pendingTasks.run(() => this.verify(token));
  }

  private async verify(token: string): Promise<void> {
    try {
      await this.account.verifyEmail(token);
      this.state.set({ kind: 'verified' });
    } catch (error) {
      this.state.set({
        kind: 'failed',
        message: describeFailure(error, AUTH_ERRORS, 'The link is invalid or has expired.'),
      });
    }
  }
}
