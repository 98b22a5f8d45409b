import type { Role } from '../../../common/context/request-context';
import type { Plan } from '../entities/organization.entity';

export class OrganizationResponseDto {
  id: string;
  name: string;
  slug: string;
  /** free, starter, pro or enterprise. */
  plan: Plan;
}

/** The organization's settings that change what roles may do ("if allowed" in the permission matrix). */
export class OrganizationPoliciesDto {
  /** VIEWERs may run prompts (playground, API) and evaluate. */
  viewersMayRun: boolean;
  /** EDITORs and VIEWERs may export what they can see. */
  membersMayExport: boolean;
}

/** `GET /organizations/:id`: the organization and the policies the console applies to its member's role. */
export class OrganizationDetailResponseDto extends OrganizationResponseDto {
  policies: OrganizationPoliciesDto;
}

export class MemberResponseDto {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export class InviteResponseDto {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

export class CreatedInviteResponseDto extends InviteResponseDto {
  /** The link to accept; also mailed to the invitee. Shown only now. */
  inviteUrl: string;
}

export class InviterDto {
  /** The inviting member's display name; null when that account no longer exists. */
  name: string | null;
}

/** What an invitation link is for, shown on the accept page before anyone signs in. */
export class InvitePreviewResponseDto {
  organizationName: string;
  role: Role;
  invitedBy: InviterDto;
  /** The invited address: the account that accepts must have it. */
  email: string;
  expiresAt: string;
}

export class AcceptedInviteResponseDto {
  organizationId: string;
  role: Role;
}
