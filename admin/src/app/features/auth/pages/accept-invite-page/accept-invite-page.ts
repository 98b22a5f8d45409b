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
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { InvitePreview } from '../../../../core/api/api-types';
import { describeFailure, problemCode } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { InviteSummary } from '../../components/invite-summary/invite-summary';
import { AccountStore } from '../../data/account.store';
import { INVITE_ERRORS } from '../../data/auth-errors';
import { InvitePreviewStore } from '../../data/invite-preview.store';

/** The heading of the page when the invitation cannot be used, by the preview's problem code. */
const UNUSABLE_TITLES: Record<string, string> = {
  invite_expired: 'Invitation expired',
  invite_revoked: 'Invitation revoked',
  invite_already_accepted: 'Invitation already used',
  not_found: 'Invitation not found',
};

function acceptErrorMessage(error: unknown): string {
  return describeFailure(error, INVITE_ERRORS, 'Something went wrong. Please try again.');
}

type Preview =
  | { state: 'loading' }
  | { state: 'ready'; invite: InvitePreview }
  | { state: 'unusable'; title: string; message: string };

/**
 * The invitation link `/invites/accept?token=…`: says what the invitation is (organization, role,
 * inviter, expiry) before anything else. A signed-out visitor signs up with the invited e-mail
 * (prefilled) or signs in and comes back here; a signed-in one accepts. An expired, revoked or
 * used invitation gets a page saying so.
 */
@Component({
  selector: 'pv-accept-invite-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatCard, MatCardContent, MatIcon, MatButton, MatProgressBar, InviteSummary],
  providers: [InvitePreviewStore],
  template: `
    <mat-card class="card" appearance="outlined">
      <mat-card-content>
        @let p = preview();
        @if (!token()) {
          <h1 class="card-title">Join an organization</h1>
          <div class="alert" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <p>This invitation link is incomplete. Open the link from the e-mail again.</p>
          </div>
        } @else if (p.state === 'loading') {
          <h1 class="card-title">Join an organization</h1>
          <mat-progress-bar mode="indeterminate" aria-label="Loading the invitation" />
        } @else if (p.state === 'unusable') {
          <h1 class="card-title">{{ p.title }}</h1>
          <div class="alert" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <p>{{ p.message }}</p>
          </div>
          <div class="links">
            <a routerLink="/">Go to Prompt Vault</a>
          </div>
        } @else {
          <h1 class="card-title">Join {{ p.invite.organizationName }}</h1>
          <p class="lead">
            {{ p.invite.invitedBy.name ?? 'A member' }} invited you to join
            <strong>{{ p.invite.organizationName }}</strong> on Prompt Vault.
          </p>
          <pv-invite-summary [invite]="p.invite" />
          @if (!session.signedIn()) {
            <p class="lead">
              New to Prompt Vault? Create your account with {{ p.invite.email }}. Already have one? Sign in
              and come back here.
            </p>
            <div class="actions">
              <a mat-stroked-button routerLink="/sign-in" [queryParams]="{ returnUrl: here() }">Sign in</a>
              <a mat-flat-button routerLink="/sign-up" [queryParams]="{ inviteToken: token() }">Sign up</a>
            </div>
          } @else {
            @if (error(); as message) {
              <div class="alert" role="alert">
                <mat-icon svgIcon="error" aria-hidden="true" />
                <p>{{ message }}</p>
              </div>
            }
            @if (otherAccount()) {
              <div class="notice" role="status">
                <mat-icon svgIcon="account_circle" aria-hidden="true" />
                <p>
                  You are signed in as <strong>{{ session.me()?.email }}</strong>, but the invitation is for
                  <strong>{{ p.invite.email }}</strong>. Sign in with that address to accept it.
                </p>
              </div>
            } @else {
              <p class="lead">
                Accept the invitation as <strong>{{ session.me()?.email }}</strong>?
              </p>
            }
            <div class="actions">
              <button mat-button type="button" (click)="signOutAndReturn()">Use another account</button>
              <button
                mat-flat-button
                type="button"
                [disabled]="accepting() || otherAccount()"
                (click)="accept()"
              >
                Accept invitation
              </button>
            </div>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: '../auth-page.scss',
})
export class AcceptInvitePage {
  readonly token = input<string>();
  private readonly account = inject(AccountStore);
  private readonly previews = inject(InvitePreviewStore);
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly accepting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly preview = computed<Preview>(() => {
    const p = this.previews.preview();
    if (p.state === 'ready') return p;
    if (p.state === 'failed')
      return {
        state: 'unusable',
        title: UNUSABLE_TITLES[problemCode(p.error) ?? ''] ?? 'Invitation unavailable',
        message: acceptErrorMessage(p.error),
      };
    return { state: 'loading' };
  });
  protected readonly here = computed(() => `/invites/accept?token=${encodeURIComponent(this.token() ?? '')}`);
  /** Signed in with an address the invitation is not for: accepting would answer 403. */
  protected readonly otherAccount = computed(() => {
    const p = this.preview();
    const email = this.session.me()?.email;
    return p.state === 'ready' && !!email && email.toLowerCase() !== p.invite.email.toLowerCase();
  });

  constructor() {
    effect(() => {
      const token = this.token();
      if (token) untracked(() => void this.previews.load(token));
    });
  }

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
