import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { SavedSearchesStore } from '../../data/saved-searches.store';
import { isBlank, SearchState, searchStateFromSaved, searchStateToParams } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';
import { ManageSavedSearchesDialog } from './manage-saved-searches-dialog';
import { SaveSearchDialog, SaveSearchDialogData } from '../save-search-dialog/save-search-dialog';

/**
 * "Saved searches": save the current query and filters, open one of yours or one shared with the
 * organization, and manage them (delete, daily e-mail) in a dialog.
 */
@Component({
  selector: 'pv-saved-searches-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatDivider, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger],
  template: `
    <button mat-stroked-button type="button" [matMenuTriggerFor]="menu" (menuOpened)="load()">
      <mat-icon svgIcon="bookmark_border" aria-hidden="true" />
      Saved searches
    </button>
    <mat-menu #menu="matMenu" class="pv-saved-searches-menu" xPosition="before">
      <button mat-menu-item type="button" [disabled]="blank()" (click)="save()">
        <mat-icon svgIcon="bookmark" aria-hidden="true" />
        <span>Save this search…</span>
      </button>
      <mat-divider />
      @if (store.status() === 'loading') {
        <p class="note" role="status">Loading…</p>
      } @else if (store.status() === 'error') {
        <p class="note" role="alert">Saved searches could not be loaded.</p>
      } @else {
        @if (store.mine().length) {
          <p class="group" aria-hidden="true">Yours</p>
          @for (item of store.mine(); track item.id) {
            <button mat-menu-item type="button" (click)="open(item)">
              <mat-icon [svgIcon]="item.shared ? 'group' : 'bookmark'" aria-hidden="true" />
              <span>{{ item.name }}</span>
            </button>
          }
        }
        @if (store.shared().length) {
          <p class="group" aria-hidden="true">Shared with the organization</p>
          @for (item of store.shared(); track item.id) {
            <button mat-menu-item type="button" (click)="open(item)">
              <mat-icon svgIcon="group" aria-hidden="true" />
              <span>{{ item.name }}</span>
            </button>
          }
        }
        @if (!store.items().length) {
          <p class="note">No saved searches yet.</p>
        } @else {
          <mat-divider />
          <button mat-menu-item type="button" (click)="manage()">
            <mat-icon svgIcon="filter_list" aria-hidden="true" />
            <span>Manage saved searches…</span>
          </button>
        }
      }
    </mat-menu>
  `,
  styles: `
    .group {
      margin: 0.5rem 1rem 0.25rem;
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .note {
      margin: 0.75rem 1rem;
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class SavedSearchesMenu {
  protected readonly store = inject(SavedSearchesStore);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  /** The search on screen (what "Save this search" saves). */
  readonly state = input.required<SearchState>();
  /** A one-line description of it, shown in the save dialog. */
  readonly summary = input.required<string>();

  protected readonly blank = computed(() => isBlank(this.state()));

  constructor() {
    registerSearchIcons();
  }

  protected load(): void {
    void this.store.load();
  }

  protected open(saved: SavedSearch): void {
    const state = searchStateFromSaved(saved.query, saved.filters);
    void this.router.navigate(['/search'], { queryParams: searchStateToParams(state) });
  }

  protected save(): void {
    const data: SaveSearchDialogData = { state: this.state(), summary: this.summary() };
    this.dialog
      .open<SaveSearchDialog, SaveSearchDialogData, SavedSearch>(SaveSearchDialog, { data })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) => {
        if (saved) this.snackBar.open(`Saved “${saved.name}”`, 'OK', { duration: 4000 });
      });
  }

  protected manage(): void {
    this.dialog.open(ManageSavedSearchesDialog);
  }
}
