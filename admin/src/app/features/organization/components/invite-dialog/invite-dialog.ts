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
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { CreatedInvite, Role } from '../../../../core/api/api-types';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { OrganizationApi } from '../../data/organization.api';
import { CopyField } from '../copy-field/copy-field';

export interface InviteDialogData {
  organizationId: string;
  /** The roles the inviter may grant (only an OWNER grants OWNER). */
  roles: readonly Role[];
}

/** Invites by e-mail with a role, then shows the invitation link to copy. */
@Component({
  selector: 'pv-invite-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
    MatButton,
    CopyField,
  ],
  template: `
    <h2 mat-dialog-title>Invite member</h2>
    @if (created(); as invite) {
      <mat-dialog-content>
        <p role="status">
          Invitation sent to <strong>{{ invite.email }}</strong> as {{ invite.role }}. It expires on
          {{ expires(invite) }}. You can also share this link:
        </p>
        <pv-copy-field label="Invitation link" [value]="invite.inviteUrl" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" (click)="dialogRef.close(invite)">Done</button>
      </mat-dialog-actions>
    } @else {
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-dialog-content class="fields">
          <mat-form-field appearance="outline">
            <mat-label>E-mail</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="off" required />
            @if (form.controls.email.hasError('required')) {
              <mat-error>Enter an e-mail address</mat-error>
            } @else if (form.controls.email.hasError('email')) {
              <mat-error>Enter a valid e-mail address</mat-error>
            } @else if (form.controls.email.hasError('server')) {
              <mat-error>{{ form.controls.email.getError('server') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Role</mat-label>
            <mat-select formControlName="role">
              @for (role of data.roles; track role) {
                <mat-option [value]="role">{{ role }}</mat-option>
              }
            </mat-select>
            @if (form.controls.role.hasError('server')) {
              <mat-error>{{ form.controls.role.getError('server') }}</mat-error>
            }
          </mat-form-field>
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" (click)="dialogRef.close()">Cancel</button>
          <button mat-flat-button type="submit" [disabled]="saving()">Send invitation</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      padding-top: 0.5rem;
      min-width: min(26rem, 80vw);
    }
  `,
})
export class InviteDialog {
  protected readonly data = inject<InviteDialogData>(MAT_DIALOG_DATA);
  protected readonly dialogRef = inject<MatDialogRef<InviteDialog, CreatedInvite>>(MatDialogRef);
  private readonly api = inject(OrganizationApi);
  protected readonly saving = signal(false);
  protected readonly created = signal<CreatedInvite | null>(null);

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    role: new FormControl<Role>('EDITOR', { nonNullable: true, validators: [Validators.required] }),
  });

  protected expires(invite: CreatedInvite): string {
    return new Date(invite.expiresAt).toLocaleDateString();
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    const { email, role } = this.form.getRawValue();
    this.api.invite(this.data.organizationId, { email: email.trim(), role }).subscribe({
      next: (invite) => {
        this.saving.set(false);
        this.created.set(invite);
        // A result the user must copy: closing by backdrop would lose it.
        this.dialogRef.disableClose = true;
      },
      error: (error: unknown) => {
        this.saving.set(false);
        applyFieldErrors(this.form, error);
      },
    });
  }
}
