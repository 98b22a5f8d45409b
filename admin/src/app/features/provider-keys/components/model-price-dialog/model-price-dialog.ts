import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { MODEL_PRICE_ERRORS } from '../../data/model-prices-errors';
import { OrganizationPrice } from '../../data/model-prices.api';
import { ModelPriceRow, ModelPricesStore } from '../../data/model-prices.store';

/** The highest price the API accepts, in USD per million tokens. */
export const MAX_PRICE = 1_000_000;
/** Model ids as runs take them: letters, digits and `. _ : / @ -`, 1–200 characters. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;

/** A row to price, or nothing for a model outside the catalogue (its id is typed in). */
export interface ModelPriceDialogData {
  row?: ModelPriceRow;
}

const priceControl = (value: number | null) =>
  new FormControl<number | null>(value, {
    validators: [Validators.required, Validators.min(0), Validators.max(MAX_PRICE)],
  });

/**
 * Sets the organization's price of a model (input and output USD per million tokens) from now on.
 * Opened by the model prices section with its injector: it saves through the section's store.
 */
@Component({
  selector: 'pv-model-price-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Dialog, MatFormField, MatLabel, MatHint, MatError, MatInput, MatButton],
  templateUrl: './model-price-dialog.html',
  styles: `
    .hint {
      margin: 0 0 1rem;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ModelPriceDialog {
  protected readonly dialogRef = inject<MatDialogRef<ModelPriceDialog, OrganizationPrice>>(MatDialogRef);
  protected readonly data = inject<ModelPriceDialogData | null>(MAT_DIALOG_DATA, { optional: true }) ?? {};
  private readonly store = inject(ModelPricesStore);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly maxPrice = MAX_PRICE;

  private readonly start = this.data.row?.own ?? this.data.row?.catalogue ?? null;
  protected readonly form = new FormGroup({
    model: new FormControl(this.data.row?.model ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(200), Validators.pattern(MODEL_ID)],
    }),
    inputPerMTokUsd: priceControl(this.start?.inputPerMTokUsd ?? null),
    outputPerMTokUsd: priceControl(this.start?.outputPerMTokUsd ?? null),
  });

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { model, inputPerMTokUsd, outputPerMTokUsd } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const saved = await this.store.set(model.trim(), {
        inputPerMTokUsd: inputPerMTokUsd ?? 0,
        outputPerMTokUsd: outputPerMTokUsd ?? 0,
      });
      this.dialogRef.close(saved);
    } catch (error) {
      this.error.set(applyFailure(this.form, error, MODEL_PRICE_ERRORS, 'The price could not be saved.'));
    } finally {
      this.saving.set(false);
    }
  }
}
