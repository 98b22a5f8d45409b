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
import { SessionStore } from '../../../../core/session/session.store';
import { KeyValueStorage, MemoryStorage } from '../../../../core/storage/browser-storage';
import { ANALYTICS_PERMISSIONS } from '../../analytics-permissions';
import { Budget, CollectionBudget } from '../../data/analytics.types';
import { BudgetAlertsStore } from '../../data/budget-alerts.store';
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
  return `pv.budgetBanner.${organizationId}.${monthOf(now)}.${Math.max(...budget.crossed)}`;
}

/** The same for a collection's budget: each collection's warning is dismissed on its own. */
export function collectionDismissalKey(organizationId: string, budget: CollectionBudget, now: Date): string {
  return `pv.budgetBanner.${organizationId}.${monthOf(now)}.collection.${budget.collectionId}.${Math.max(...budget.crossed)}`;
}

const monthOf = (now: Date) => `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;

/** One warning of the banner: the organization's budget or a collection's. */
interface BannerLine {
  key: string;
  text: string;
  /** Spent with a hard stop: runs are refused. */
  stopped: boolean;
}

/**
 * Above every page for OWNERs and ADMINs once this month's spending crossed a threshold of the
 * organization's budget or of a collection's budget (one line each); dismissible for the browser
 * session. Placed in the shell by the app (composition root).
 */
@Component({
  selector: 'pv-budget-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButton],
  providers: [BudgetAlertsStore],
  templateUrl: './budget-banner.html',
  styleUrl: './budget-banner.scss',
})
export class BudgetBanner {
  private readonly session = inject(SessionStore);
  private readonly store = inject(BudgetAlertsStore);
  private readonly dismissals = inject(BANNER_DISMISSALS);

  private readonly dismissed = signal<ReadonlySet<string>>(new Set());
  private readonly allowed = computed(
    () =>
      this.session.signedIn() &&
      this.session.can(ANALYTICS_PERMISSIONS.budget.action, ANALYTICS_PERMISSIONS.budget.subject),
  );

  /** Every budget over a threshold this month, the organization's first, whether dismissed or not. */
  private readonly lines = computed<BannerLine[]>(() => {
    const state = this.store.state();
    if (!state || !this.allowed() || state.organizationId !== this.session.organizationId()) return [];
    const now = new Date();
    const lines: BannerLine[] = [];
    const { budget } = state;
    if (budget && budget.crossed.length && budget.monthlyLimitUsd) {
      const limit = formatUsd(budget.monthlyLimitUsd);
      const stopped = budget.hardStop && (budget.percent ?? 0) >= 100;
      lines.push({
        key: dismissalKey(state.organizationId, budget, now),
        stopped,
        text: stopped
          ? `This month's budget of ${limit} is spent (${formatPercent(budget.percent)}%): ` +
            'playground and API runs are refused until next month or a higher limit.'
          : `${formatPercent(budget.percent)}% of this month's budget is spent ` +
            `(${formatUsd(budget.spentUsd)} of ${limit}).`,
      });
    }
    for (const c of state.collections) {
      if (!c.crossed.length || !c.monthlyLimitUsd) continue;
      const limit = formatUsd(c.monthlyLimitUsd);
      const stopped = c.hardStop && c.percent >= 100;
      lines.push({
        key: collectionDismissalKey(state.organizationId, c, now),
        stopped,
        text: stopped
          ? `The budget of collection ${c.collectionName} (${limit}) is spent (${formatPercent(c.percent)}%): ` +
            'runs of its prompts are refused until next month or a higher limit.'
          : `${formatPercent(c.percent)}% of this month's budget of collection ${c.collectionName} is spent ` +
            `(${formatUsd(c.spentUsd)} of ${limit}).`,
      });
    }
    return lines;
  });

  protected readonly visible = computed(() => {
    const dismissed = this.dismissed();
    return this.lines().filter((l) => !dismissed.has(l.key) && !this.dismissals.getItem(l.key));
  });
  protected readonly stopped = computed(() => this.visible().some((l) => l.stopped));

  constructor() {
    // Once per organization (and role) the member may see budgets in.
    effect(() => {
      const organizationId = this.session.organizationId();
      if (!organizationId || !this.allowed()) {
        untracked(() => this.store.clear());
        return;
      }
      untracked(() => void this.store.load(organizationId));
    });
  }

  /** Dismisses every line shown; a line that comes later (a higher threshold, a new month) shows again. */
  protected dismiss(): void {
    const keys = this.visible().map((l) => l.key);
    if (!keys.length) return;
    for (const key of keys) this.dismissals.setItem(key, '1');
    this.dismissed.update((set) => new Set([...set, ...keys]));
  }
}
