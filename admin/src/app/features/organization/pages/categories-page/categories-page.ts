import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';
import { openNameDialog } from '../../components/name-dialog/name-dialog';
import { Category } from '../../data/taxonomy-admin.api';
import { TaxonomyAdminStore } from '../../data/taxonomy-admin.store';
import { TAXONOMY_ERRORS } from '../../data/taxonomy-errors';

/** The organization's categories with their prompt counts: create, rename, delete (OWNER, ADMIN). */
@Component({
  selector: 'pv-categories-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatIcon, MatTableModule, DataTable, RowActions, EmptyState, IconAction, ActionError],
  providers: [TaxonomyAdminStore],
  styleUrls: ['../../../../shared/ui/page/settings-page.scss'],
  template: `
    <header class="header">
      <div>
        <h1 class="title">Categories</h1>
        <p class="subtitle">
          How prompts of {{ session.currentOrganization()?.organizationName }} are grouped.
        </p>
      </div>
      <button mat-flat-button type="button" (click)="create()">
        <mat-icon svgIcon="add" aria-hidden="true" />
        New category
      </button>
    </header>

    <pv-action-error [(message)]="error" />

    <pv-data-table
      label="Categories"
      [rows]="store.categories.items()"
      [columns]="columns"
      [loading]="store.categories.loading()"
      loadingLabel="Loading categories"
      [failed]="store.categories.failed()"
      failedText="The categories could not be loaded."
    >
      <ng-container matColumnDef="name">
        <th mat-header-cell *matHeaderCellDef>Category</th>
        <td mat-cell *matCellDef="let category">{{ category.name }}</td>
      </ng-container>
      <ng-container matColumnDef="description">
        <th mat-header-cell *matHeaderCellDef>Description</th>
        <td mat-cell *matCellDef="let category" class="muted">{{ category.description }}</td>
      </ng-container>
      <ng-container matColumnDef="promptCount">
        <th mat-header-cell *matHeaderCellDef>Prompts</th>
        <td mat-cell *matCellDef="let category">{{ category.promptCount }}</td>
      </ng-container>
      <ng-template pvRowActions let-category>
        <pv-icon-action
          icon="edit"
          [label]="'Rename ' + category.name"
          tooltip="Rename"
          (pressed)="rename(category)"
        />
        <pv-icon-action
          icon="delete"
          [label]="'Delete ' + category.name"
          tooltip="Delete"
          (pressed)="remove(category)"
        />
      </ng-template>
      <pv-empty-state pvTableEmpty heading="No categories" icon="category">
        Create categories to group prompts by team or purpose.
      </pv-empty-state>
    </pv-data-table>

    @if (store.categories.nextCursor()) {
      <div class="more">
        <button
          mat-stroked-button
          type="button"
          [disabled]="store.categories.loading()"
          (click)="store.categories.load(true)"
        >
          Load more categories
        </button>
      </div>
    }
  `,
  styles: `
    .more {
      display: flex;
      justify-content: center;
      margin-top: 1rem;
    }
  `,
})
export class CategoriesPage implements OnInit {
  protected readonly store = inject(TaxonomyAdminStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  protected readonly columns = ['name', 'description', 'promptCount'] as const;
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.store.categories.load();
  }

  protected create(): void {
    openNameDialog(this.dialog, {
      heading: 'New category',
      submit: 'Create',
      maxLength: 100,
      withDescription: true,
      save: ({ name, description }) =>
        this.store.createCategory({ name, ...(description ? { description } : {}) }),
    });
  }

  protected rename(category: Category): void {
    openNameDialog(this.dialog, {
      heading: `Edit ${category.name}`,
      submit: 'Save',
      maxLength: 100,
      withDescription: true,
      initial: { name: category.name, description: category.description ?? '' },
      save: ({ name, description }) =>
        this.store.updateCategory(category, { name, description: description || null }),
    });
  }

  protected async remove(category: Category): Promise<void> {
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: `Delete ${category.name}?`,
        message: `Its ${category.promptCount} prompt(s) you can see (and any private ones) become uncategorized. The prompts stay.`,
        confirm: 'Delete category',
        destructive: true,
      }),
    );
    if (!confirmed) return;
    this.error.set(null);
    try {
      await this.store.deleteCategory(category);
    } catch (error) {
      this.error.set(describeFailure(error, TAXONOMY_ERRORS, 'The category could not be deleted.'));
    }
  }
}
