import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { LowerCasePipe } from '@angular/common';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatDivider } from '@angular/material/divider';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { SessionActions } from './session-actions';
import { SessionStore } from './session.store';

/** Toolbar slot: the signed-in user's organizations. Renders nothing when signed out. */
@Component({
  selector: 'pv-organization-switcher',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LowerCasePipe, MatButton, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger, MatDivider],
  styleUrl: './organization-switcher.scss',
  template: `
    @if (session.signedIn() && session.currentOrganization(); as current) {
      <button
        mat-button
        type="button"
        class="trigger"
        [matMenuTriggerFor]="organizations"
        [attr.aria-label]="'Organization: ' + current.organizationName + '. Switch organization'"
      >
        <mat-icon svgIcon="business" aria-hidden="true" />
        <span class="name">{{ current.organizationName }}</span>
        <mat-icon svgIcon="expand_more" iconPositionEnd aria-hidden="true" />
      </button>
      <mat-menu #organizations="matMenu" xPosition="before">
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
      </mat-menu>
    }
  `,
})
export class OrganizationSwitcher {
  protected readonly session = inject(SessionStore);
  private readonly actions = inject(SessionActions);

  protected createOrganization(): void {
    void this.actions.createOrganization();
  }
}
