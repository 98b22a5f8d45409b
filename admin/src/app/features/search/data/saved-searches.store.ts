import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { SearchApi } from './search.api';
import { CreateSavedSearch, SavedSearch } from './search.types';

/**
 * The saved searches the user sees (theirs and those shared with the organization), read by the
 * saved searches menu and its two dialogs, and every change to them.
 */
@Injectable({ providedIn: 'root' })
export class SavedSearchesStore {
  private readonly api = inject(SearchApi);
  private readonly session = inject(SessionStore);

  private readonly list = signal<SavedSearch[]>([]);
  readonly items = this.list.asReadonly();
  readonly status = signal<'loading' | 'ready' | 'error'>('loading');
  /** The id of the search a change is under way for. */
  readonly busy = signal<string | null>(null);

  readonly userId = computed(() => this.session.me()?.id ?? null);
  readonly mine = computed(() => this.items().filter((s) => s.userId === this.userId()));
  readonly shared = computed(() => this.items().filter((s) => s.userId !== this.userId()));
  /** Whether the caller may delete searches others shared (OWNER and ADMIN, by the API's rules). */
  readonly mayDeleteShared = computed(() =>
    this.session.ability().can('delete', { __type: 'SavedSearch' as const, createdById: null }),
  );

  mayDelete(item: SavedSearch): boolean {
    return item.userId === this.userId() || (item.shared && this.mayDeleteShared());
  }

  /** Read on every opening of the menu: others may have shared or removed searches meanwhile. */
  async load(): Promise<void> {
    if (!this.items().length) this.status.set('loading');
    try {
      this.list.set(await firstValueFrom(this.api.saved()));
      this.status.set('ready');
    } catch {
      this.status.set('error');
    }
  }

  async save(body: CreateSavedSearch): Promise<SavedSearch> {
    const saved = await firstValueFrom(this.api.save(body));
    this.list.update((items) => [saved, ...items]);
    return saved;
  }

  /** Switches the daily e-mail; on failure (reported by the interceptor) the item stays as it was. */
  async setSubscribed(item: SavedSearch, subscribed: boolean): Promise<void> {
    this.busy.set(item.id);
    try {
      await firstValueFrom(this.api.setSubscribed(item.id, subscribed), { defaultValue: undefined });
      this.replace(item.id, { ...item, subscribed });
    } catch {
      // A fresh object: the switch redraws with the value the server has.
      this.replace(item.id, { ...item });
    } finally {
      this.busy.set(null);
    }
  }

  async remove(item: SavedSearch): Promise<void> {
    this.busy.set(item.id);
    try {
      await firstValueFrom(this.api.deleteSaved(item.id), { defaultValue: undefined });
      this.list.update((items) => items.filter((s) => s.id !== item.id));
    } catch {
      // Reported by the interceptor; the search stays in the list.
    } finally {
      this.busy.set(null);
    }
  }

  private replace(id: string, next: SavedSearch): void {
    this.list.update((items) => items.map((s) => (s.id === id ? next : s)));
  }
}
