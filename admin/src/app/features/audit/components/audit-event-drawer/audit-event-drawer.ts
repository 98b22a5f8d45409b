import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { diffChanges } from '../../data/audit-diff';
import { AuditEvent } from '../../data/audit.api';

/** One audit event in a side panel: who, what, from where, the changes as before/after, its hashes. */
@Component({
  selector: 'pv-audit-event-drawer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTooltip, DatePipe, MatIconButton, MatIcon],
  templateUrl: './audit-event-drawer.html',
  styleUrl: './audit-event-drawer.scss',
  host: { role: 'dialog', 'aria-modal': 'false', '[attr.aria-label]': '"Audit event " + event().seq' },
})
export class AuditEventDrawer {
  readonly event = input.required<AuditEvent>();
  readonly closed = output<void>();

  protected readonly rows = computed(() => diffChanges(this.event().changes));
  protected readonly redacted = computed(() => {
    return this.event().changes?.['redacted'] === 'private_prompt';
  });
}
