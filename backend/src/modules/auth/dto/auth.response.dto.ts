import type { Role } from '../../../common/context/request-context';
import { OrganizationPoliciesDto } from '../../organizations/dto/organization.response.dto';

export class UserResponseDto {
  id: string;
  email: string;
  name: string;
}

export class SignupResponseDto {
  user: UserResponseDto;
}

export class TokenResponseDto {
  /** JWT to send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /**
   * Single-use: exchange it at /auth/refresh for a new pair. Reusing a rotated one ends the session.
   * Absent in cookie mode (`X-Session-Mode: cookie`): it is then an HttpOnly cookie.
   */
  refreshToken?: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
}

export class MembershipResponseDto {
  organizationId: string;
  organizationName: string;
  slug: string;
  /** OWNER, ADMIN, EDITOR or VIEWER. */
  role: Role;
  /** The organization's settings that widen what roles may do (GET|PATCH /organizations/:id/settings). */
  policies: OrganizationPoliciesDto;
}

export class MeResponseDto {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  memberships: MembershipResponseDto[];
}
