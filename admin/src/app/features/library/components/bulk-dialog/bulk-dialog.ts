import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { CollectionNode } from '../../data/collection-tree';
import { BulkAction, BulkRequest } from '../../data/library.types';
import { plural } from '../../../../shared/text/plural';

export interface BulkDialogData {
  action: Extract<BulkAction, 'tag' | 'untag' | 'move'>;
  count: number;
  collections: CollectionNode[];
}

/** Splits "a, b ,c" into distinct trimmed tag names. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    ),
  ];
}

/** Asks what a bulk tag, untag or move needs; closes with the request body without `ids`. */
@Component({
  selector: 'pv-bulk-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  template: `
    <pv-dialog [heading]="title" [formGroup]="form" (ngSubmit)="apply()">
      @if (data.action === 'move') {
        <mat-form-field class="field">
          <mat-label>Collection</mat-label>
          <mat-select formControlName="collectionId">
            <mat-option [value]="null">No collection</mat-option>
            @for (node of data.collections; track node.collection.id) {
              <mat-option [value]="node.collection.id" [style.padding-left.rem]="1 + node.depth * 1.25">
                {{ node.collection.name }}
              </mat-option>
            }
          </mat-select>
        </mat-form-field>
      } @else {
        <mat-form-field class="field">
          <mat-label>Tags</mat-label>
          <input matInput formControlName="tags" />
          <mat-hint>Separate tags with commas</mat-hint>
        </mat-form-field>
      }
      <ng-container pvDialogActions>
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!valid()">Apply</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .field {
      width: 100%;
      min-width: min(20rem, 100%);
    }
  `,
})
export class BulkDialog {
  protected readonly data = inject<BulkDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<BulkDialog, Omit<BulkRequest, 'ids'>>>(MatDialogRef);

  protected readonly form = new FormGroup({
    tags: new FormControl('', { nonNullable: true }),
    collectionId: new FormControl<string | null>(null),
  });
  protected readonly title = {
    tag: `Add tags to ${plural(this.data.count, 'prompt')}`,
    untag: `Remove tags from ${plural(this.data.count, 'prompt')}`,
    move: `Move ${plural(this.data.count, 'prompt')}`,
  }[this.data.action];

  /** A move may go to "No collection"; tagging needs at least one tag. */
  protected valid(): boolean {
    return this.data.action === 'move' || parseTags(this.form.controls.tags.value).length > 0;
  }

  protected apply(): void {
    if (!this.valid()) return;
    const { tags, collectionId } = this.form.getRawValue();
    if (this.data.action === 'move') {
      this.ref.close({ action: 'move', collectionId });
    } else {
      this.ref.close({ action: this.data.action, tags: parseTags(tags) });
    }
  }
}
