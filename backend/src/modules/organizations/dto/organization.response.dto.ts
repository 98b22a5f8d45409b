import type { Role } from '../../../common/context/request-context';
import type { Plan } from '../entities/organization.entity';

export class OrganizationResponseDto {
  id: string;
  name: string;
  slug: string;
  /** free, starter, pro or enterprise. */
  plan: Plan;
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

export class AcceptedInviteResponseDto {
  organizationId: string;
  role: Role;
}
