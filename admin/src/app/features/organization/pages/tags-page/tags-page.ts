import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';
import { openMergeTagDialog } from '../../components/merge-tag-dialog/merge-tag-dialog';
import { openNameDialog } from '../../components/name-dialog/name-dialog';
import { Tag } from '../../data/taxonomy-admin.api';
import { TaxonomyAdminStore } from '../../data/taxonomy-admin.store';
import { TAXONOMY_ERRORS } from '../../data/taxonomy-errors';

/** The organization's tags with how many prompts carry each: rename, merge, delete (OWNER, ADMIN). */
@Component({
  selector: 'pv-tags-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatTableModule, DataTable, RowActions, EmptyState, IconAction, ActionError],
  providers: [TaxonomyAdminStore],
  styleUrls: ['../../../../shared/ui/page/settings-page.scss'],
  template: `
    <header class="header">
      <div>
        <h1 class="title">Tags</h1>
        <p class="subtitle">
          Tags of {{ session.currentOrganization()?.organizationName }}. Renaming, merging or deleting one
          changes every prompt that carries it.
        </p>
      </div>
    </header>

    <pv-action-error [(message)]="error" />

    <pv-data-table
      label="Tags"
      [rows]="store.tags.items()"
      [columns]="columns"
      [loading]="store.tags.loading()"
      loadingLabel="Loading tags"
      [failed]="store.tags.failed()"
      failedText="The tags could not be loaded."
    >
      <ng-container matColumnDef="name">
        <th mat-header-cell *matHeaderCellDef>Tag</th>
        <td mat-cell *matCellDef="let tag">{{ tag.name }}</td>
      </ng-container>
      <ng-container matColumnDef="usage">
        <th mat-header-cell *matHeaderCellDef>Prompts</th>
        <td mat-cell *matCellDef="let tag">{{ tag.usage }}</td>
      </ng-container>
      <ng-template pvRowActions let-tag>
        <pv-icon-action icon="edit" [label]="'Rename ' + tag.name" tooltip="Rename" (pressed)="rename(tag)" />
        <pv-icon-action
          icon="call_merge"
          [label]="'Merge ' + tag.name"
          tooltip="Merge into…"
          (pressed)="merge(tag)"
        />
        <pv-icon-action
          icon="delete"
          [label]="'Delete ' + tag.name"
          tooltip="Delete"
          (pressed)="remove(tag)"
        />
      </ng-template>
      <pv-empty-state pvTableEmpty heading="No tags yet" icon="sell">
        Tags appear when editors tag prompts.
      </pv-empty-state>
    </pv-data-table>

    @if (store.tags.nextCursor()) {
      <div class="more">
        <button
          mat-stroked-button
          type="button"
          [disabled]="store.tags.loading()"
          (click)="store.tags.load(true)"
        >
          Load more tags
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
export class TagsPage implements OnInit {
  protected readonly store = inject(TaxonomyAdminStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  protected readonly columns = ['name', 'usage'] as const;
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.store.tags.load();
  }

  protected rename(tag: Tag): void {
    openNameDialog(this.dialog, {
      heading: `Rename ${tag.name}`,
      submit: 'Rename',
      maxLength: 50,
      initial: { name: tag.name },
      save: ({ name }) => this.store.renameTag(tag, name),
    });
  }

  protected merge(tag: Tag): void {
    const candidates = (this.store.tags.items() ?? []).filter((t) => t.id !== tag.id);
    openMergeTagDialog(this.dialog, { tag, candidates, merge: (into) => this.store.mergeTag(tag, into) });
  }

  protected async remove(tag: Tag): Promise<void> {
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: `Delete ${tag.name}?`,
        message: `The tag is removed from ${tag.usage} prompt(s) you can see (and any private ones). The prompts stay.`,
        confirm: 'Delete tag',
        destructive: true,
      }),
    );
    if (!confirmed) return;
    this.error.set(null);
    try {
      await this.store.deleteTag(tag);
    } catch (error) {
      this.error.set(describeFailure(error, TAXONOMY_ERRORS, 'The tag could not be deleted.'));
    }
  }
}
