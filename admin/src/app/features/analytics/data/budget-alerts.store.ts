import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AnalyticsApi } from './analytics.api';
import { Budget, CollectionBudget } from './analytics.types';

/** The budgets of one organization as the banner reads them. */
export interface BudgetAlertsState {
  organizationId: string;
  /** The organization's budget; null when none is set (404) or it could not be read. */
  budget: Budget | null;
  /** The collection budgets (empty when none are set or they could not be read). */
  collections: CollectionBudget[];
}

/**
 * What the budget banner warns about: the organization's budget and its collection budgets, with
 * this month's spending and the thresholds crossed. Each is read on its own, so a missing
 * organization budget still lets a collection's warning show. Provided by the banner.
 */
@Injectable()
export class BudgetAlertsStore {
  private readonly api = inject(AnalyticsApi);

  readonly state = signal<BudgetAlertsState | null>(null);

  private generation = 0;

  /**
   * Reads both for the organization; each answer shows as soon as it arrives (the organization's
   * warning does not wait for the collections). A failure leaves its part empty: no budget set
   * (404) or the API away is nothing to warn about.
   */
  async load(organizationId: string): Promise<void> {
    const generation = ++this.generation;
    this.state.set({ organizationId, budget: null, collections: [] });
    // A later load (another organization) or clear wins.
    const update = (part: Partial<BudgetAlertsState>) => {
      if (generation === this.generation) this.state.update((s) => (s ? { ...s, ...part } : s));
    };
    await Promise.all([
      firstValueFrom(this.api.budget()).then(
        (budget) => update({ budget }),
        () => undefined,
      ),
      firstValueFrom(this.api.collectionBudgets()).then(
        ({ items }) => update({ collections: items }),
        () => undefined,
      ),
    ]);
  }

  clear(): void {
    ++this.generation;
    this.state.set(null);
  }
}
