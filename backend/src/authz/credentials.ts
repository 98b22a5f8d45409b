import type { Response } from 'express';
import type { Principal } from '../common/context/request-context';
import type { TenantScope } from '../database/tenancy/tenant-transactions';
import type { PolicyHandler } from './decorators';

/** A UUID as ids come in from tokens, headers and route parameters (any case). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The claims of an access token (signed by SessionsService, verified by the JWT strategy). */
export interface AccessTokenClaims {
  sub: string;
  email: string;
  /** The session (refresh-token family) the access token belongs to. */
  sid: string;
  /** Set for an SSO session: the one organization it may act in (see `Principal.organizationScope`). */
  org?: string;
}

/**
 * What a passport strategy established about a request. A bearer token is verified on the spot
 * (no database); an API key is only hashed: its row is read later, in the transaction that needs
 * it (see `PendingAdmission`).
 */
export type Credentials = { kind: 'token'; principal: Principal } | { kind: 'api_key'; keyHash: string };

/** The organization a tenant request names, as sent; checked once the caller is known. */
export interface RequestedOrganization {
  /** The route parameter that names it (`/organizations/:id`), if the route takes one. */
  param?: string;
  paramValue?: string;
  header?: string;
}

/**
 * The part of a tenant request's admission that needs the database, described by the access
 * guard and carried out by `AdmissionService.admit` first thing in the request's one tenant
 * transaction: the API-key row (for a key), the membership and the route's policies. One
 * transaction per request instead of two (token) or three (key) halves the round trips of a read.
 */
export interface PendingAdmission {
  /** The scope the transaction starts in (for a key: only the hash of the key presented). */
  scope: TenantScope;
  credentials: Credentials;
  organization: RequestedOrganization;
  /** Every `@CheckPolicies` handler of the class and of the method. */
  policies: PolicyHandler[];
  /** Where the per-key rate-limit headers go. */
  response: Response;
}
