import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltip } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import { filter, switchMap } from 'rxjs';
import { CreatedInvite, Invite, Member, Role, ROLES } from '../../../../core/api/api-types';
import { errorMessage } from '../../../../core/http/form-errors';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { InviteDialog, InviteDialogData } from '../../components/invite-dialog/invite-dialog';
import { InviteLinks } from '../../data/invite-links';
import { OrganizationApi } from '../../data/organization.api';

/** Members with their roles, role changes, removal, invitations. OWNER and ADMIN. */
@Component({
  selector: 'pv-members-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatProgressBar,
    MatTooltip,
  ],
  templateUrl: './members-page.html',
  styleUrl: '../org-page.scss',
})
export class MembersPage {
  private readonly api = inject(OrganizationApi);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly inviteLinks = inject(InviteLinks);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);

  protected readonly memberColumns = ['name', 'email', 'role', 'joinedAt', 'actions'];
  protected readonly inviteColumns = ['email', 'role', 'expiresAt', 'actions'];

  protected readonly members = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params }) => this.api.members(params),
  });
  protected readonly invites = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params }) => this.api.invites(params),
  });

  /** The last failed change, shown above the table until dismissed or the next change. */
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal(false);

  private readonly isOwner = computed(() => this.session.currentOrganization()?.role === 'OWNER');
  /** Only an OWNER grants or takes away OWNER. */
  protected readonly grantableRoles = computed<readonly Role[]>(() =>
    this.isOwner() ? ROLES : ROLES.filter((role) => role !== 'OWNER'),
  );

  protected canEditMember(member: Member): boolean {
    return this.isOwner() || member.role !== 'OWNER';
  }

  protected isMe(member: Member): boolean {
    return member.userId === this.session.me()?.id;
  }

  protected inviteLink(invite: Invite): string | undefined {
    return this.inviteLinks.get(invite.id);
  }

  protected openInvite(): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    this.dialog
      .open<InviteDialog, InviteDialogData, CreatedInvite>(InviteDialog, {
        data: { organizationId, roles: this.grantableRoles() },
        width: '32rem',
      })
      .afterClosed()
      .subscribe((invite) => {
        if (!invite) return;
        this.inviteLinks.remember(invite.id, invite.inviteUrl);
        this.invites.reload();
      });
  }

  protected changeRole(member: Member, role: Role): void {
    const organizationId = this.session.organizationId();
    if (!organizationId || role === member.role) return;
    this.actionError.set(null);
    this.busy.set(true);
    this.api.changeRole(organizationId, member.userId, role).subscribe({
      next: (updated) => {
        this.busy.set(false);
        this.members.update((members) => members?.map((m) => (m.userId === updated.userId ? updated : m)));
        this.snackBar.open(`${member.name} is now ${updated.role}`, undefined, { duration: 3000 });
        // Demoting yourself narrows what you may do: refresh the profile and the menu.
        if (this.isMe(member)) void this.session.reload();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.actionError.set(`Could not change the role of ${member.name}: ${errorMessage(error)}`);
        // Put the select back to the role the server kept.
        this.members.reload();
      },
    });
  }

  protected remove(member: Member): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    const organization = this.session.currentOrganization()?.organizationName ?? 'this organization';
    confirmAction(this.dialog, {
      title: `Remove ${member.name}?`,
      message: `${member.name} (${member.email}) loses access to ${organization} and its API keys stop working.`,
      confirm: 'Remove',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.actionError.set(null);
          this.busy.set(true);
          return this.api.removeMember(organizationId, member.userId);
        }),
      )
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.members.update((members) => members?.filter((m) => m.userId !== member.userId));
          this.snackBar.open(`${member.name} was removed`, undefined, { duration: 3000 });
          // Leaving the organization: switch to another one (or none) and start over.
          if (this.isMe(member)) void this.session.reload().then(() => this.router.navigateByUrl('/'));
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.actionError.set(`Could not remove ${member.name}: ${errorMessage(error)}`);
        },
      });
  }

  protected copyLink(invite: Invite): void {
    const link = this.inviteLink(invite);
    if (!link) return;
    const copied = this.clipboard.copy(link);
    this.snackBar.open(copied ? 'Invitation link copied' : 'Copying failed', undefined, { duration: 3000 });
  }

  protected revoke(invite: Invite): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    confirmAction(this.dialog, {
      title: 'Revoke invitation?',
      message: `The invitation link sent to ${invite.email} stops working.`,
      confirm: 'Revoke',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.actionError.set(null);
          return this.api.revokeInvite(organizationId, invite.id);
        }),
      )
      .subscribe({
        next: () => {
          this.invites.update((invites) => invites?.filter((i) => i.id !== invite.id));
          this.snackBar.open(`Invitation for ${invite.email} revoked`, undefined, { duration: 3000 });
        },
        error: (error: unknown) =>
          this.actionError.set(`Could not revoke the invitation for ${invite.email}: ${errorMessage(error)}`),
      });
  }
}
