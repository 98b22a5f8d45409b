import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ReactiveFormsModule, FormControl, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { ProblemError } from '../../../../core/http/problem';
import { describeError } from '../../../library/data/errors';
import { SearchApi } from '../../data/search.api';
import { SearchState, searchStateToFilters } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';

export interface SaveSearchDialogData {
  state: SearchState;
  /** A one-line description of what is saved. */
  summary: string;
}

/** Names the current query and filters and saves them; closes with the saved search. */
@Component({
  selector: 'pv-save-search-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatCheckbox,
    MatDialogActions,
    MatDialogClose,
    MatDialogContent,
    MatDialogTitle,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    ReactiveFormsModule,
  ],
  template: `
    <h2 mat-dialog-title>Save this search</h2>
    <form (submit)="$event.preventDefault(); save()">
      <mat-dialog-content class="content">
        <p class="summary">{{ data.summary }}</p>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput required maxlength="100" cdkFocusInitial [formControl]="name" />
          <mat-hint>Shown in the saved searches menu</mat-hint>
          @if (name.hasError('server')) {
            <mat-error>{{ name.getError('server') }}</mat-error>
          } @else if (name.hasError('required')) {
            <mat-error>Give the search a name</mat-error>
          }
        </mat-form-field>
        <mat-checkbox [checked]="shared()" (change)="shared.set($event.checked)">
          Share with the organization
        </mat-checkbox>
        <mat-checkbox [checked]="subscribed()" (change)="subscribed.set($event.checked)">
          E-mail me new matches daily
        </mat-checkbox>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: grid;
      gap: 0.5rem;
      min-width: min(26rem, 80vw);
    }
    .summary {
      margin: 0 0 0.5rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
  `,
})
export class SaveSearchDialog {
  protected readonly data = inject<SaveSearchDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SaveSearchDialog, SavedSearch>>(MatDialogRef);
  private readonly api = inject(SearchApi);

  protected readonly name = new FormControl(this.data.state.q.trim().slice(0, 100), {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(100)],
  });
  protected readonly shared = signal(false);
  protected readonly subscribed = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected save(): void {
    const name = this.name.value.trim();
    if (!name) {
      this.name.setErrors({ required: true });
      this.name.markAsTouched();
    }
    if (!name || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.api
      .save({
        name,
        query: this.data.state.q.trim(),
        filters: searchStateToFilters(this.data.state),
        shared: this.shared(),
        subscribed: this.subscribed(),
      })
      .subscribe({
        next: (saved) => this.ref.close(saved),
        error: (error: unknown) => {
          this.saving.set(false);
          // A taken name (409) and field errors (400) belong under the name; the rest below.
          if (error instanceof ProblemError && (error.status === 409 || error.status === 400)) {
            const messages = error.fieldErrors();
            const forName = messages['name']?.join('. ');
            if (error.status === 409 || forName) {
              // The 409 detail names the taken name; a 400 says what is wrong with the field.
              const message =
                error.status === 409 ? (error.problem.detail ?? forName) : (forName ?? error.problem.title);
              this.name.setErrors({ server: message ?? error.problem.title });
              this.name.markAsTouched();
              return;
            }
          }
          this.error.set(describeError(error, 'The search could not be saved'));
        },
      });
  }
}
