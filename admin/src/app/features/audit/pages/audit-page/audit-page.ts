import { DatePipe, DecimalPipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import { MatOption } from '@angular/material/core';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { AuditEventDrawer } from '../../components/audit-event-drawer/audit-event-drawer';
import { AuditEvent, AuditFilter, ExportFormat } from '../../data/audit.api';
import { registerAuditIcons } from '../../audit-icons';
import { AuditStore } from '../../data/audit.store';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

/** Action families offered in the action filter; any exact action can be typed too. */
export const ACTION_GROUPS = [
  'prompt.*',
  'member.*',
  'invite.*',
  'api_key.*',
  'auth.*',
  'sso.*',
  'audit.*',
  'organization.*',
];

const GENERIC_FAILURE = 'Something went wrong. Please try again.';

/** `yyyy-mm-dd` of a date input as the start of that local day, ISO 8601; `addDays` moves it. */
export function dayStart(value: string, addDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + addDays).toISOString();
}

/**
 * The organization's audit log (OWNER, ADMIN): filters, an endlessly scrolling list (newest
 * first), a side panel with an event's changes as before/after, "Verify integrity", and exports of
 * the filtered events as CSV or JSON Lines (the latter verifiable offline, docs/compliance.md).
 */
@Component({
  selector: 'pv-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Skeleton,
    FocusInvalid,
    DatePipe,
    DecimalPipe,
    ReactiveFormsModule,
    MatButton,
    MatFormField,
    MatLabel,
    MatInput,
    MatSelect,
    MatOption,
    MatIcon,
    MatProgressBar,
    EmptyState,
    AuditEventDrawer,
  ],
  providers: [AuditStore],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
})
export class AuditPage {
  protected readonly store = inject(AuditStore);
  private readonly destroyRef = inject(DestroyRef);
  private readonly sentinel = viewChild<ElementRef<HTMLElement>>('sentinel');

  protected readonly actionGroups = ACTION_GROUPS;
  protected readonly form = new FormGroup({
    actor: new FormControl('', { nonNullable: true }),
    action: new FormControl('', { nonNullable: true }),
    targetType: new FormControl('', { nonNullable: true }),
    targetId: new FormControl('', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true }),
    to: new FormControl('', { nonNullable: true }),
    q: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    registerAuditIcons();
    void this.store.apply({});
    // Infinite scroll: the next page loads when the end of the list comes into view.
    afterNextRender(() => {
      if (typeof IntersectionObserver === 'undefined') return;
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) void this.store.loadMore();
      });
      const el = this.sentinel()?.nativeElement;
      if (el) observer.observe(el);
      this.destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  protected filterFromForm(): AuditFilter {
    const v = this.form.getRawValue();
    const filter: AuditFilter = {
      actor: v.actor || undefined,
      action: v.action.trim() || undefined,
      targetType: v.targetType.trim() || undefined,
      targetId: v.targetId.trim() || undefined,
      from: dayStart(v.from),
      // The "to" day is included: the API's bound is exclusive.
      to: dayStart(v.to, 1),
      q: v.q.trim() || undefined,
    };
    return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
  }

  protected search(): void {
    void this.store.apply(this.filterFromForm());
  }

  protected reset(): void {
    this.form.reset();
    void this.store.apply({});
  }

  protected actorLabel(e: AuditEvent): string {
    return e.actor.email ?? (e.actor.type === 'system' ? 'System' : (e.actor.id ?? e.actor.type));
  }

  protected failure(error: unknown): string {
    return describeFailure(error, {}, GENERIC_FAILURE);
  }

  protected async download(format: ExportFormat): Promise<void> {
    const file = await this.store.export(format);
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
