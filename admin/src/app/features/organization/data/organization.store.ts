import { computed, inject, Injectable } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom, tap } from 'rxjs';
import {
  ApiKey,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreatedInvite,
  CreateInviteRequest,
  CreateOrganizationRequest,
  Invite,
  Member,
  Organization,
  isOwnerRole,
  Role,
  rolesGrantableBy,
} from '../../../core/api/api-types';
import { SessionStore } from '../../../core/session/session.store';
import { InviteLinks } from './invite-links';
import { OrganizationApi } from './organization.api';

/**
 * The user's organizations: creating one makes the user its OWNER and switches to it. Root-wide,
 * because the toolbar's organization menu opens the dialog that uses it.
 */
@Injectable({ providedIn: 'root' })
export class OrganizationsStore {
  private readonly api = inject(OrganizationApi);
  private readonly session = inject(SessionStore);

  async create(body: CreateOrganizationRequest): Promise<Organization> {
    const organization = await firstValueFrom(this.api.create(body));
    await this.session.reload();
    this.session.selectOrganization(organization.id);
    return organization;
  }
}

function organizationOf(session: SessionStore) {
  return () => session.organizationId() ?? undefined;
}

/**
 * The current organization's members and pending invitations, and the changes to them. Provided
 * by the members page (its dialogs get it through the page's injector), so the lists load only
 * there and are dropped when the page goes.
 */
@Injectable()
export class MembersStore {
  private readonly api = inject(OrganizationApi);
  private readonly session = inject(SessionStore);
  private readonly inviteLinks = inject(InviteLinks);

  readonly members = rxResource({
    params: organizationOf(this.session),
    stream: ({ params }) => this.api.members(params),
  });
  readonly invites = rxResource({
    params: organizationOf(this.session),
    stream: ({ params }) => this.api.invites(params),
  });

  private readonly isOwner = computed(() => {
    const role = this.session.currentOrganization()?.role;
    return !!role && isOwnerRole(role);
  });
  /** Only an OWNER grants or takes away OWNER. */
  readonly grantableRoles = computed<readonly Role[]>(() =>
    rolesGrantableBy(this.session.currentOrganization()?.role),
  );

  canEdit(member: Member): boolean {
    return this.isOwner() || !isOwnerRole(member.role);
  }

  isMe(member: Member): boolean {
    return member.userId === this.session.me()?.id;
  }

  /** The link of an invitation created in this browser session (the API shows it only once). */
  inviteLink(invite: Invite): string | undefined {
    return this.inviteLinks.get(invite.id);
  }

  async changeRole(member: Member, role: Role): Promise<Member> {
    const updated = await firstValueFrom(
      this.api.changeRole(this.organizationId(), member.userId, role).pipe(
        // Put the select back to the role the server kept, as soon as the refusal arrives.
        tap({ error: () => this.members.reload() }),
      ),
    );
    this.members.update((members) => members?.map((m) => (m.userId === updated.userId ? updated : m)));
    // Demoting yourself narrows what you may do: refresh the profile and the menu.
    if (this.isMe(member)) void this.session.reload();
    return updated;
  }

  /** Removes the member; removing yourself leaves the organization (the session switches). */
  async remove(member: Member): Promise<void> {
    await firstValueFrom(this.api.removeMember(this.organizationId(), member.userId));
    this.members.update((members) => members?.filter((m) => m.userId !== member.userId));
    if (this.isMe(member)) await this.session.reload();
  }

  invite(body: CreateInviteRequest): Promise<CreatedInvite> {
    return firstValueFrom(
      this.api.invite(this.organizationId(), body).pipe(
        // The list and the link follow as soon as the answer arrives.
        tap((invite) => {
          this.inviteLinks.remember(invite.id, invite.inviteUrl);
          this.invites.reload();
        }),
      ),
    );
  }

  async revokeInvite(invite: Invite): Promise<void> {
    await firstValueFrom(this.api.revokeInvite(this.organizationId(), invite.id));
    this.invites.update((invites) => invites?.filter((i) => i.id !== invite.id));
  }

  private organizationId(): string {
    const id = this.session.organizationId();
    if (!id) throw new Error('No organization selected');
    return id;
  }
}

/** The API keys the user sees in the current organization. Provided by the API keys page. */
@Injectable()
export class ApiKeysStore {
  private readonly api = inject(OrganizationApi);
  private readonly session = inject(SessionStore);

  readonly keys = rxResource({
    params: organizationOf(this.session),
    stream: ({ params }) => this.api.apiKeys(params),
  });
  /** OWNER and ADMIN see every member's keys; a column says whose. */
  readonly seesAll = computed(() =>
    this.session.ability().can('read', { __type: 'ApiKey', createdById: null }),
  );
  /** Names for the owner column: members are readable by everyone who sees others' keys. */
  private readonly members = rxResource({
    params: () => (this.seesAll() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: ({ params }) => this.api.members(params),
  });
  private readonly memberNames = computed(
    () => new Map((this.members.value() ?? []).map((member) => [member.userId, member.name])),
  );

  ownerName(key: ApiKey): string {
    if (key.userId === this.session.me()?.id) return 'You';
    // The key of a removed member no longer works but can still be listed until it is revoked.
    return this.memberNames().get(key.userId) ?? 'Another member';
  }

  create(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return firstValueFrom(
      this.api.createApiKey(this.organizationId(), body).pipe(tap(() => this.keys.reload())),
    );
  }

  async revoke(key: ApiKey): Promise<void> {
    await firstValueFrom(this.api.revokeApiKey(this.organizationId(), key.id));
    this.keys.update((keys) => keys?.filter((k) => k.id !== key.id));
  }

  private organizationId(): string {
    const id = this.session.organizationId();
    if (!id) throw new Error('No organization selected');
    return id;
  }
}
