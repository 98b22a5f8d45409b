import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { filter, Observable, of, switchMap } from 'rxjs';
import { catchError } from 'rxjs/operators';
import { SessionStore } from '../../../../core/session/session.store';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { TransferExports } from '../../../transfer/data/transfer-exports';
import { descendantIds, flattenTree } from '../../data/collection-tree';
import { hasCode, LibraryErrorCode } from '../../data/errors';
import { LibraryLookups } from '../../data/library-lookups.store';
import { Collection } from '../../data/library.types';
import { canCreate, canManageCollection } from '../../data/permissions';
import { silent } from '../../data/prompts.api';
import { CollectionDialog, CollectionDialogData, CollectionDialogResult } from './collection-dialog';

/** The nested collections of the organization: create, rename, move and delete (with cascade). */
@Component({
  selector: 'pv-collections-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    EmptyState,
    MatButton,
    MatIcon,
    MatIconButton,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    NgTemplateOutlet,
    RouterLink,
  ],
  templateUrl: './collections-page.html',
  styleUrl: './collections-page.scss',
})
export class CollectionsPage {
  protected readonly lookups = inject(LibraryLookups);
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly canCreate = computed(() => canCreate(this.lookups.actor()));
  private readonly exports = inject(TransferExports);
  /** Export of a collection (hidden when the organization keeps exports to OWNER and ADMIN). */
  protected readonly canExport = this.exports.canExport;

  constructor() {
    effect(() => {
      if (!this.session.organizationId()) return;
      untracked(() => {
        this.lookups.load();
        this.lookups.reloadCollections();
      });
    });
  }

  protected canManage(collection: Collection): boolean {
    return canManageCollection(this.lookups.actor(), collection);
  }

  protected exportCollection(collection: Collection): void {
    this.exports.open({ kind: 'collection', collectionId: collection.id, name: collection.name });
  }

  protected create(parent: Collection | null = null): void {
    this.edit(
      {
        title: parent ? `New collection in ${parent.name}` : 'New collection',
        name: '',
        description: '',
        parentId: parent?.id ?? null,
      },
      (result) => this.lookups.createCollection(result),
      'Created',
    );
  }

  protected rename(collection: Collection): void {
    const excluded = descendantIds(this.lookups.collections(), collection.id);
    this.edit(
      {
        title: `Edit ${collection.name}`,
        name: collection.name,
        description: collection.description ?? '',
        parentId: collection.parentId,
        parents: flattenTree(this.lookups.collectionTree()).filter((n) => !excluded.has(n.collection.id)),
      },
      (result) => this.lookups.updateCollection(collection.id, result),
      'Saved',
    );
  }

  protected remove(collection: Collection): void {
    // Without cascade the server refuses a collection that has children or prompts.
    this.lookups
      .deleteCollection(collection.id, false, silent())
      .pipe(
        catchError((error: unknown) => {
          if (!hasCode(error, LibraryErrorCode.collectionNotEmpty)) throw error;
          const data: ConfirmDialogData = {
            title: `Delete ${collection.name} and everything in it?`,
            message:
              'This collection has sub-collections or prompts. Deleting it also deletes its sub-collections; its prompts stay in the library without a collection.',
            confirm: 'Delete all',
            destructive: true,
          };
          return this.dialog
            .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
            .afterClosed()
            .pipe(
              filter((yes) => yes === true),
              switchMap(() => this.lookups.deleteCollection(collection.id, true)),
            );
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.snackBar.open(`Deleted ${collection.name}`, 'Dismiss', { duration: 4000 });
        },
        error: () => this.lookups.reloadCollections(),
      });
  }

  private edit(
    data: Omit<CollectionDialogData, 'parents'> & { parents?: CollectionDialogData['parents'] },
    request: (result: CollectionDialogResult) => Observable<unknown>,
    verb: string,
  ): void {
    this.dialog
      .open<CollectionDialog, CollectionDialogData, CollectionDialogResult>(CollectionDialog, {
        data: { ...data, parents: data.parents ?? this.lookups.collectionOptions() },
      })
      .afterClosed()
      .pipe(
        filter((result): result is CollectionDialogResult => !!result),
        // The error notifier reports a refused change; the list is re-read in case it moved on.
        switchMap((result) => request(result).pipe(catchError(() => of(null)))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((done) => {
        if (done) this.snackBar.open(verb, undefined, { duration: 3000 });
        else this.lookups.reloadCollections();
      });
  }
}
