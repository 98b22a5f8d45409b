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
  templateUrl: './saved-searches-menu.html',
  styleUrl: './saved-searches-menu.scss',
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
