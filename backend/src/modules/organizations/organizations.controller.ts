import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CheckPolicies, Public, TenantScoped } from '../../authz/decorators';
import { CurrentCaller, CurrentPrincipal } from '../../common/context/caller.decorator';
import type { Caller, Principal } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  AcceptInviteDto,
  CreateInviteDto,
  InvitePreviewQueryDto,
  CreateOrganizationDto,
  UpdateMemberDto,
  UpdateOrganizationDto,
} from './dto/organization.dto';
import {
  AcceptedInviteResponseDto,
  CreatedInviteResponseDto,
  InvitePreviewResponseDto,
  InviteResponseDto,
  MemberResponseDto,
  OrganizationDetailResponseDto,
  OrganizationResponseDto,
} from './dto/organization.response.dto';
import { InvitationsService } from './invitations.service';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@Controller()
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly invitations: InvitationsService,
  ) {}

  /**
   * Creates an organization on DEFAULT_PLAN; the caller becomes its OWNER. A user may own one
   * organization on Free or Starter: when the new one starts on such a plan and the caller already
   * owns one, 403 `plan_limit_reached` (`limit: ownedOrganizations`; upgrade that one first).
   */
  @Post('organizations')
  @ApiBearerAuth()
  @ApiProblems(400, 401, 'plan_limit_reached', 'organization_slug_taken')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return this.organizations.create(principal.userId, dto);
  }

  /**
   * What an invitation link is for: organization, role, who invited, the invited e-mail and the
   * expiry (public: the token is the capability). Unknown token → 404; revoked, accepted or
   * expired → 410.
   */
  @Public()
  @Get('invites/preview')
  @ApiProblems(400, 404, 'invite_revoked', 'invite_expired', 'invite_already_accepted')
  preview(@Query() q: InvitePreviewQueryDto): Promise<InvitePreviewResponseDto> {
    return this.invitations.preview(q.token);
  }

  /** Accepts an invitation for the signed-in user (their e-mail must match the invitation). */
  @Post('invites/accept')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiProblems(
    400,
    401,
    'invite_email_mismatch',
    'email_not_verified',
    'plan_limit_reached',
    404,
    'already_member',
    'invite_revoked',
    'invite_expired',
    'invite_already_accepted',
    'invite_no_longer_valid',
  )
  accept(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: AcceptInviteDto,
  ): Promise<AcceptedInviteResponseDto> {
    return this.invitations.acceptInvite(principal.userId, dto.token);
  }

  /** The organization and its role-widening policies (any member). */
  @Get('organizations/:id')
  @TenantScoped({ param: 'id' })
  @ApiProblems(400, 401, 404)
  get(@UuidParam('id') id: string): Promise<OrganizationDetailResponseDto> {
    return this.organizations.get(id);
  }

  /** Renames the organization or changes its slug (OWNER, ADMIN). */
  @Patch('organizations/:id')
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('update', 'Organization'))
  @ApiProblems(400, 401, 403, 404, 'organization_slug_taken')
  update(@UuidParam('id') id: string, @Body() dto: UpdateOrganizationDto): Promise<OrganizationResponseDto> {
    return this.organizations.update(id, dto);
  }

  /** Deletes the organization and all of its data (OWNER). */
  @Delete('organizations/:id')
  @HttpCode(204)
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('delete', 'Organization'))
  @ApiProblems(400, 401, 403, 404)
  remove(@UuidParam('id') id: string): Promise<void> {
    return this.organizations.remove(id);
  }

  /** Members with their roles (any member). */
  @Get('organizations/:id/members')
  @TenantScoped({ param: 'id' })
  @ApiProblems(400, 401, 404)
  members(@UuidParam('id') id: string): Promise<MemberResponseDto[]> {
    return this.organizations.members(id);
  }

  /** Changes a member's role (OWNER, ADMIN; only an OWNER grants or takes OWNER; the last OWNER stays). */
  @Patch('organizations/:id/members/:userId')
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('update', 'Member'))
  @ApiProblems(400, 401, 403, 404, 'last_owner')
  changeRole(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @UuidParam('userId') userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberResponseDto> {
    return this.organizations.changeRole(caller, userId, dto.role);
  }

  /** Removes a member (OWNER, ADMIN; only an OWNER removes an OWNER; the last OWNER stays). */
  @Delete('organizations/:id/members/:userId')
  @HttpCode(204)
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('delete', 'Member'))
  @ApiProblems(400, 401, 403, 404, 'last_owner')
  removeMember(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.organizations.removeMember(caller, userId);
  }

  /**
   * Invites by e-mail with a role (omitted: the organization's default role); the link expires in
   * 7 days and is returned as `inviteUrl` too (OWNER, ADMIN). With allowed e-mail domains set in
   * the organization settings, other addresses answer 400 `email_domain_not_allowed`.
   */
  @Post('organizations/:id/invites')
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('create', 'Invite'))
  @ApiProblems(400, 401, 403, 404, 'email_domain_not_allowed', 'plan_limit_reached', 'already_member')
  invite(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @Body() dto: CreateInviteDto,
  ): Promise<CreatedInviteResponseDto> {
    return this.invitations.invite(caller, dto);
  }

  /** Pending invitations (OWNER, ADMIN). */
  @Get('organizations/:id/invites')
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('read', 'Invite'))
  @ApiProblems(400, 401, 403, 404)
  invites(@UuidParam('id') id: string): Promise<InviteResponseDto[]> {
    return this.invitations.pendingInvites(id);
  }

  /** Revokes a pending invitation (OWNER, ADMIN). */
  @Delete('organizations/:id/invites/:inviteId')
  @HttpCode(204)
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('delete', 'Invite'))
  @ApiProblems(400, 401, 403, 404)
  revokeInvite(@UuidParam('id') id: string, @UuidParam('inviteId') inviteId: string): Promise<void> {
    return this.invitations.revokeInvite(id, inviteId);
  }
}
