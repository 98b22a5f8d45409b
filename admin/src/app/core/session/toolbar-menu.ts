import { LowerCasePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import { ThemeService } from '../theme/theme.service';
import { SessionActions } from './session-actions';
import { SessionStore } from './session.store';

/**
 * The phone toolbar's one menu: what the wide toolbar shows as the organization switcher, the
 * theme toggle and the account menu, folded behind a single button so nothing sits off-screen.
 */
@Component({
  selector: 'pv-toolbar-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LowerCasePipe,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatDivider,
    RouterLink,
  ],
  template: `
    <button
      mat-icon-button
      type="button"
      [matMenuTriggerFor]="menu"
      [attr.aria-label]="
        session.me() ? 'Account: ' + session.me()!.name + '. Organization and theme' : 'Account and theme'
      "
    >
      <mat-icon svgIcon="account_circle" aria-hidden="true" />
    </button>
    <mat-menu #menu="matMenu" xPosition="before">
      @if (session.me(); as me) {
        <div class="who" aria-hidden="true">
          <span class="name">{{ me.name }}</span>
          <span class="email">{{ me.email }}</span>
        </div>
        <mat-divider />
      }
      @if (session.signedIn() && session.currentOrganization(); as current) {
        @for (membership of session.memberships(); track membership.organizationId) {
          <button
            mat-menu-item
            type="button"
            role="menuitemradio"
            [attr.aria-checked]="membership.organizationId === current.organizationId"
            (click)="session.selectOrganization(membership.organizationId)"
          >
            <mat-icon
              [svgIcon]="membership.organizationId === current.organizationId ? 'check' : 'business'"
              aria-hidden="true"
            />
            <span>{{ membership.organizationName }}</span>
            <span class="role">{{ membership.role | lowercase }}</span>
          </button>
        }
        <button mat-menu-item type="button" (click)="createOrganization()">
          <mat-icon svgIcon="add" aria-hidden="true" />
          <span>Create organization</span>
        </button>
        <mat-divider />
      }
      <button
        mat-menu-item
        type="button"
        role="menuitemcheckbox"
        [attr.aria-checked]="theme.isDark()"
        (click)="theme.toggle()"
      >
        <mat-icon [svgIcon]="theme.isDark() ? 'light_mode' : 'dark_mode'" aria-hidden="true" />
        <span>Dark theme</span>
      </button>
      <mat-divider />
      @if (session.me()) {
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
      } @else if (!session.signedIn()) {
        <a mat-menu-item routerLink="/sign-in">
          <mat-icon svgIcon="login" aria-hidden="true" />
          <span>Sign in</span>
        </a>
      }
    </mat-menu>
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
    .role {
      margin-inline-start: 0.75rem;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-small);
    }
  `,
})
export class ToolbarMenu {
  protected readonly session = inject(SessionStore);
  protected readonly theme = inject(ThemeService);
  private readonly actions = inject(SessionActions);

  protected createOrganization(): void {
    void this.actions.createOrganization();
  }

  protected changePassword(): void {
    void this.actions.changePassword();
  }

  protected signOut(): void {
    this.actions.signOut();
  }
}
