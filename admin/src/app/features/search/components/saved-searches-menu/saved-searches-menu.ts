import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { SessionStore } from '../../../../core/session/session.store';
import { SearchApi } from '../../data/search.api';
import { isBlank, SearchState, searchStateFromSaved, searchStateToParams } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';
import { registerSearchIcons } from '../../search-icons';
import { ManageSavedSearchesDialog, ManageSavedSearchesData } from './manage-saved-searches-dialog';
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
      @if (status() === 'loading') {
        <p class="note" role="status">Loading…</p>
      } @else if (status() === 'error') {
        <p class="note" role="alert">Saved searches could not be loaded.</p>
      } @else {
        @if (mine().length) {
          <p class="group" aria-hidden="true">Yours</p>
          @for (item of mine(); track item.id) {
            <button mat-menu-item type="button" (click)="open(item)">
              <mat-icon [svgIcon]="item.shared ? 'group' : 'bookmark'" aria-hidden="true" />
              <span>{{ item.name }}</span>
            </button>
          }
        }
        @if (shared().length) {
          <p class="group" aria-hidden="true">Shared with the organization</p>
          @for (item of shared(); track item.id) {
            <button mat-menu-item type="button" (click)="open(item)">
              <mat-icon svgIcon="group" aria-hidden="true" />
              <span>{{ item.name }}</span>
            </button>
          }
        }
        @if (!items().length) {
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
  private readonly api = inject(SearchApi);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly session = inject(SessionStore);

  /** The search on screen (what "Save this search" saves). */
  readonly state = input.required<SearchState>();
  /** A one-line description of it, shown in the save dialog. */
  readonly summary = input.required<string>();

  protected readonly items = signal<SavedSearch[]>([]);
  protected readonly status = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly blank = computed(() => isBlank(this.state()));
  private readonly userId = computed(() => this.session.me()?.id ?? null);
  protected readonly mine = computed(() => this.items().filter((s) => s.userId === this.userId()));
  protected readonly shared = computed(() => this.items().filter((s) => s.userId !== this.userId()));

  constructor() {
    registerSearchIcons();
  }

  /** Read on every opening: others may have shared or removed searches meanwhile. */
  protected load(): void {
    if (!this.items().length) this.status.set('loading');
    this.api.saved().subscribe({
      next: (items) => {
        this.items.set(items);
        this.status.set('ready');
      },
      error: () => this.status.set('error'),
    });
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
      .subscribe((saved) => {
        if (!saved) return;
        this.items.update((items) => [saved, ...items]);
        this.snackBar.open(`Saved “${saved.name}”`, 'OK', { duration: 4000 });
      });
  }

  protected manage(): void {
    const role = this.session.currentOrganization()?.role;
    const data: ManageSavedSearchesData = {
      items: this.items(),
      userId: this.userId(),
      // OWNER and ADMIN may delete searches others shared (the API's rule).
      mayDeleteShared: role === 'OWNER' || role === 'ADMIN',
    };
    this.dialog
      .open<ManageSavedSearchesDialog, ManageSavedSearchesData, SavedSearch[]>(ManageSavedSearchesDialog, {
        data,
      })
      .afterClosed()
      .subscribe((items) => {
        if (items) this.items.set(items);
      });
  }
}
