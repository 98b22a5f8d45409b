import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { SessionStore } from '../../../../core/session/session.store';
import { openMergeTagDialog } from '../../components/merge-tag-dialog/merge-tag-dialog';
import { openNameDialog } from '../../components/name-dialog/name-dialog';
import { TaxonomyKind, TaxonomyList } from '../../components/taxonomy-list/taxonomy-list';
import { Tag } from '../../data/taxonomy-admin.api';
import { TaxonomyAdminStore } from '../../data/taxonomy-admin.store';

const TAGS: TaxonomyKind<Tag> = {
  title: 'Tags',
  noun: 'tag',
  plural: 'tags',
  columns: [
    { key: 'name', header: 'Tag' },
    { key: 'usage', header: 'Prompts' },
  ],
  mergeable: true,
  empty: { heading: 'No tags yet', icon: 'sell', text: 'Tags appear when editors tag prompts.' },
  deleteMessage: (tag) =>
    `The tag is removed from ${tag.usage} prompt(s) you can see (and any private ones). The prompts stay.`,
};

/** The organization's tags with how many prompts carry each: rename, merge, delete (OWNER, ADMIN). */
@Component({
  selector: 'pv-tags-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TaxonomyList],
  providers: [TaxonomyAdminStore],
  template: `
    <pv-taxonomy-list
      [kind]="kind"
      [list]="store.tags"
      [remove]="remove"
      (edit)="rename($event)"
      (merge)="merge($event)"
    >
      <ng-container pvTaxonomySubtitle>
        Tags of {{ session.currentOrganization()?.organizationName }}. Renaming, merging or deleting one
        changes every prompt that carries it.
      </ng-container>
    </pv-taxonomy-list>
  `,
})
export class TagsPage implements OnInit {
  protected readonly store = inject(TaxonomyAdminStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  protected readonly kind = TAGS;
  protected readonly remove = (tag: Tag) => this.store.deleteTag(tag);

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
}
