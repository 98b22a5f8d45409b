import { LowerCasePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatTooltip } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { ThemeService } from '../theme/theme.service';
import { SessionActions } from './session-actions';
import { SessionStore } from './session.store';

/**
 * Which of the toolbar's session menus this is: on a wide toolbar the organization switcher and
 * the account menu sit apart (the theme toggle between them); on a phone one menu holds them all
 * and the theme as an item, so nothing sits off-screen.
 */
export type SessionMenuPart = 'organizations' | 'account' | 'all';

/**
 * The toolbar's session menus. Each item is written once, in the one menu below, and each part
 * shows its sections of it, so the phone's menu and the wide toolbar's menus cannot drift apart.
 * (Material's menu items must be declared inside their mat-menu for its keyboard navigation, so
 * the sections are blocks of one menu rather than a template shared between menus.)
 *
 * Signed out: `organizations` renders nothing, `account` a "Sign in" link, `all` a menu with the
 * theme and "Sign in".
 */
@Component({
  selector: 'pv-session-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LowerCasePipe,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatDivider,
    MatTooltip,
    RouterLink,
  ],
  styleUrl: './session-menu.scss',
  template: `
    @switch (part()) {
      @case ('organizations') {
        @if (session.signedIn() && session.currentOrganization(); as current) {
          <button
            mat-button
            type="button"
            class="trigger"
            [matMenuTriggerFor]="menu"
            [attr.aria-label]="'Organization: ' + current.organizationName + '. Switch organization'"
          >
            <mat-icon svgIcon="business" aria-hidden="true" />
            <span class="trigger-name">{{ current.organizationName }}</span>
            <mat-icon svgIcon="expand_more" iconPositionEnd aria-hidden="true" />
          </button>
        }
      }
      @case ('account') {
        @if (session.me(); as me) {
          <button
            mat-icon-button
            matTooltip="Account"
            type="button"
            [matMenuTriggerFor]="menu"
            [attr.aria-label]="'Account: ' + me.name"
          >
            <mat-icon svgIcon="account_circle" aria-hidden="true" />
          </button>
        } @else if (!session.signedIn()) {
          <a mat-button routerLink="/sign-in">
            <mat-icon svgIcon="login" aria-hidden="true" />
            Sign in
          </a>
        }
      }
      @case ('all') {
        <button
          mat-icon-button
          matTooltip="Account"
          type="button"
          [matMenuTriggerFor]="menu"
          [attr.aria-label]="
            session.me() ? 'Account: ' + session.me()!.name + '. Organization and theme' : 'Account and theme'
          "
        >
          <mat-icon svgIcon="account_circle" aria-hidden="true" />
        </button>
      }
    }
    <mat-menu #menu="matMenu" xPosition="before">
      @let all = part() === 'all';
      @if (part() !== 'organizations' && session.me(); as me) {
        <div class="who" aria-hidden="true">
          <span class="name">{{ me.name }}</span>
          <span class="email">{{ me.email }}</span>
        </div>
        <mat-divider />
      }
      @if (part() !== 'account' && session.signedIn() && session.currentOrganization(); as current) {
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
        <mat-divider />
        <button mat-menu-item type="button" (click)="createOrganization()">
          <mat-icon svgIcon="add" aria-hidden="true" />
          <span>Create organization</span>
        </button>
        @if (all) {
          <mat-divider />
        }
      }
      @if (all) {
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
      }
      @if (part() !== 'organizations') {
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
      }
    </mat-menu>
  `,
})
export class SessionMenu {
  /** Which menu of the toolbar this is (see SessionMenuPart). */
  readonly part = input.required<SessionMenuPart>();
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
