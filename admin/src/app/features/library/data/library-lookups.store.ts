import { HttpContext } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { forkJoin, Observable, of, tap } from 'rxjs';
import { catchError } from 'rxjs/operators';
import { SessionStore } from '../../../core/session/session.store';
import { buildCollectionTree, flattenTree } from './collection-tree';
import { Category, Collection, Member, Tag } from './library.types';
import { Actor } from './permissions';
import { TaxonomyApi } from './taxonomy.api';

/** The fields of a collection the dialog edits. */
export interface CollectionInput {
  name: string;
  description?: string;
  parentId?: string | null;
}

/**
 * What the library pages look names up in: tags, categories, collections and members of the
 * current organization, plus who the signed-in user is there. Loaded once per organization.
 */
@Injectable()
export class LibraryLookups {
  private readonly api = inject(TaxonomyApi);
  private readonly session = inject(SessionStore);
  private readonly destroyRef = inject(DestroyRef);
  private loadedFor: string | null = null;

  readonly tags = signal<Tag[]>([]);
  readonly categories = signal<Category[]>([]);
  readonly collections = signal<Collection[]>([]);
  readonly members = signal<Member[]>([]);

  readonly actor = computed<Actor>(() => ({
    role: this.session.currentOrganization()?.role ?? null,
    userId: this.session.me()?.id ?? null,
  }));
  readonly collectionTree = computed(() => buildCollectionTree(this.collections()));
  readonly collectionOptions = computed(() => flattenTree(this.collectionTree()));

  private readonly memberById = computed(() => new Map(this.members().map((m) => [m.userId, m])));
  private readonly categoryById = computed(() => new Map(this.categories().map((c) => [c.id, c])));
  private readonly collectionById = computed(() => new Map(this.collections().map((c) => [c.id, c])));

  memberName(userId: string | null | undefined): string {
    if (!userId) return 'Former member';
    const member = this.memberById().get(userId);
    return member ? member.name || member.email : 'Former member';
  }

  categoryName(id: string | null | undefined): string | null {
    return id ? (this.categoryById().get(id)?.name ?? null) : null;
  }

  collectionName(id: string | null | undefined): string | null {
    return id ? (this.collectionById().get(id)?.name ?? null) : null;
  }

  /** Loads everything unless already loaded for the current organization (or `force`). */
  load(force = false): void {
    const organizationId = this.session.organizationId();
    if (!organizationId || (!force && this.loadedFor === organizationId)) return;
    this.loadedFor = organizationId;
    // A lookup that fails only leaves its filter empty; the page still works.
    forkJoin({
      tags: this.api.tags().pipe(catchError(() => of([] as Tag[]))),
      categories: this.api.categories().pipe(catchError(() => of([] as Category[]))),
      collections: this.api.collections().pipe(catchError(() => of([] as Collection[]))),
      members: this.api.members(organizationId).pipe(catchError(() => of([] as Member[]))),
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((result) => {
        this.tags.set(result.tags);
        this.categories.set(result.categories);
        this.collections.set(result.collections);
        this.members.set(result.members);
      });
  }

  reloadCollections(): void {
    this.api
      .collections()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((collections) => this.collections.set(collections));
  }

  reloadTags(): void {
    this.api
      .tags()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((tags) => this.tags.set(tags));
  }

  createCollection(input: CollectionInput): Observable<Collection> {
    return this.api.createCollection(input).pipe(tap(() => this.reloadCollections()));
  }

  updateCollection(id: string, input: CollectionInput): Observable<Collection> {
    return this.api.updateCollection(id, input).pipe(tap(() => this.reloadCollections()));
  }

  /**
   * Deletes a collection. Without `cascade` the server refuses one that still holds
   * sub-collections or prompts (`collection_not_empty`); `context` lets the caller show that itself.
   */
  deleteCollection(id: string, cascade: boolean, context?: HttpContext): Observable<void> {
    return this.api.deleteCollection(id, cascade, context).pipe(tap(() => this.reloadCollections()));
  }
}
