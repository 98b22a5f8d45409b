import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { CollectionNode } from '../../data/collection-tree';

export interface CollectionDialogData {
  title: string;
  name: string;
  description: string;
  parentId: string | null;
  /** Possible parents (the collection itself and its descendants already removed). */
  parents: CollectionNode[];
}

export interface CollectionDialogResult {
  name: string;
  description: string;
  parentId: string | null;
}

/** A name that is more than blanks. */
const NOT_BLANK = Validators.pattern(/\S/);

/** Name, description and parent of a collection (create, rename and move use it). */
@Component({
  selector: 'pv-collection-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  template: `
    <pv-dialog [heading]="data.title" [formGroup]="form" (ngSubmit)="save()">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput required formControlName="name" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <input matInput formControlName="description" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Parent collection</mat-label>
        <mat-select formControlName="parentId">
          <mat-option [value]="null">None (top level)</mat-option>
          @for (node of data.parents; track node.collection.id) {
            <mat-option [value]="node.collection.id" [style.padding-left.rem]="1 + node.depth * 1.25">{{
              node.collection.name
            }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit">Save</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    :host {
      display: block;
      min-width: min(22rem, 100%);
    }
  `,
})
export class CollectionDialog {
  protected readonly data = inject<CollectionDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<CollectionDialog, CollectionDialogResult>>(MatDialogRef);

  protected readonly form = new FormGroup({
    name: new FormControl(this.data.name, {
      nonNullable: true,
      validators: [Validators.required, NOT_BLANK],
    }),
    description: new FormControl(this.data.description, { nonNullable: true }),
    parentId: new FormControl<string | null>(this.data.parentId),
  });

  protected save(): void {
    if (this.form.invalid) return;
    const { name, description, parentId } = this.form.getRawValue();
    this.ref.close({ name: name.trim(), description: description.trim(), parentId });
  }
}
