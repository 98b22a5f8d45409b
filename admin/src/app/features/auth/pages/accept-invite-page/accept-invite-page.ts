import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import { describeFailure, ErrorCatalogue } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { AccountStore } from '../../data/account.store';
import { AUTH_ERRORS } from '../../data/auth-errors';

/** An unknown token is the common `not_found`; on this page that means the invitation. */
const ACCEPT_ERRORS: ErrorCatalogue = {
  ...AUTH_ERRORS,
  not_found: { message: 'This invitation does not exist. Ask for a new one.' },
};

function acceptErrorMessage(error: unknown): string {
  return describeFailure(error, ACCEPT_ERRORS, 'Something went wrong. Please try again.');
}

/**
 * The invitation link `/invites/accept?token=…`. Accepting needs a signed-in user with the
 * invited e-mail, so a signed-out visitor signs in or up first and comes back here.
 */
@Component({
  selector: 'pv-accept-invite-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatCard, MatCardContent, MatIcon, MatButton],
  template: `
    <mat-card class="card" appearance="outlined">
      <mat-card-content>
        <h1 class="card-title">Join an organization</h1>
        @if (!token()) {
          <div class="alert" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <p>This invitation link is incomplete. Open the link from the e-mail again.</p>
          </div>
        } @else if (!session.signedIn()) {
          <p class="lead">
            You were invited to Prompt Vault. Sign in, or create an account with the e-mail address the
            invitation was sent to; you come back here afterwards.
          </p>
          <div class="actions">
            <a mat-stroked-button routerLink="/sign-in" [queryParams]="{ returnUrl: here() }">Sign in</a>
            <a mat-flat-button routerLink="/sign-up" [queryParams]="{ returnUrl: here() }">Create account</a>
          </div>
        } @else {
          @if (error(); as message) {
            <div class="alert" role="alert">
              <mat-icon svgIcon="error" aria-hidden="true" />
              <p>{{ message }}</p>
            </div>
          }
          <p class="lead">
            Accept the invitation as <strong>{{ session.me()?.email }}</strong>?
          </p>
          <div class="actions">
            <button mat-button type="button" (click)="signOutAndReturn()">Use another account</button>
            <button mat-flat-button type="button" [disabled]="accepting()" (click)="accept()">
              Accept invitation
            </button>
          </div>
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: '../auth-page.scss',
})
export class AcceptInvitePage {
  readonly token = input<string>();
  private readonly account = inject(AccountStore);
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly accepting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly here = computed(() => `/invites/accept?token=${encodeURIComponent(this.token() ?? '')}`);

  protected async accept(): Promise<void> {
    const token = this.token();
    if (!token) return;
    this.error.set(null);
    this.accepting.set(true);
    try {
      await this.account.acceptInvite(token);
      await this.router.navigateByUrl('/', { replaceUrl: true });
    } catch (error) {
      this.accepting.set(false);
      this.error.set(acceptErrorMessage(error));
    }
  }

  protected signOutAndReturn(): void {
    this.session.signOut();
    void this.router.navigate(['/sign-in'], { queryParams: { returnUrl: this.here() } });
  }
}
