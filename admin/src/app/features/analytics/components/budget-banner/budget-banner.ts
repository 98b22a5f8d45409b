import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  InjectionToken,
  signal,
  untracked,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../../core/session/session.store';
import { KeyValueStorage, MemoryStorage } from '../../../../core/storage/browser-storage';
import { ANALYTICS_PERMISSIONS } from '../../analytics-permissions';
import { AnalyticsApi } from '../../data/analytics.api';
import { Budget } from '../../data/analytics.types';
import { formatPercent, formatUsd } from '../../data/format';

/** Dismissals last for the browser session (sessionStorage), as the banner is meant to come back. */
export const BANNER_DISMISSALS = new InjectionToken<KeyValueStorage>('BANNER_DISMISSALS', {
  providedIn: 'root',
  factory: () => {
    try {
      const storage = globalThis.sessionStorage;
      storage.setItem('__pv_probe__', '1');
      storage.removeItem('__pv_probe__');
      return storage;
    } catch {
      return new MemoryStorage();
    }
  },
});

/**
 * The key of one dismissal: the organization, the month and the highest threshold crossed, so a
 * higher threshold crossed later, or a new month, shows the banner again.
 */
export function dismissalKey(organizationId: string, budget: Budget, now: Date): string {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return `pv.budgetBanner.${organizationId}.${month}.${Math.max(...budget.crossed)}`;
}

/**
 * Above every page for OWNERs and ADMINs once this month's spending crossed a budget threshold;
 * dismissible for the browser session. Placed in the shell by the app (composition root).
 */
@Component({
  selector: 'pv-budget-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButton],
  template: `
    @if (visible(); as budget) {
      <div class="banner" [class.stopped]="stopped()" role="status" aria-label="Budget warning">
        <p class="text">
          @if (stopped()) {
            This month's budget of {{ format(budget.monthlyLimitUsd ?? 0) }} is spent ({{
              percent(budget.percent)
            }}%): playground and API runs are refused until next month or a higher limit.
          } @else {
            {{ percent(budget.percent) }}% of this month's budget is spent ({{ format(budget.spentUsd) }} of
            {{ format(budget.monthlyLimitUsd ?? 0) }}).
          }
        </p>
        <a mat-button routerLink="/analytics/budget">Budget settings</a>
        <button mat-button type="button" (click)="dismiss()">Dismiss</button>
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      margin-bottom: 1rem;
      padding: 0.5rem 1rem;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .banner.stopped {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .text {
      flex: 1 1 20rem;
      margin: 0;
    }
  `,
})
export class BudgetBanner {
  private readonly session = inject(SessionStore);
  private readonly api = inject(AnalyticsApi);
  private readonly dismissals = inject(BANNER_DISMISSALS);

  protected readonly format = formatUsd;
  protected readonly percent = formatPercent;
  private readonly budget = signal<{ organizationId: string; budget: Budget } | null>(null);
  private readonly dismissed = signal<ReadonlySet<string>>(new Set());
  private readonly allowed = computed(
    () =>
      this.session.signedIn() &&
      this.session.can(ANALYTICS_PERMISSIONS.budget.action, ANALYTICS_PERMISSIONS.budget.subject),
  );

  private readonly key = computed(() => {
    const current = this.budget();
    if (!current || current.budget.crossed.length === 0 || !current.budget.monthlyLimitUsd) return null;
    return dismissalKey(current.organizationId, current.budget, new Date());
  });

  protected readonly visible = computed(() => {
    const key = this.key();
    const current = this.budget();
    if (!key || !current || !this.allowed()) return null;
    if (current.organizationId !== this.session.organizationId()) return null;
    if (this.dismissed().has(key) || this.dismissals.getItem(key)) return null;
    return current.budget;
  });
  protected readonly stopped = computed(() => {
    const budget = this.visible();
    return !!budget && budget.hardStop && (budget.percent ?? 0) >= 100;
  });

  constructor() {
    // Once per organization (and role) the member may see budgets in.
    effect(() => {
      const organizationId = this.session.organizationId();
      if (!organizationId || !this.allowed()) {
        this.budget.set(null);
        return;
      }
      untracked(() => void this.load(organizationId));
    });
  }

  private async load(organizationId: string): Promise<void> {
    try {
      const budget = await firstValueFrom(this.api.budget());
      if (organizationId === this.session.organizationId()) this.budget.set({ organizationId, budget });
    } catch {
      // No budget set (404) or the API is away: nothing to warn about.
      this.budget.set(null);
    }
  }

  protected dismiss(): void {
    const key = this.key();
    if (!key) return;
    this.dismissals.setItem(key, '1');
    this.dismissed.update((set) => new Set([...set, key]));
  }
}
