import { ApiProperty } from '@nestjs/swagger';
import type { NonOwnerRole } from '../../../authz/roles';
import { ROLES, type Role } from '../../../common/context/request-context';

export class SsoAttributeMappingResponseDto {
  email: string;
  name: string;
  role?: string | null;
}

/** What the IdP needs to know about Prompt Vault (the service provider) for this organization. */
export class ServiceProviderInfoDto {
  /** SP entity id (also the SP metadata URL). */
  entityId: string;
  /** Assertion Consumer Service (HTTP-POST binding). */
  acsUrl: string;
  /** SP metadata document to give the IdP. */
  metadataUrl: string;
  /** Starts an SP-initiated sign-in for this organization. */
  loginUrl: string;
}

export class SsoSettingsResponseDto {
  /** false until an IdP has been configured; the other IdP fields are then null. */
  configured: boolean;
  enabled: boolean;
  idpEntityId: string | null;
  idpSsoUrl: string | null;
  /** PEM certificate(s) the IdP signs with (public data). */
  idpCertificate: string | null;
  /** SHA-256 fingerprints of the configured certificates. */
  idpCertificateFingerprints: string[];
  metadataUrl: string | null;
  attributeMapping: SsoAttributeMappingResponseDto;
  /** IdP role values → roles given to members created by SSO. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: [...ROLES] } })
  roleMapping: Record<string, Role>;
  defaultRole: NonOwnerRole;
  ssoRequired: boolean;
  /** Whether responses that answer no AuthnRequest of ours (IdP-initiated sign-in) are accepted. */
  allowIdpInitiated: boolean;
  sp: ServiceProviderInfoDto;
}
