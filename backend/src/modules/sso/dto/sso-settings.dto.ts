import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { NON_OWNER_ROLES, type NonOwnerRole } from '../../../authz/roles';
import { ROLES, type Role } from '../../../common/context/request-context';
import { trim } from '../../../common/validation/transforms';
import { METADATA_MAX_BYTES } from '../idp-metadata';
import { Optional, Nullable } from '../../../common/validation/optional';

export class SsoAttributeMappingDto {
  /** SAML attribute with the e-mail address; the NameID is used when the assertion lacks it. */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  email: string;

  /**
   * SAML attribute with the display name, or several separated by spaces whose values are joined
   * (e.g. `firstName lastName`); the e-mail's local part is used when none is present.
   */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(400)
  name: string;

  /** Optional SAML attribute whose value(s) `roleMapping` turns into a role for new members. */
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  role?: string | null;
}

/**
 * The IdP comes from exactly one of: `metadataXml`, `metadataUrl` (fetched by the server), or the
 * three explicit fields. When settings exist, every field is optional and only what is sent changes.
 */
export class PutSsoSettingsDto {
  /** IdP metadata document (SAML 2.0 EntityDescriptor), as uploaded by the admin. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(METADATA_MAX_BYTES)
  metadataXml?: string;

  /** http(s) URL of the IdP metadata; fetched now (5 s timeout, 1 MB limit) and remembered. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  metadataUrl?: string;

  /** The IdP's entity id (the Issuer of its responses). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  idpEntityId?: string;

  /** The IdP's single sign-on URL for the HTTP-Redirect binding. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  idpSsoUrl?: string;

  /** The IdP's signing certificate(s): PEM blocks or base64 DER. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  idpCertificate?: string;

  @Optional()
  @ValidateNested()
  @Type(() => SsoAttributeMappingDto)
  attributeMapping?: SsoAttributeMappingDto;

  /**
   * IdP role values → roles given to members created by SSO. Only an OWNER may map a value to
   * OWNER.
   */
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'string', enum: [...ROLES] },
    example: { engineering: 'EDITOR', 'it-admins': 'ADMIN' },
  })
  @Optional()
  @IsObject()
  roleMapping?: Record<string, Role>;

  /** Role of members created by SSO when no mapping applies (OWNER is not allowed here). */
  @Optional()
  @IsIn(NON_OWNER_ROLES)
  defaultRole?: NonOwnerRole;

  /** Refuse password sign-in for this organization's members (OWNERs keep it as break-glass). */
  @Optional()
  @IsBoolean()
  ssoRequired?: boolean;

  /**
   * Accept responses that answer no AuthnRequest of ours (IdP-initiated sign-in, e.g. from an IdP
   * dashboard). Off by default: only sign-ins started at `/login` are accepted, each once.
   */
  @Optional()
  @IsBoolean()
  allowIdpInitiated?: boolean;

  /** Turn SSO sign-in on or off without losing the configuration. */
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}
