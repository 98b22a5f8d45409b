import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { Prompt } from '../../library/data/library.types';
import { SearchHit } from '../../search/data/search.types';
import { PortalApi } from './portal.api';
import { RecentPrompt, RecentPrompts } from './recent-prompts';

export interface CategoryShelf {
  id: string | null;
  name: string;
  prompts: Prompt[];
}

/**
 * The portal home: favorites, recently used, the organization's published prompts grouped by
 * category, and search over published prompts. Everything follows the selected organization.
 */
@Injectable()
export class PortalStore {
  private readonly api = inject(PortalApi);
  private readonly session = inject(SessionStore);
  private readonly recentPrompts = inject(RecentPrompts);
  private readonly organization = () => this.session.organizationId() ?? undefined;

  readonly published = rxResource({
    params: this.organization,
    stream: () => this.api.prompts({ status: 'published', sort: 'popularity' }),
  });
  readonly favorites = rxResource({
    params: this.organization,
    stream: () => this.api.prompts({ favorite: true, sort: 'title' }, 20),
  });
  readonly categories = rxResource({
    params: this.organization,
    stream: () => this.api.categories(),
  });

  /** Published prompts by category (categories in name order, "Uncategorized" last, empty ones left out). */
  readonly shelves = computed<CategoryShelf[]>(() => {
    const prompts = this.published.value()?.items ?? [];
    const categories = this.categories.value()?.items ?? [];
    const shelves: CategoryShelf[] = categories
      .map((c) => ({ id: c.id, name: c.name, prompts: prompts.filter((p) => p.categoryId === c.id) }))
      .filter((s) => s.prompts.length > 0);
    const known = new Set(categories.map((c) => c.id));
    const rest = prompts.filter((p) => !p.categoryId || !known.has(p.categoryId));
    return rest.length ? [...shelves, { id: null, name: 'Uncategorized', prompts: rest }] : shelves;
  });

  private readonly recentVersion = signal(0);
  readonly recent = computed<RecentPrompt[]>(() => {
    const organizationId = this.session.organizationId();
    this.recentVersion();
    return organizationId ? this.recentPrompts.list(organizationId) : [];
  });

  readonly query = signal('');
  readonly results = signal<SearchHit[] | null>(null);
  readonly searching = signal(false);
  readonly searchFailed = signal(false);
  private searchGeneration = 0;

  async search(q: string): Promise<void> {
    const query = q.trim();
    this.query.set(query);
    const generation = ++this.searchGeneration;
    if (!query) {
      this.results.set(null);
      this.searchFailed.set(false);
      return;
    }
    this.searching.set(true);
    this.searchFailed.set(false);
    try {
      const response = await firstValueFrom(this.api.search(query));
      if (generation === this.searchGeneration) this.results.set(response.items);
    } catch {
      if (generation === this.searchGeneration) this.searchFailed.set(true);
    } finally {
      if (generation === this.searchGeneration) this.searching.set(false);
    }
  }

  remember(prompt: RecentPrompt): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    this.recentPrompts.remember(organizationId, prompt);
    this.recentVersion.update((v) => v + 1);
  }
}
