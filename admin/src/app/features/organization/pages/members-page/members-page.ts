import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { RoleDescription } from '../../../../shared/ui/role-description/role-description';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltip } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import { filter } from 'rxjs';
import { CreatedInvite, Invite, Member, Role } from '../../../../core/api/api-types';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { InviteDialog, InviteDialogData } from '../../components/invite-dialog/invite-dialog';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { MembersStore } from '../../data/organization.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';

/** Members with their roles, role changes, removal, invitations. OWNER and ADMIN. */
@Component({
  selector: 'pv-members-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DataTable,
    RowActions,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatFormField,
    MatLabel,
    MatSelect,
    MatSelectTrigger,
    RoleDescription,
    MatOption,
    MatTooltip,
    ActionError,
    IconAction,
  ],
  providers: [MembersStore],
  templateUrl: './members-page.html',
  styleUrl: '../../../../shared/ui/page/settings-page.scss',
})
export class MembersPage {
  protected readonly store = inject(MembersStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly memberColumns = ['name', 'email', 'role', 'joinedAt'];
  protected readonly inviteColumns = ['email', 'role', 'expiresAt'];

  /** The last failed change, shown above the table until dismissed or the next change. */
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected openInvite(): void {
    if (!this.session.organizationId()) return;
    // The dialog invites through this page's store (its injector), which refreshes the list.
    this.dialog.open<InviteDialog, InviteDialogData, CreatedInvite>(InviteDialog, {
      data: { roles: this.store.grantableRoles() },
      width: '32rem',
      injector: this.injector,
    });
  }

  protected async changeRole(member: Member, role: Role): Promise<void> {
    if (!this.session.organizationId() || role === member.role) return;
    this.actionError.set(null);
    this.busy.set(true);
    try {
      const updated = await this.store.changeRole(member, role);
      this.snackBar.open(`${member.name} is now ${updated.role}`, undefined, { duration: 3000 });
    } catch (error) {
      this.actionError.set(`Could not change the role of ${member.name}: ${this.describe(error)}`);
    } finally {
      this.busy.set(false);
    }
  }

  protected remove(member: Member): void {
    if (!this.session.organizationId()) return;
    const organization = this.session.currentOrganization()?.organizationName ?? 'this organization';
    confirmAction(this.dialog, {
      title: `Remove ${member.name}?`,
      message: `${member.name} (${member.email}) loses access to ${organization} and its API keys stop working.`,
      confirm: 'Remove',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.confirmedRemove(member));
  }

  private async confirmedRemove(member: Member): Promise<void> {
    const leaving = this.store.isMe(member);
    this.actionError.set(null);
    this.busy.set(true);
    try {
      await this.store.remove(member);
      this.snackBar.open(`${member.name} was removed`, undefined, { duration: 3000 });
      // Leaving the organization: the session has switched to another one (or none); start over.
      if (leaving) await this.router.navigateByUrl('/');
    } catch (error) {
      this.actionError.set(`Could not remove ${member.name}: ${this.describe(error)}`);
    } finally {
      this.busy.set(false);
    }
  }

  protected copyLink(invite: Invite): void {
    const link = this.store.inviteLink(invite);
    if (!link) return;
    const copied = this.clipboard.copy(link);
    this.snackBar.open(copied ? 'Invitation link copied' : 'Copying failed', undefined, { duration: 3000 });
  }

  protected revoke(invite: Invite): void {
    if (!this.session.organizationId()) return;
    confirmAction(this.dialog, {
      title: 'Revoke invitation?',
      message: `The invitation link sent to ${invite.email} stops working.`,
      confirm: 'Revoke',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.confirmedRevoke(invite));
  }

  private async confirmedRevoke(invite: Invite): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.revokeInvite(invite);
      this.snackBar.open(`Invitation for ${invite.email} revoked`, undefined, { duration: 3000 });
    } catch (error) {
      this.actionError.set(`Could not revoke the invitation for ${invite.email}: ${this.describe(error)}`);
    }
  }

  private describe(error: unknown): string {
    return describeFailure(error, ORGANIZATION_ERRORS, 'Something went wrong. Please try again.');
  }
}
