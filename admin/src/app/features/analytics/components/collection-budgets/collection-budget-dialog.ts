import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { applyFailure, ErrorCatalogue } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { CollectionBudget } from '../../data/analytics.types';
import {
  centsValidator,
  DEFAULT_THRESHOLDS,
  limitError,
  MAX_MONTHLY_LIMIT_USD,
  MAX_THRESHOLD,
  parseThreshold,
  thresholdsError,
  thresholdsValidator,
} from '../../data/budget-form';
import { CollectionBudgetsStore } from '../../data/collection-budgets.store';

/** What the dialog edits: an existing budget, or none (a new one, for a collection to choose). */
export interface CollectionBudgetDialogData {
  budget: CollectionBudget | null;
}

const ERRORS: ErrorCatalogue = {
  not_found: { message: 'This collection no longer exists.', field: 'collectionId' },
};

/** "50, 80 %, 100" as whole percents, ascending and once each; null when a part is not one. */
export function parseThresholdList(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+(?!%)/)
    .map((p) => p.trim())
    .filter(Boolean);
  const values: number[] = [];
  for (const part of parts) {
    const value = parseThreshold(part);
    if (value === null) return null;
    values.push(value);
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Sets or changes a collection's monthly budget (limit, warning thresholds, hard stop). Opened by
 * the collection budgets panel with its injector: it saves through the panel's store.
 */
@Component({
  selector: 'pv-collection-budget-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatPrefix,
    MatInput,
    MatSelect,
    MatOption,
    MatSlideToggle,
    MatButton,
    MatDialogClose,
  ],
  template: `
    <pv-dialog
      [heading]="data.budget ? 'Budget of “' + data.budget.collectionName + '”' : 'Add a collection budget'"
      [busy]="saving()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      @if (!data.budget) {
        <mat-form-field appearance="outline">
          <mat-label>Collection</mat-label>
          <mat-select formControlName="collectionId" aria-label="Collection">
            @for (c of store.available(); track c.id) {
              <mat-option [value]="c.id">{{ c.path }}</mat-option>
            }
          </mat-select>
          <mat-hint>Its prompts and those of its sub-collections count</mat-hint>
          @if (form.controls.collectionId.hasError('server')) {
            <mat-error>{{ form.controls.collectionId.getError('server') }}</mat-error>
          } @else {
            <mat-error>Choose a collection</mat-error>
          }
        </mat-form-field>
      }
      <mat-form-field appearance="outline">
        <mat-label>Monthly limit</mat-label>
        <span matTextPrefix>$&nbsp;</span>
        <input matInput type="number" min="0.01" step="0.01" formControlName="monthlyLimitUsd" />
        <mat-hint>US dollars per calendar month (UTC)</mat-hint>
        @if (limitError(); as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Warning thresholds</mat-label>
        <input matInput formControlName="thresholds" autocomplete="off" />
        <mat-hint>Percents, e.g. 50, 80, 100: each e-mailed once a month</mat-hint>
        @if (thresholdsMessage(); as message) {
          <mat-error>{{ message }}</mat-error>
        }
      </mat-form-field>
      <mat-slide-toggle formControlName="hardStop">
        Hard stop: refuse runs of this collection's prompts once its budget is spent
      </mat-slide-toggle>
      <ng-container pvDialogActions>
        <button mat-button type="button" [mat-dialog-close]="undefined">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">
          {{ saving() ? 'Saving…' : 'Save' }}
        </button>
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    mat-slide-toggle {
      display: block;
      margin-top: 0.5rem;
    }
  `,
})
export class CollectionBudgetDialog {
  protected readonly data = inject<CollectionBudgetDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<CollectionBudgetDialog, CollectionBudget>>(MatDialogRef);
  protected readonly store = inject(CollectionBudgetsStore);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    collectionId: new FormControl(this.data.budget?.collectionId ?? '', {
      nonNullable: true,
      validators: Validators.required,
    }),
    monthlyLimitUsd: new FormControl<number | null>(this.data.budget?.monthlyLimitUsd ?? null, [
      Validators.required,
      Validators.min(0.01),
      Validators.max(MAX_MONTHLY_LIMIT_USD),
      centsValidator,
    ]),
    thresholds: new FormControl((this.data.budget?.thresholds ?? DEFAULT_THRESHOLDS).join(', '), {
      nonNullable: true,
      validators: (control) => {
        const list = parseThresholdList(String(control.value));
        if (list === null) return { range: true };
        return thresholdsValidator(new FormControl(list));
      },
    }),
    hardStop: new FormControl(this.data.budget?.hardStop ?? false, { nonNullable: true }),
  });

  protected limitError(): string | null {
    return limitError(this.form.controls.monthlyLimitUsd);
  }

  protected thresholdsMessage(): string | null {
    const control = this.form.controls.thresholds;
    if (control.hasError('range')) return `Thresholds are whole percents from 1 to ${MAX_THRESHOLD}`;
    return thresholdsError(control);
  }

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const saved = await this.store.save(v.collectionId, {
        monthlyLimitUsd: v.monthlyLimitUsd ?? 0,
        thresholds: parseThresholdList(v.thresholds) ?? [...DEFAULT_THRESHOLDS],
        hardStop: v.hardStop,
      });
      this.dialogRef.close(saved);
    } catch (error) {
      this.error.set(applyFailure(this.form, error, ERRORS, 'The collection budget could not be saved.'));
    } finally {
      this.saving.set(false);
    }
  }
}
