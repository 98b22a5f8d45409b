import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatTooltip } from '@angular/material/tooltip';
import { filter, switchMap } from 'rxjs';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { SearchApi } from '../../data/search.api';
import { describeSearch } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';

export interface ManageSavedSearchesData {
  items: SavedSearch[];
  userId: string | null;
  mayDeleteShared: boolean;
}

/** Saved searches with their daily e-mail switch and, where allowed, a delete button. */
@Component({
  selector: 'pv-manage-saved-searches-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatDialogActions,
    MatDialogContent,
    MatDialogTitle,
    MatIcon,
    MatIconButton,
    MatSlideToggle,
    MatTooltip,
  ],
  template: `
    <h2 mat-dialog-title>Saved searches</h2>
    <mat-dialog-content>
      @if (items().length) {
        <ul class="list" aria-label="Saved searches">
          @for (item of items(); track item.id) {
            <li class="row">
              <mat-icon [svgIcon]="item.shared ? 'group' : 'bookmark'" aria-hidden="true" />
              <div class="text">
                <span class="name">{{ item.name }}</span>
                <span class="summary">
                  {{ describe(item) }}
                  @if (item.shared) {
                    · shared{{ item.userId === data.userId ? '' : ' by a colleague' }}
                  }
                </span>
              </div>
              <mat-slide-toggle
                [checked]="item.subscribed"
                [disabled]="busy() === item.id"
                [aria-label]="'Daily e-mail of new matches for ' + item.name"
                (change)="setSubscribed(item, $event.checked)"
                >Daily e-mail</mat-slide-toggle
              >
              @if (mayDelete(item)) {
                <button
                  mat-icon-button
                  type="button"
                  [disabled]="busy() === item.id"
                  [attr.aria-label]="'Delete saved search ' + item.name"
                  matTooltip="Delete"
                  (click)="remove(item)"
                >
                  <mat-icon svgIcon="delete" aria-hidden="true" />
                </button>
              } @else {
                <span class="spacer" aria-hidden="true"></span>
              }
            </li>
          }
        </ul>
      } @else {
        <p class="empty">No saved searches left.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="close()">Done</button>
    </mat-dialog-actions>
  `,
  styles: `
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      min-width: min(34rem, 80vw);
    }
    .row {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .row:last-child {
      border-bottom: none;
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1 1 auto;
      min-width: 0;
    }
    .name {
      font: var(--mat-sys-title-small);
    }
    .summary {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .spacer {
      width: 48px;
    }
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ManageSavedSearchesDialog {
  protected readonly data = inject<ManageSavedSearchesData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ManageSavedSearchesDialog, SavedSearch[]>>(MatDialogRef);
  private readonly api = inject(SearchApi);
  private readonly dialog = inject(MatDialog);

  protected readonly items = signal<SavedSearch[]>(this.data.items);
  protected readonly busy = signal<string | null>(null);

  constructor() {
    registerSearchIcons();
    // Closing by Escape or backdrop still hands back what changed.
    this.ref.disableClose = true;
    this.ref.backdropClick().subscribe(() => this.close());
    this.ref
      .keydownEvents()
      .pipe(filter((event) => event.key === 'Escape'))
      .subscribe(() => this.close());
  }

  protected describe(item: SavedSearch): string {
    return describeSearch(item.query, item.filters);
  }

  protected mayDelete(item: SavedSearch): boolean {
    return item.userId === this.data.userId || (item.shared && this.data.mayDeleteShared);
  }

  protected setSubscribed(item: SavedSearch, subscribed: boolean): void {
    this.busy.set(item.id);
    this.api.setSubscribed(item.id, subscribed).subscribe({
      next: () => {
        this.replace(item.id, { ...item, subscribed });
        this.busy.set(null);
      },
      // The interceptor reports the failure; the switch goes back to what the server has.
      error: () => {
        this.replace(item.id, { ...item });
        this.busy.set(null);
      },
    });
  }

  protected remove(item: SavedSearch): void {
    const data: ConfirmDialogData = {
      title: 'Delete saved search?',
      message: `“${item.name}” will be removed${item.shared ? ' for everyone in the organization' : ''}.`,
      confirm: 'Delete',
      destructive: true,
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.busy.set(item.id);
          return this.api.deleteSaved(item.id);
        }),
      )
      .subscribe({
        next: () => {
          this.items.update((items) => items.filter((s) => s.id !== item.id));
          this.busy.set(null);
        },
        error: () => this.busy.set(null),
      });
  }

  protected close(): void {
    this.ref.close(this.items());
  }

  private replace(id: string, next: SavedSearch): void {
    this.items.update((items) => items.map((s) => (s.id === id ? next : s)));
  }
}
