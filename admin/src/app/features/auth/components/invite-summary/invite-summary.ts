import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { InvitePreview } from '../../../../core/api/api-types';
import { RoleDescription } from '../../../../shared/ui/role-description/role-description';

/** What an invitation offers: the organization, the role (with what it may do), who invited, the expiry. */
@Component({
  selector: 'pv-invite-summary',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RoleDescription],
  template: `
    <dl class="summary" aria-label="Invitation">
      <dt>Organization</dt>
      <dd class="organization">{{ invite().organizationName }}</dd>
      <dt>Role</dt>
      <dd><pv-role-description [role]="invite().role" /></dd>
      <dt>Invited by</dt>
      <dd>{{ invite().invitedBy.name ?? 'A former member' }}</dd>
      <dt>For</dt>
      <dd>{{ invite().email }}</dd>
      <dt>Expires</dt>
      <dd>
        <time [attr.datetime]="invite().expiresAt">{{ invite().expiresAt | date: 'medium' }}</time>
      </dd>
    </dl>
  `,
  styles: `
    .summary {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.5rem 1rem;
      margin: 0 0 1.25rem;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-large);
      padding-top: 0.125rem;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .organization {
      font-weight: 500;
    }
  `,
})
export class InviteSummary {
  readonly invite = input.required<InvitePreview>();
}
