import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { CreatedApiKey } from '../../../../core/api/api-types';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { OrganizationApi } from '../../data/organization.api';
import { CopyField } from '../copy-field/copy-field';

export interface CreateApiKeyDialogData {
  organizationId: string;
}

/** `yyyy-mm-dd` of tomorrow: the earliest expiry the API accepts is in the future. */
function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Creates an API key and shows it once: it is stored hashed and cannot be shown again. */
@Component({
  selector: 'pv-create-api-key-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatButton,
    CopyField,
  ],
  template: `
    <h2 mat-dialog-title>{{ created() ? 'Copy your API key' : 'Create API key' }}</h2>
    @if (created(); as key) {
      <mat-dialog-content>
        <p class="warning" role="status">
          This is the only time the key is shown. Copy it now and keep it somewhere safe; it acts with your
          role in this organization.
        </p>
        <pv-copy-field label="API key" [value]="key.key" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" (click)="dialogRef.close(key)">I have copied the key</button>
      </mat-dialog-actions>
    } @else {
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-dialog-content class="fields">
          <mat-form-field appearance="outline">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" maxlength="100" required />
            <mat-hint>What uses it, e.g. "Production backend"</mat-hint>
            @if (form.controls.name.hasError('required')) {
              <mat-error>Enter a name</mat-error>
            } @else if (form.controls.name.hasError('server')) {
              <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Expires on (optional)</mat-label>
            <input matInput type="date" formControlName="expiresAt" [min]="minDate" />
            <mat-hint>Never expires when empty</mat-hint>
            @if (form.controls.expiresAt.hasError('server')) {
              <mat-error>{{ form.controls.expiresAt.getError('server') }}</mat-error>
            }
          </mat-form-field>
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
          <button mat-flat-button type="submit" [disabled]="saving()">Create key</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      padding-top: 0.5rem;
      min-width: min(26rem, 80vw);
    }
    .warning {
      padding: 0.75rem 1rem;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
  `,
})
export class CreateApiKeyDialog {
  private readonly data = inject<CreateApiKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly dialogRef = inject<MatDialogRef<CreateApiKeyDialog, CreatedApiKey>>(MatDialogRef);
  private readonly api = inject(OrganizationApi);
  protected readonly saving = signal(false);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly minDate = tomorrow();

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(100)],
    }),
    expiresAt: new FormControl('', { nonNullable: true }),
  });

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, expiresAt } = this.form.getRawValue();
    this.saving.set(true);
    this.api
      .createApiKey(this.data.organizationId, {
        name: name.trim(),
        // The end of the chosen day in the user's time zone.
        ...(expiresAt ? { expiresAt: new Date(`${expiresAt}T23:59:59`).toISOString() } : {}),
      })
      .subscribe({
        next: (key) => {
          this.saving.set(false);
          this.created.set(key);
          this.dialogRef.disableClose = true;
        },
        error: (error: unknown) => {
          this.saving.set(false);
          applyFieldErrors(this.form, error);
        },
      });
  }
}
