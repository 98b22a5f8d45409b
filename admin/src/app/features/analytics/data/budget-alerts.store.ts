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

  async load(organizationId: string): Promise<void> {
    const generation = ++this.generation;
    const [budget, collections] = await Promise.allSettled([
      firstValueFrom(this.api.budget()),
      firstValueFrom(this.api.collectionBudgets()),
    ]);
    // A later load (another organization) or clear wins.
    if (generation !== this.generation) return;
    this.state.set({
      organizationId,
      // No budget set (404) or the API is away: nothing to warn about.
      budget: budget.status === 'fulfilled' ? budget.value : null,
      collections: collections.status === 'fulfilled' ? collections.value.items : [],
    });
  }

  clear(): void {
    ++this.generation;
    this.state.set(null);
  }
}
