import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { applyFailure } from '../../../../core/http/error-catalogue';
import type { TestCase } from '../../../library/data/library.types';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { PLAYGROUND_ERRORS } from '../../data/playground-errors';
import { PlaygroundStore } from '../../data/playground.store';

/**
 * Saves the playground's variable values as a test case of the prompt (the library's test cases,
 * `POST /prompts/:id/test-cases`). Opened by the playground page with its injector.
 */
@Component({
  selector: 'pv-save-test-case-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatDialogClose,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
  ],
  template: `
    <pv-dialog
      heading="Save as test case"
      [busy]="saving()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      <p class="intro">
        Saves the variable values of this run as a test case of “{{ store.prompt.value()?.title }}”, to run
        again from the prompt’s Test cases tab.
      </p>
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" autocomplete="off" maxlength="200" required />
        <mat-hint>e.g. "Long customer email"</mat-hint>
        @if (form.controls.name.hasError('server')) {
          <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
        } @else {
          <mat-error>Enter a name</mat-error>
        }
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" mat-dialog-close [disabled]="saving()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Save</button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .intro {
      margin-top: 0;
    }
    mat-form-field {
      width: 100%;
    }
  `,
})
export class SaveTestCaseDialog {
  protected readonly store = inject(PlaygroundStore);
  private readonly dialogRef = inject<MatDialogRef<SaveTestCaseDialog, TestCase>>(MatDialogRef);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(200)],
    }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    try {
      this.dialogRef.close(await this.store.saveTestCase(this.form.controls.name.value.trim()));
    } catch (error) {
      this.error.set(applyFailure(this.form, error, PLAYGROUND_ERRORS, 'The test case could not be saved.'));
    } finally {
      this.saving.set(false);
    }
  }
}
