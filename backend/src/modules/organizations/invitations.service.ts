import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import type { Actor, Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { newSecret, sha256 } from '../../common/security/tokens';
import { AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { AuthException } from '../auth/auth.errors';
import { MailService } from '../mail/mail.service';
import { User } from '../users/entities/user.entity';
import { CreateInviteDto } from './dto/organization.dto';
import {
  AcceptedInviteResponseDto,
  CreatedInviteResponseDto,
  InvitePreviewResponseDto,
  InviteResponseDto,
} from './dto/organization.response.dto';
import { Invite } from './entities/invite.entity';
import { Organization } from './entities/organization.entity';
import { OrganizationSettingsService } from './organization-settings.service';
import { OrganizationException } from './organizations.errors';
import { OrganizationsService, requireMayGrant } from './organizations.service';

const INVITE_TTL_MS = 7 * 24 * 3600_000;

const toInvite = (i: Invite): InviteResponseDto => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

/**
 * Invitations by e-mail: a single-use link that joins the invited address to the organization
 * with the role chosen, through OrganizationsService.addMember.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly organizations: OrganizationsService,
    private readonly planLimits: PlanLimitsService,
    private readonly settings: OrganizationSettingsService,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async invite(caller: Caller, dto: CreateInviteDto): Promise<CreatedInviteResponseDto> {
    const { organizationId, userId: invitedBy } = caller;
    const settings = await this.settings.get(organizationId);
    const role = dto.role ?? settings.defaultRole;
    requireMayGrant(caller, 'create', role, 'Invite');
    if (!OrganizationSettingsService.allowsEmail(settings, dto.email)) {
      const message = `only addresses at ${settings.allowedEmailDomains.join(', ')} may join this organization`;
      throw new OrganizationException('email_domain_not_allowed', `${dto.email}: ${message}`, {
        errors: [{ field: 'email', message }],
      });
    }
    const [existing]: Array<{ user_id: string }> = await this.em.query(
      `SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND lower(u.email) = $2`,
      [organizationId, dto.email],
    );
    if (existing)
      throw new OrganizationException(
        'already_member',
        `${dto.email} is already a member of this organization`,
      );

    // A new invitation replaces any pending one for the same address.
    await this.em.update(
      Invite,
      { organizationId, email: dto.email, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    // Members and pending invitations together must stay within the plan (this one included).
    await this.planLimits.assertCanCreate('members', organizationId, { pendingInvites: true });
    const token = newSecret();
    const invite = this.em.create(Invite, {
      organizationId,
      email: dto.email,
      role,
      tokenHash: sha256(token),
      invitedBy,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    });
    await this.em.save(invite);
    await this.audit.record({
      action: 'member.invited',
      target: { type: 'invite', id: invite.id },
      changes: { email: dto.email, role },
    });

    const org = await this.em.findOneByOrFail(Organization, { id: organizationId });
    const inviteUrl = `${this.config.publicUrl}/invites/accept?token=${token}`;
    this.transactions.afterCommit(() =>
      this.mail.send({
        to: dto.email,
        subject: `You are invited to ${org.name} on Prompt Vault`,
        text: `You have been invited to join ${org.name} as ${role}.\n\nAccept the invitation here:\n\n${inviteUrl}\n\nThe link expires in 7 days.`,
      }),
    );
    return { ...toInvite(invite), inviteUrl };
  }

  async pendingInvites(organizationId: string): Promise<InviteResponseDto[]> {
    const invites = await this.em.find(Invite, {
      where: { organizationId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
    return invites.map(toInvite);
  }

  async revokeInvite(organizationId: string, inviteId: string): Promise<void> {
    const result = await this.em.update(
      Invite,
      { id: inviteId, organizationId, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (!result.affected) throw notFound('Invitation');
    await this.audit.record({ action: 'invite.revoked', target: { type: 'invite', id: inviteId } });
  }

  /**
   * What an invitation link is for (public: knowing the token is the capability): the
   * organization, the role, who invited and until when. Unknown → 404; revoked, accepted or
   * expired → 410 with the matching code.
   */
  async preview(token: string): Promise<InvitePreviewResponseDto> {
    const tokenHash = sha256(token);
    const invite = await this.openInvite(tokenHash);
    return this.transactions.run(
      { organizationId: invite.organizationId, userId: null, tokenHash },
      async (em) => {
        const org = await em.findOneByOrFail(Organization, { id: invite.organizationId });
        const inviter = invite.invitedBy ? await em.findOneBy(User, { id: invite.invitedBy }) : null;
        return {
          organizationName: org.name,
          role: invite.role,
          invitedBy: { name: inviter?.name ?? null },
          email: invite.email,
          expiresAt: invite.expiresAt.toISOString(),
        };
      },
    );
  }

  /**
   * The still-valid invitation of a sign-up with `inviteToken`: the new account's e-mail must be
   * the invited one (403 `invite_email_mismatch`). The account joins through `joinOnSignup`.
   */
  async inviteForSignup(token: string, email: string): Promise<Invite> {
    const invite = await this.openInvite(sha256(token));
    if (email.toLowerCase() !== invite.email)
      throw new OrganizationException(
        'invite_email_mismatch',
        'This invitation is for another e-mail address: sign up with the invited one',
        { errors: [{ field: 'email', message: 'must be the e-mail address the invitation was sent to' }] },
      );
    return invite;
  }

  /**
   * Claims `invite` for the account just created in `em` (a transaction scoped to the invite's
   * organization, with its token hash) and adds the membership with the invited role.
   */
  async joinOnSignup(em: EntityManager, invite: Invite, actor: Actor & { id: string }): Promise<void> {
    await this.claim(em, invite, actor.id, actor);
  }

  /** The invitation of this token hash if it can still be accepted; 404 or 410 otherwise. */
  private async openInvite(tokenHash: string): Promise<Invite> {
    const invite = await this.transactions.run({ organizationId: null, userId: null, tokenHash }, (em) =>
      em.findOneBy(Invite, { tokenHash }),
    );
    if (!invite) throw notFound('Invitation');
    if (invite.revokedAt) throw new OrganizationException('invite_revoked', 'This invitation was revoked');
    if (invite.acceptedAt)
      throw new OrganizationException('invite_already_accepted', 'This invitation was already accepted');
    if (invite.expiresAt.getTime() <= Date.now())
      throw new OrganizationException('invite_expired', 'This invitation has expired');
    return invite;
  }

  private async claim(
    em: EntityManager,
    invite: Invite,
    userId: string,
    actor?: Actor,
  ): Promise<AcceptedInviteResponseDto> {
    const claimed = await em.update(
      Invite,
      { id: invite.id, acceptedAt: IsNull(), revokedAt: IsNull() },
      { acceptedAt: new Date(), acceptedBy: userId },
    );
    if (!claimed.affected)
      throw new OrganizationException('invite_no_longer_valid', 'This invitation is no longer valid');
    await this.organizations.addMember(em, {
      organizationId: invite.organizationId,
      userId,
      role: invite.role,
      actor,
      changes: { inviteId: invite.id },
    });
    return { organizationId: invite.organizationId, role: invite.role };
  }

  /** Joins the organization of the invitation; the signed-in user's (verified) e-mail must match it. */
  async acceptInvite(userId: string, token: string): Promise<AcceptedInviteResponseDto> {
    const tokenHash = sha256(token);
    const user = await this.transactions.run({ organizationId: null, userId }, (em) =>
      em.findOneBy(User, { id: userId }),
    );
    if (!user) throw notFound('Invitation');
    const invite = await this.openInvite(tokenHash);
    if (user.email.toLowerCase() !== invite.email)
      throw new OrganizationException(
        'invite_email_mismatch',
        'This invitation is for another e-mail address',
      );
    if (this.config.emailVerification && !user.emailVerifiedAt) {
      throw new AuthException(
        'email_not_verified',
        'Verify your e-mail address before accepting invitations',
      );
    }
    try {
      return await this.transactions.run({ organizationId: invite.organizationId, userId, tokenHash }, (em) =>
        this.claim(em, invite, userId),
      );
    } catch (err) {
      if (isUniqueViolation(err, 'memberships_pkey'))
        throw new OrganizationException('already_member', 'You are already a member of this organization');
      throw err;
    }
  }
}
