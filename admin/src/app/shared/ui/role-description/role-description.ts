import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Role } from '../../../core/api/api-types';
import { ROLE_DESCRIPTIONS } from './role-descriptions';

/**
 * A role with its one-line description from the permission matrix. Every place a role is chosen
 * (invite, change role, default roles) puts one in each `mat-option`, with a `mat-select-trigger`
 * showing the role alone; the invite accept page shows it as the role offered.
 */
@Component({
  selector: 'pv-role-description',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="role">{{ role() }}</span> <span class="description">{{ description() }}</span>`,
  host: { class: 'pv-role-description' },
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      line-height: 1.3;
      padding-block: 0.25rem;
    }
    .role {
      font-weight: 500;
    }
    .description {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      white-space: normal;
    }
  `,
})
export class RoleDescription {
  readonly role = input.required<Role>();
  protected readonly description = computed(() => ROLE_DESCRIPTIONS[this.role()]);
}
