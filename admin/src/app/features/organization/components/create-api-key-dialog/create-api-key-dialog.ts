import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { CreatedApiKey } from '../../../../core/api/api-types';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { ApiKeysStore } from '../../data/organization.store';
import { CopyField } from '../copy-field/copy-field';
import { ApiKeyUsage } from './api-key-usage';

/** `yyyy-mm-dd` of tomorrow: the earliest expiry the API accepts is in the future. */
function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Creates an API key and shows it once: it is stored hashed and cannot be shown again. Opened by
 * the API keys page with its injector: the key is created through the page's ApiKeysStore.
 */
@Component({
  selector: 'pv-create-api-key-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatButton,
    CopyField,
    ApiKeyUsage,
  ],
  templateUrl: './create-api-key-dialog.html',
  styles: `
    .warning {
      margin: 0;
      padding: 0.75rem 1rem;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
  `,
})
export class CreateApiKeyDialog {
  protected readonly dialogRef = inject<MatDialogRef<CreateApiKeyDialog, CreatedApiKey>>(MatDialogRef);
  private readonly store = inject(ApiKeysStore);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly minDate = tomorrow();

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(100)],
    }),
    expiresAt: new FormControl('', { nonNullable: true }),
  });

  protected async submit(): Promise<void> {
    // Enter in the key field of the result would submit again: one key per dialog.
    if (this.created() || this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, expiresAt } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const key = await this.store.create({
        name: name.trim(),
        // The end of the chosen day in the user's time zone.
        ...(expiresAt ? { expiresAt: new Date(`${expiresAt}T23:59:59`).toISOString() } : {}),
      });
      this.created.set(key);
      this.dialogRef.disableClose = true;
    } catch (error) {
      this.error.set(
        applyFailure(this.form, error, ORGANIZATION_ERRORS, 'The API key could not be created.'),
      );
    } finally {
      this.saving.set(false);
    }
  }
}
