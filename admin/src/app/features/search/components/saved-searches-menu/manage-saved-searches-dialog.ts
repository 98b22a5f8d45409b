import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog, MatDialogClose } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatTooltip } from '@angular/material/tooltip';
import { filter } from 'rxjs';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { SavedSearchesStore } from '../../data/saved-searches.store';
import { describeSearch } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';

/**
 * Saved searches with their daily e-mail switch and, where allowed, a delete button. Changes go
 * through the SavedSearchesStore, so the menu shows them as soon as they are made.
 */
@Component({
  selector: 'pv-manage-saved-searches-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog, MatButton, MatDialogClose, MatIcon, MatIconButton, MatSlideToggle, MatTooltip],
  templateUrl: './manage-saved-searches-dialog.html',
  styleUrl: './manage-saved-searches-dialog.scss',
})
export class ManageSavedSearchesDialog {
  protected readonly store = inject(SavedSearchesStore);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);

  constructor() {
    registerSearchIcons();
  }

  protected describe(item: SavedSearch): string {
    return describeSearch(item.query, item.filters);
  }

  protected setSubscribed(item: SavedSearch, subscribed: boolean): void {
    void this.store.setSubscribed(item, subscribed);
  }

  protected remove(item: SavedSearch): void {
    confirmAction(this.dialog, {
      title: 'Delete saved search?',
      message: `“${item.name}” will be removed${item.shared ? ' for everyone in the organization' : ''}.`,
      confirm: 'Delete',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.store.remove(item));
  }
}
