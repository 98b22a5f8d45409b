import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Organization } from '../../../../core/api/api-types';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { OrganizationsStore } from '../../data/organization.store';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;

/** Creates an organization (the user becomes its OWNER) and switches to it. */
@Component({
  selector: 'pv-create-organization-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Dialog, MatFormField, MatLabel, MatHint, MatError, MatInput, MatButton],
  template: `
    <pv-dialog
      heading="Create organization"
      [busy]="saving()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submit()"
    >
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" autocomplete="organization" maxlength="120" required />
        @if (form.controls.name.hasError('required')) {
          <mat-error>Enter a name</mat-error>
        } @else if (form.controls.name.hasError('server')) {
          <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Slug (optional)</mat-label>
        <input matInput formControlName="slug" autocomplete="off" maxlength="48" />
        <mat-hint>Used in SSO sign-in links; derived from the name when empty</mat-hint>
        @if (form.controls.slug.hasError('pattern')) {
          <mat-error>3–48 lower-case letters, digits or dashes</mat-error>
        } @else if (form.controls.slug.hasError('server')) {
          <mat-error>{{ form.controls.slug.getError('server') }}</mat-error>
        }
      </mat-form-field>
      <ng-container pvDialogActions>
        <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Create</button>
      </ng-container>
    </pv-dialog>
  `,
})
export class CreateOrganizationDialog {
  protected readonly dialogRef = inject<MatDialogRef<CreateOrganizationDialog, Organization>>(MatDialogRef);
  private readonly store = inject(OrganizationsStore);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    slug: new FormControl('', { nonNullable: true, validators: [Validators.pattern(SLUG)] }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    if (this.saving()) return;
    const { name, slug } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      this.dialogRef.close(await this.store.create({ name: name.trim(), ...(slug ? { slug } : {}) }));
    } catch (error) {
      this.saving.set(false);
      this.error.set(
        applyFailure(this.form, error, ORGANIZATION_ERRORS, 'The organization could not be created.'),
      );
    }
  }
}
