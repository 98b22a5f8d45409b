import { inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { ActivityApi, ActivityEntry, ActivityFilters } from './activity.api';

/**
 * The organization's activity feed under the current filters, read page by page. A change of
 * filters starts over; an answer that arrives after the filters changed again is dropped.
 */
@Injectable()
export class ActivityStore {
  private readonly api = inject(ActivityApi);
  private readonly session = inject(SessionStore);

  readonly filters = signal<ActivityFilters>({});
  readonly entries = signal<ActivityEntry[] | undefined>(undefined);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly failed = signal(false);
  private generation = 0;

  readonly members = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params }) => this.api.members(params),
  });

  setFilters(filters: ActivityFilters): void {
    this.filters.set(filters);
    void this.load();
  }

  async load(more = false): Promise<void> {
    const generation = more ? this.generation : ++this.generation;
    this.loading.set(true);
    this.failed.set(false);
    if (!more) this.entries.set(undefined);
    try {
      const page = await firstValueFrom(this.api.list(this.filters(), more ? this.nextCursor() : null));
      if (generation !== this.generation) return;
      this.entries.update((entries) => (more ? [...(entries ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
    } catch {
      if (generation === this.generation) this.failed.set(true);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }
}
