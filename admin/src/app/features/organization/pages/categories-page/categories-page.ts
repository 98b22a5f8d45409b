import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { SessionStore } from '../../../../core/session/session.store';
import { openNameDialog } from '../../components/name-dialog/name-dialog';
import { TaxonomyKind, TaxonomyList } from '../../components/taxonomy-list/taxonomy-list';
import { Category } from '../../data/taxonomy-admin.api';
import { TaxonomyAdminStore } from '../../data/taxonomy-admin.store';

const CATEGORIES: TaxonomyKind<Category> = {
  title: 'Categories',
  noun: 'category',
  plural: 'categories',
  columns: [
    { key: 'name', header: 'Category' },
    { key: 'description', header: 'Description', muted: true },
    { key: 'promptCount', header: 'Prompts' },
  ],
  mergeable: false,
  empty: {
    heading: 'No categories',
    icon: 'category',
    text: 'Create categories to group prompts by team or purpose.',
  },
  deleteMessage: (category) =>
    `Its ${category.promptCount} prompt(s) you can see (and any private ones) become uncategorized. The prompts stay.`,
};

/** The organization's categories with their prompt counts: create, rename, delete (OWNER, ADMIN). */
@Component({
  selector: 'pv-categories-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatIcon, TaxonomyList],
  providers: [TaxonomyAdminStore],
  template: `
    <pv-taxonomy-list [kind]="kind" [list]="store.categories" [remove]="remove" (edit)="edit($event)">
      <ng-container pvTaxonomySubtitle>
        How prompts of {{ session.currentOrganization()?.organizationName }} are grouped.
      </ng-container>
      <button pvTaxonomyAction mat-flat-button type="button" (click)="create()">
        <mat-icon svgIcon="add" aria-hidden="true" />
        New category
      </button>
    </pv-taxonomy-list>
  `,
})
export class CategoriesPage implements OnInit {
  protected readonly store = inject(TaxonomyAdminStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  protected readonly kind = CATEGORIES;
  protected readonly remove = (category: Category) => this.store.deleteCategory(category);

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

  protected edit(category: Category): void {
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
}
