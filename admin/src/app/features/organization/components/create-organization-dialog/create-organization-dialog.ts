import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogActions, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Organization } from '../../../../core/api/api-types';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { SessionStore } from '../../../../core/session/session.store';
import { OrganizationApi } from '../../data/organization.api';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;

/** Creates an organization (the user becomes its OWNER) and switches to it. */
@Component({
  selector: 'pv-create-organization-dialog',
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
  ],
  template: `
    <h2 mat-dialog-title>Create organization</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="organization" maxlength="120" required />
          @if (form.controls.name.hasError('required')) {
            <mat-error>Enter a name</mat-error>
          } @else if (form.controls.name.hasError('server')) {
            <mat-error>{{ form.controls.name.getError('server') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Slug (optional)</mat-label>
          <input matInput formControlName="slug" autocomplete="off" maxlength="48" />
          <mat-hint>Used in SSO sign-in links; derived from the name when empty</mat-hint>
          @if (form.controls.slug.hasError('pattern')) {
            <mat-error>3–48 lower-case letters, digits or dashes</mat-error>
          } @else if (form.controls.slug.hasError('server')) {
            <mat-error>{{ form.controls.slug.getError('server') }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Create</button>
      </mat-dialog-actions>
    </form>
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
export class CreateOrganizationDialog {
  protected readonly dialogRef = inject<MatDialogRef<CreateOrganizationDialog, Organization>>(MatDialogRef);
  private readonly api = inject(OrganizationApi);
  private readonly session = inject(SessionStore);
  protected readonly saving = signal(false);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    slug: new FormControl('', { nonNullable: true, validators: [Validators.pattern(SLUG)] }),
  });

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, slug } = this.form.getRawValue();
    this.saving.set(true);
    this.api.create({ name: name.trim(), ...(slug ? { slug } : {}) }).subscribe({
      next: (organization) => {
        void this.session.reload().then(() => {
          this.session.selectOrganization(organization.id);
          this.dialogRef.close(organization);
        });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        applyFieldErrors(this.form, error);
      },
    });
  }
}
