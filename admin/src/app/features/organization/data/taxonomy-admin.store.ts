import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom, Observable } from 'rxjs';
import { Category, Page, Tag, TaxonomyAdminApi } from './taxonomy-admin.api';

/** A paginated list read page by page ("Load more"), with its loading and failed states. */
export class PagedList<T extends { id: string; name: string }> {
  readonly items = signal<T[] | undefined>(undefined);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly failed = signal(false);

  constructor(private readonly fetch: (cursor: string | null) => Observable<Page<T>>) {}

  async load(more = false): Promise<void> {
    this.loading.set(true);
    this.failed.set(false);
    try {
      const page = await firstValueFrom(this.fetch(more ? this.nextCursor() : null));
      this.items.update((items) => (more ? [...(items ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
    } catch {
      this.failed.set(true);
    } finally {
      this.loading.set(false);
    }
  }

  /** Puts a changed row back in name order (the API sorts by name regardless of case). */
  upsert(row: T): void {
    this.items.update((items) =>
      [...(items ?? []).filter((i) => i.id !== row.id), row].sort((a, b) =>
        a.name.toLowerCase() < b.name.toLowerCase()
          ? -1
          : a.name.toLowerCase() > b.name.toLowerCase()
            ? 1
            : 0,
      ),
    );
  }

  drop(id: string): void {
    this.items.update((items) => items?.filter((i) => i.id !== id));
  }
}

/** Tags and categories of the current organization as their management pages show them. */
@Injectable()
export class TaxonomyAdminStore {
  private readonly api = inject(TaxonomyAdminApi);

  readonly tags = new PagedList<Tag>((cursor) => this.api.tags(cursor));
  readonly categories = new PagedList<Category>((cursor) => this.api.categories(cursor));

  async renameTag(tag: Tag, name: string): Promise<void> {
    this.tags.upsert(await firstValueFrom(this.api.renameTag(tag.id, name)));
  }

  async mergeTag(tag: Tag, into: Tag): Promise<void> {
    const survivor = await firstValueFrom(this.api.mergeTag(tag.id, into.id));
    this.tags.drop(tag.id);
    this.tags.upsert(survivor);
  }

  async deleteTag(tag: Tag): Promise<void> {
    await firstValueFrom(this.api.deleteTag(tag.id), { defaultValue: undefined });
    this.tags.drop(tag.id);
  }

  async createCategory(body: { name: string; description?: string }): Promise<void> {
    this.categories.upsert(await firstValueFrom(this.api.createCategory(body)));
  }

  async updateCategory(
    category: Category,
    body: { name?: string; description?: string | null },
  ): Promise<void> {
    this.categories.upsert(await firstValueFrom(this.api.updateCategory(category.id, body)));
  }

  async deleteCategory(category: Category): Promise<void> {
    await firstValueFrom(this.api.deleteCategory(category.id), { defaultValue: undefined });
    this.categories.drop(category.id);
  }
}
