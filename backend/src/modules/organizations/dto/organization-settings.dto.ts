import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { NON_OWNER_ROLES, type NonOwnerRole } from '../../../authz/roles';
import { Nullable, Optional } from '../../../common/validation/optional';
import { lowerCaseEach } from '../../../common/validation/transforms';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `PATCH /organizations/:id/settings`: only the fields sent change. */
export class UpdateOrganizationSettingsDto {
  /**
   * The role an invitation gives when it names none, and the one the console preselects (ADMIN,
   * EDITOR, VIEWER). Members created by SSO just-in-time get the SSO settings' mapped or default role.
   */
  @Optional()
  @IsIn(NON_OWNER_ROLES)
  defaultRole?: NonOwnerRole;

  /**
   * E-mail domains that invitations and SSO just-in-time sign-ups are limited to (e.g. `example.com`);
   * an empty list allows any domain. At most 50. With SSO required, addresses of these domains are
   * sent straight to the IdP by the sign-in page (`GET /auth/sso/discover`).
   */
  @Optional()
  @Transform(lowerCaseEach)
  @IsArray()
  @ArrayMaxSize(50)
  @MaxLength(253, { each: true })
  @Matches(DOMAIN, { each: true, message: 'allowedEmailDomains must hold domain names such as example.com' })
  allowedEmailDomains?: string[];

  /** Whether EDITORs and VIEWERs may export the prompts they can see (OWNER and ADMIN always may). */
  @Optional()
  @IsBoolean()
  membersMayExport?: boolean;

  /** Whether VIEWERs may run prompts in the playground and through the API (and evaluate them). */
  @Optional()
  @IsBoolean()
  viewersMayRun?: boolean;

  /** How long a console session lasts for this organization's members, in minutes (5–43200); `null` = the server default. */
  @Nullable()
  @IsInt()
  @Min(5)
  @Max(43200)
  sessionTtlMinutes?: number | null;

  /** Whether moving the `production` label needs the last test run of that version to have passed. */
  @Optional()
  @IsBoolean()
  requireTestRunForProduction?: boolean;
}

export class OrganizationSettingsResponseDto {
  /** ADMIN, EDITOR or VIEWER. */
  defaultRole: NonOwnerRole;
  allowedEmailDomains: string[];
  membersMayExport: boolean;
  viewersMayRun: boolean;
  sessionTtlMinutes: number | null;
  requireTestRunForProduction: boolean;
  /** When an OWNER or ADMIN last changed them; `null` while every setting is at its default. */
  updatedAt: string | null;
}
