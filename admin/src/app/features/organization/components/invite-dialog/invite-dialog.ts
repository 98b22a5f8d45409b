import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { RoleDescription } from '../../../../shared/ui/role-description/role-description';
import { ROLE_DESCRIPTIONS } from '../../../../shared/ui/role-description/role-descriptions';
import { CreatedInvite, DEFAULT_INVITE_ROLE, Role } from '../../../../core/api/api-types';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { MembersStore } from '../../data/organization.store';
import { CopyField } from '../copy-field/copy-field';

export interface InviteDialogData {
  /** The roles the inviter may grant (only an OWNER grants OWNER). */
  roles: readonly Role[];
}

/**
 * Invites by e-mail with a role, then shows the invitation link to copy. Opened by the members
 * page with its injector: the invitation goes through the page's MembersStore.
 */
@Component({
  selector: 'pv-invite-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatSelectTrigger,
    RoleDescription,
    MatOption,
    MatButton,
    CopyField,
  ],
  templateUrl: './invite-dialog.html',
})
export class InviteDialog {
  protected readonly data = inject<InviteDialogData>(MAT_DIALOG_DATA);
  protected readonly dialogRef = inject<MatDialogRef<InviteDialog, CreatedInvite>>(MatDialogRef);
  private readonly store = inject(MembersStore);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<CreatedInvite | null>(null);
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    role: new FormControl<Role>(DEFAULT_INVITE_ROLE, {
      nonNullable: true,
      validators: [Validators.required],
    }),
  });

  protected expires(invite: CreatedInvite): string {
    return new Date(invite.expiresAt).toLocaleDateString();
  }

  protected async submit(): Promise<void> {
    // Enter in the link field of the result would submit again: one invitation per dialog.
    if (this.created() || this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    const { email, role } = this.form.getRawValue();
    try {
      this.created.set(await this.store.invite({ email: email.trim(), role }));
      // A result the user must copy: closing by backdrop would lose it.
      this.dialogRef.disableClose = true;
    } catch (error) {
      this.error.set(
        applyFailure(this.form, error, ORGANIZATION_ERRORS, 'The invitation could not be sent.'),
      );
    } finally {
      this.saving.set(false);
    }
  }
}
