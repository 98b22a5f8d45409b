import type { components } from './schema';

/**
 * Response shapes the console reads, aliased from the types generated from docs/openapi.json
 * (`npm run api:generate` -> schema.d.ts), so a backend change shows up as a type error here.
 */
type Schemas = components['schemas'];

/** One part of the health report, e.g. `{status: 'up', driver: 'pglite'}`. */
export type HealthIndicatorResult = Schemas['HealthPartDto'];
export type CheckStatus = HealthIndicatorResult['status'];

/** `GET /api/v1/health` (Terminus shape). */
export type HealthResponse = Schemas['HealthResponseDto'];

/**
 * A membership as `/me` lists it. `policies` is always sent; the console treats it as optional
 * (absent = the organization's defaults) so fixtures and older sessions need not carry it.
 */
export type Membership = Omit<Schemas['MembershipResponseDto'], 'policies'> &
  Partial<Pick<Schemas['MembershipResponseDto'], 'policies'>>;
export type MembershipRole = Membership['role'];

/** `GET /api/v1/me`. */
export type Me = Omit<Schemas['MeResponseDto'], 'memberships'> & { memberships: Membership[] };

export const API_BASE = '/api/v1';

export type Role = MembershipRole;
/** The roles and their rules, as the API defines them (backend/src/authz/roles.ts, `@pv/roles`). */
export {
  DEFAULT_INVITE_ROLE,
  DEFAULT_SSO_ROLE,
  NON_OWNER_ROLES,
  ROLES,
  isOwnerRole,
  rolesGrantableBy,
  type NonOwnerRole,
} from '@pv/roles';

/** `POST /auth/login`, `/auth/refresh`. */
export type TokenResponse = Schemas['TokenResponseDto'];
export type SignupRequest = Schemas['SignupDto'];
export type SignupResponse = Schemas['SignupResponseDto'];
export type LoginRequest = Schemas['LoginDto'];

export type Organization = Schemas['OrganizationResponseDto'];
export type CreateOrganizationRequest = Schemas['CreateOrganizationDto'];
export type Member = Schemas['MemberResponseDto'];
export type Invite = Schemas['InviteResponseDto'];
export type CreatedInvite = Schemas['CreatedInviteResponseDto'];
export type CreateInviteRequest = Schemas['CreateInviteDto'];
export type AcceptedInvite = Schemas['AcceptedInviteResponseDto'];
export type InvitePreview = Schemas['InvitePreviewResponseDto'];
export type ApiKey = Schemas['ApiKeyResponseDto'];
export type CreatedApiKey = Schemas['CreatedApiKeyResponseDto'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyDto'];

/** `GET /organizations/:id/sso`. */
export type SsoSettings = Schemas['SsoSettingsResponseDto'];
/** `PUT /organizations/:id/sso`: IdP from metadata XML, a metadata URL, or the three fields. */
export type UpdateSsoSettings = Schemas['PutSsoSettingsDto'];
/** `POST /auth/saml/exchange`: the session for the one-time code of `/sso/callback?code=`. */
export type SsoExchangeResponse = Schemas['SamlExchangeResponseDto'];
/** `GET /auth/sso/discover?email=&organization=`: whether sign-in goes straight to an IdP, and where. */
export type SsoDiscovery = Schemas['SsoDiscoveryResponseDto'];
