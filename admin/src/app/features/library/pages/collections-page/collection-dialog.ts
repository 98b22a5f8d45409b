import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
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

/** Name, description and parent of a collection (create, rename and move use it). */
@Component({
  selector: 'pv-collection-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatDialogActions,
    MatDialogClose,
    MatDialogContent,
    MatDialogTitle,
    MatFormField,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content class="content">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput required [value]="name()" (input)="name.set($any($event.target).value)" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <input matInput [value]="description()" (input)="description.set($any($event.target).value)" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Parent collection</mat-label>
        <mat-select [value]="parentId()" (valueChange)="parentId.set($event)">
          <mat-option [value]="null">None (top level)</mat-option>
          @for (node of data.parents; track node.collection.id) {
            <mat-option [value]="node.collection.id" [style.padding-left.rem]="1 + node.depth * 1.25">{{
              node.collection.name
            }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="!name().trim()" (click)="save()">Save</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: grid;
      gap: 0.5rem;
      min-width: 22rem;
    }
  `,
})
export class CollectionDialog {
  protected readonly data = inject<CollectionDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<CollectionDialog, CollectionDialogResult>>(MatDialogRef);

  protected readonly name = signal(this.data.name);
  protected readonly description = signal(this.data.description);
  protected readonly parentId = signal(this.data.parentId);

  protected save(): void {
    this.ref.close({
      name: this.name().trim(),
      description: this.description().trim(),
      parentId: this.parentId(),
    });
  }
}
