import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AnalyticsApi } from './analytics.api';
import { CollectionBudget, CollectionBudgetSettings, CollectionOption } from './analytics.types';

/** A collection as the dialog lists it: its path from the top ("Support / Refunds"). */
export interface CollectionChoice {
  id: string;
  path: string;
}

/** The paths of a flat collection tree, sorted by path. */
export function collectionPaths(collections: readonly CollectionOption[]): CollectionChoice[] {
  const byId = new Map(collections.map((c) => [c.id, c]));
  const path = (c: CollectionOption): string => {
    const names = [c.name];
    const seen = new Set([c.id]);
    for (let p = c.parentId ? byId.get(c.parentId) : undefined; p && !seen.has(p.id);) {
      names.unshift(p.name);
      seen.add(p.id);
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    return names.join(' / ');
  };
  return collections.map((c) => ({ id: c.id, path: path(c) })).sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The collection budgets of the budget page: the list with this month's spending, the
 * organization's collections for the dialog, saving and removing one.
 */
@Injectable()
export class CollectionBudgetsStore {
  private readonly api = inject(AnalyticsApi);

  readonly items = signal<CollectionBudget[]>([]);
  readonly collections = signal<CollectionChoice[]>([]);
  readonly loading = signal(false);
  readonly loaded = signal(false);
  readonly error = signal<unknown>(null);
  /** The collections that have no budget yet (what "Add" offers). */
  readonly available = computed(() => {
    const taken = new Set(this.items().map((b) => b.collectionId));
    return this.collections().filter((c) => !taken.has(c.id));
  });

  private generation = 0;

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const [budgets, collections] = await Promise.all([
        firstValueFrom(this.api.collectionBudgets()),
        firstValueFrom(this.api.collections()),
      ]);
      if (generation !== this.generation) return;
      this.items.set(budgets.items);
      this.collections.set(collectionPaths(collections.items));
      this.loaded.set(true);
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** Saves a collection's budget and keeps the answer in the list (sorted by name); throws on failure. */
  async save(collectionId: string, settings: CollectionBudgetSettings): Promise<CollectionBudget> {
    const saved = await firstValueFrom(this.api.saveCollectionBudget(collectionId, settings));
    this.items.update((items) =>
      [...items.filter((b) => b.collectionId !== collectionId), saved].sort((a, b) =>
        a.collectionName.localeCompare(b.collectionName),
      ),
    );
    return saved;
  }

  /** Removes a collection's budget; throws on failure. */
  async remove(collectionId: string): Promise<void> {
    await firstValueFrom(this.api.removeCollectionBudget(collectionId));
    this.items.update((items) => items.filter((b) => b.collectionId !== collectionId));
  }
}
