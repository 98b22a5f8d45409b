import { ChangeDetectionStrategy, Component, inject, input, model, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';
import { Category, Tag } from '../../data/taxonomy-admin.api';
import { PagedList } from '../../data/taxonomy-admin.store';
import { TAXONOMY_ERRORS } from '../../data/taxonomy-errors';

export type TaxonomyRow = Tag | Category;

/** One column of a taxonomy list: the row property it shows and its header. */
export interface TaxonomyColumn {
  key: 'name' | 'usage' | 'description' | 'promptCount';
  header: string;
  muted?: boolean;
}

/** What differs between the tag and the category lists (one constant per kind, see the pages). */
export interface TaxonomyKind<T extends TaxonomyRow> {
  /** The page heading and the table's name, e.g. "Tags". */
  title: string;
  /** One item, lower case, e.g. "tag" (buttons, errors). */
  noun: string;
  /** Several items, lower case, e.g. "tags" ("Load more tags"). */
  plural: string;
  columns: readonly TaxonomyColumn[];
  /** Whether a row offers "Merge into…" (tags). */
  mergeable: boolean;
  empty: { heading: string; icon: string; text: string };
  /** The confirmation's message before `row` is deleted: what happens to its prompts. */
  deleteMessage(row: T): string;
}

/**
 * The management list of one taxonomy kind (tags, categories): heading with the projected subtitle
 * (`[pvTaxonomySubtitle]`) and header action (`[pvTaxonomyAction]`), the paginated table with
 * rename / merge / delete per row, the empty state and "Load more". Deleting asks for confirmation
 * and shows a failure above the table; renaming and merging are the page's (`edit`, `merge`).
 */
@Component({
  selector: 'pv-taxonomy-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatTableModule, DataTable, RowActions, EmptyState, IconAction, ActionError],
  templateUrl: './taxonomy-list.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './taxonomy-list.scss'],
})
export class TaxonomyList<T extends TaxonomyRow> {
  private readonly dialog = inject(MatDialog);

  readonly kind = input.required<TaxonomyKind<T>>();
  readonly list = input.required<PagedList<T>>();
  /** Deletes the row (the store's call); a failure is shown above the table. */
  readonly remove = input.required<(row: T) => Promise<void>>();
  readonly edit = output<T>();
  readonly merge = output<T>();
  /** The last failed action's message, shown above the table. */
  readonly error = model<string | null>(null);

  protected readonly columnKeys = (kind: TaxonomyKind<T>) => kind.columns.map((c) => c.key);

  protected async confirmRemove(row: T): Promise<void> {
    const kind = this.kind();
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: `Delete ${row.name}?`,
        message: kind.deleteMessage(row),
        confirm: `Delete ${kind.noun}`,
        destructive: true,
      }),
    );
    if (!confirmed) return;
    this.error.set(null);
    try {
      await this.remove()(row);
    } catch (error) {
      this.error.set(describeFailure(error, TAXONOMY_ERRORS, `The ${kind.noun} could not be deleted.`));
    }
  }
}
