import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { SavedSearchesStore } from '../../data/saved-searches.store';
import { SEARCH_ERRORS } from '../../data/search-errors';
import { SearchState, searchStateToFilters } from '../../data/search-url';
import { SavedSearch } from '../../data/search.types';

export interface SaveSearchDialogData {
  state: SearchState;
  /** A one-line description of what is saved. */
  summary: string;
}

/** A name that is more than blanks. */
const NOT_BLANK = Validators.pattern(/\S/);

/** Names the current query and filters and saves them; closes with the saved search. */
@Component({
  selector: 'pv-save-search-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatCheckbox,
    MatDialogClose,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
  ],
  templateUrl: './save-search-dialog.html',
  styleUrl: './save-search-dialog.scss',
})
export class SaveSearchDialog {
  protected readonly data = inject<SaveSearchDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SaveSearchDialog, SavedSearch>>(MatDialogRef);
  private readonly store = inject(SavedSearchesStore);

  protected readonly form = new FormGroup({
    name: new FormControl(this.data.state.q.trim().slice(0, 100), {
      nonNullable: true,
      validators: [Validators.required, NOT_BLANK, Validators.maxLength(100)],
    }),
    shared: new FormControl(false, { nonNullable: true }),
    subscribed: new FormControl(false, { nonNullable: true }),
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    if (this.saving()) return;
    const { name, shared, subscribed } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const saved = await this.store.save({
        name: name.trim(),
        query: this.data.state.q.trim(),
        filters: searchStateToFilters(this.data.state),
        shared,
        subscribed,
      });
      this.ref.close(saved);
    } catch (error) {
      this.saving.set(false);
      // A taken name and field errors go under the name; the rest under the form.
      this.error.set(applyFailure(this.form, error, SEARCH_ERRORS, 'The search could not be saved'));
    }
  }
}
