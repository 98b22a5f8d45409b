import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Observable } from 'rxjs';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { TAXONOMY_ERRORS } from '../../data/taxonomy-errors';

export interface NameValues {
  name: string;
  description: string;
}

export interface NameDialogData {
  heading: string;
  submit: string;
  /** The longest name the API takes (tags 50, categories 100). */
  maxLength: number;
  initial?: Partial<NameValues>;
  /** Categories have a description; tags do not. */
  withDescription?: boolean;
  /** Does the change; a failure stays in the dialog (field errors under their field). */
  save: (values: NameValues) => Promise<void>;
}

/** Names a tag or a category (create or rename); closes with `true` once saved. */
@Component({
  selector: 'pv-name-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    ReactiveFormsModule,
  ],
  template: `
    <pv-dialog
      [heading]="data.heading"
      [busy]="busy()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      <div class="fields">
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" cdkFocusInitial autocomplete="off" />
          @if (form.controls.name.hasError('required')) {
            <mat-error>Enter a name</mat-error>
          } @else if (form.controls.name.hasError('maxlength')) {
            <mat-error>At most {{ data.maxLength }} characters</mat-error>
          } @else if (form.controls.name.hasError('pattern')) {
            <mat-error>No commas</mat-error>
          } @else if (form.controls.name.hasError('server')) {
            <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
          }
        </mat-form-field>
        @if (data.withDescription) {
          <mat-form-field>
            <mat-label>Description</mat-label>
            <textarea matInput formControlName="description" rows="3"></textarea>
            @if (form.controls.description.hasError('server')) {
              <mat-error>{{ form.controls.description.getError('server') }}</mat-error>
            }
          </mat-form-field>
        }
      </div>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ data.submit }}</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      padding-top: 0.5rem;
    }
  `,
})
export class NameDialog {
  protected readonly data = inject<NameDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<NameDialog, boolean>>(MatDialogRef);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    name: new FormControl(this.data.initial?.name ?? '', {
      nonNullable: true,
      validators: [
        Validators.required,
        Validators.maxLength(this.data.maxLength),
        ...(this.data.withDescription ? [] : [Validators.pattern(/^[^,]*$/)]),
      ],
    }),
    description: new FormControl(this.data.initial?.description ?? '', {
      nonNullable: true,
      validators: [Validators.maxLength(1000)],
    }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const { name, description } = this.form.getRawValue();
      await this.data.save({ name: name.trim(), description: description.trim() });
      this.ref.close(true);
    } catch (error) {
      this.error.set(applyFailure(this.form, error, TAXONOMY_ERRORS, 'The change could not be saved.'));
    } finally {
      this.busy.set(false);
    }
  }
}

export function openNameDialog(dialog: MatDialog, data: NameDialogData): Observable<boolean | undefined> {
  return dialog.open<NameDialog, NameDialogData, boolean>(NameDialog, { data, width: '28rem' }).afterClosed();
}
