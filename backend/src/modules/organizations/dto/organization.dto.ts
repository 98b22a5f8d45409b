import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../../common/context/request-context';
import { normalizeEmail, trim } from '../../../common/validation/transforms';
import { Optional } from '../../../common/validation/optional';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;
const SLUG_MESSAGE =
  'slug must be 3-48 lower-case letters, digits or dashes, starting and ending with a letter or digit';

export class CreateOrganizationDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  /** URL name, unique across Prompt Vault; derived from the name when omitted. */
  @Optional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug?: string;
}

export class UpdateOrganizationDto {
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @Optional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug?: string;
}

export class UpdateMemberDto {
  /** OWNER, ADMIN, EDITOR or VIEWER. Only an OWNER grants or takes away OWNER. */
  @IsIn(ROLES)
  role: Role;
}

export class CreateInviteDto {
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** The role to join with; omitted: the organization's default role (organization settings). */
  @Optional()
  @IsIn(ROLES)
  role?: Role;
}

export class InvitePreviewQueryDto {
  /** The token from the invitation link. */
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;
}

export class AcceptInviteDto {
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;
}
