import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { normalizeEmail, trim } from '../../../common/validation/transforms';
import { Optional } from '../../../common/validation/optional';

/** An organization slug as the SAML routes take it. */
export const ORG_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export class SsoDiscoveryQueryDto {
  /** The e-mail typed on the sign-in page; only its domain is used. */
  @Optional()
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  /**
   * The slug of the organization the browser last signed in to (the console remembers it). Checked
   * first; the e-mail's domain is the fallback. At least one of `email` and `organization` is required.
   */
  @Optional()
  @Transform(trim)
  @IsString()
  @Matches(ORG_SLUG, { message: 'organization must be an organization slug' })
  organization?: string;
}

export class SsoDiscoveryResponseDto {
  /** Whether this sign-in must go through the organization's identity provider. */
  ssoRequired: boolean;
  /** Where to send the browser (the organization's SAML login route); null when SSO is not required. */
  loginUrl: string | null;
  /** The organization that requires SSO (for the console to remember); null when SSO is not required. */
  organizationSlug: string | null;
}
