import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { ProblemError } from '../../../core/http/problem';
import { AnalyticsApi } from './analytics.api';
import { Budget, BudgetSettings } from './analytics.types';

/** The budget page's state: the saved budget with this month's spending, and saving a change. */
@Injectable()
export class BudgetStore {
  private readonly api = inject(AnalyticsApi);

  readonly budget = signal<Budget | null>(null);
  readonly loading = signal(false);
  readonly loaded = signal(false);
  readonly error = signal<unknown>(null);
  readonly saving = signal(false);
  readonly saveError = signal<unknown>(null);

  private generation = 0;

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const budget = await firstValueFrom(this.api.budget());
      if (generation !== this.generation) return;
      this.budget.set(budget);
      this.loaded.set(true);
    } catch (error) {
      if (generation !== this.generation) return;
      // An organization that never set a budget: an empty form, not a failure.
      if (error instanceof ProblemError && error.status === 404) {
        this.budget.set(null);
        this.loaded.set(true);
      } else this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** Saves and keeps the answer (spending and crossed thresholds recomputed for the new limit). */
  async save(settings: BudgetSettings): Promise<boolean> {
    this.saving.set(true);
    this.saveError.set(null);
    try {
      this.budget.set(await firstValueFrom(this.api.saveBudget(settings)));
      return true;
    } catch (error) {
      this.saveError.set(error);
      return false;
    } finally {
      this.saving.set(false);
    }
  }
}
