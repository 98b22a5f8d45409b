import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';
import { Observable } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { Tag } from '../../data/taxonomy-admin.api';
import { TAXONOMY_ERRORS } from '../../data/taxonomy-errors';

export interface MergeTagData {
  tag: Tag;
  /** The tags it may be merged into (every other loaded tag). */
  candidates: Tag[];
  merge: (into: Tag) => Promise<void>;
}

/** Merges one tag into another: its prompts carry the chosen tag afterwards and it is deleted. */
@Component({
  selector: 'pv-merge-tag-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSelect,
    MatOption,
    ReactiveFormsModule,
  ],
  template: `
    <pv-dialog [heading]="'Merge ' + data.tag.name" [busy]="busy()" [error]="error()">
      <p class="message">
        The {{ data.tag.usage }} prompt(s) tagged <strong>{{ data.tag.name }}</strong> get the tag you choose,
        and <strong>{{ data.tag.name }}</strong> is deleted.
      </p>
      <mat-form-field class="full">
        <mat-label>Merge into</mat-label>
        <mat-select [formControl]="into">
          @for (candidate of data.candidates; track candidate.id) {
            <mat-option [value]="candidate">{{ candidate.name }} ({{ candidate.usage }})</mat-option>
          }
        </mat-select>
        <mat-hint>The tag that stays</mat-hint>
        @if (into.hasError('required') && into.touched) {
          <mat-error>Choose the tag to keep</mat-error>
        }
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button mat-flat-button type="button" [disabled]="busy()" (click)="submit()">Merge</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .message {
      margin: 0 0 1rem;
    }
    .full {
      width: 100%;
    }
  `,
})
export class MergeTagDialog {
  protected readonly data = inject<MergeTagData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<MergeTagDialog, boolean>>(MatDialogRef);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly into = new FormControl<Tag | null>(null, [Validators.required]);

  protected async submit(): Promise<void> {
    const into = this.into.value;
    if (!into) {
      this.into.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.data.merge(into);
      this.ref.close(true);
    } catch (error) {
      this.error.set(describeFailure(error, TAXONOMY_ERRORS, 'The tags could not be merged.'));
    } finally {
      this.busy.set(false);
    }
  }
}

export function openMergeTagDialog(dialog: MatDialog, data: MergeTagData): Observable<boolean | undefined> {
  return dialog
    .open<MergeTagDialog, MergeTagData, boolean>(MergeTagDialog, { data, width: '28rem' })
    .afterClosed();
}
