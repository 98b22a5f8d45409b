import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import { SessionActions } from './session-actions';
import { SessionStore } from './session.store';

/** Toolbar slot: "Sign in" when signed out, else the user's menu with "Sign out". */
@Component({
  selector: 'pv-account-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatDivider,
    RouterLink,
  ],
  template: `
    @if (session.me(); as me) {
      <button
        mat-icon-button
        matTooltip="Account"
        type="button"
        [matMenuTriggerFor]="account"
        [attr.aria-label]="'Account: ' + me.name"
      >
        <mat-icon svgIcon="account_circle" aria-hidden="true" />
      </button>
      <mat-menu #account="matMenu" xPosition="before">
        <div class="who" aria-hidden="true">
          <span class="name">{{ me.name }}</span>
          <span class="email">{{ me.email }}</span>
        </div>
        <mat-divider />
        <a mat-menu-item routerLink="/account">
          <mat-icon svgIcon="account_circle" aria-hidden="true" />
          <span>Account and privacy</span>
        </a>
        <button mat-menu-item type="button" (click)="changePassword()">
          <mat-icon svgIcon="vpn_key" aria-hidden="true" />
          <span>Change password</span>
        </button>
        <button mat-menu-item type="button" (click)="signOut()">
          <mat-icon svgIcon="logout" aria-hidden="true" />
          <span>Sign out</span>
        </button>
      </mat-menu>
    } @else if (!session.signedIn()) {
      <a mat-button routerLink="/sign-in">
        <mat-icon svgIcon="login" aria-hidden="true" />
        Sign in
      </a>
    }
  `,
  styles: `
    .who {
      display: flex;
      flex-direction: column;
      padding: 0.5rem 1rem 0.75rem;
    }
    .name {
      font: var(--mat-sys-title-small);
    }
    .email {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AccountMenu {
  protected readonly session = inject(SessionStore);
  private readonly actions = inject(SessionActions);

  protected changePassword(): void {
    void this.actions.changePassword();
  }

  protected signOut(): void {
    this.actions.signOut();
  }
}
