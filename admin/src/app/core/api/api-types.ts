/**
 * Response shapes the console reads. They stand in for the types generated from
 * docs/openapi.json (`npm run api:generate` -> schema.d.ts) until the backend publishes
 * its OpenAPI document; switch each alias to `components['schemas'][...]` then.
 */

export type CheckStatus = 'up' | 'down';

/** One Terminus indicator result, e.g. `{status: 'up', driver: 'pglite'}`. */
export interface HealthIndicatorResult {
  status: CheckStatus;
  [detail: string]: unknown;
}

/** `GET /api/v1/health` (Terminus shape). */
export interface HealthResponse {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, HealthIndicatorResult> | null;
  error?: Record<string, HealthIndicatorResult> | null;
  details: Record<string, HealthIndicatorResult>;
}

export type MembershipRole = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';

export interface Membership {
  organizationId: string;
  organizationName: string;
  slug: string;
  role: MembershipRole;
}

/** `GET /api/v1/me`. */
export interface Me {
  id: string;
  email: string;
  name: string;
  memberships: Membership[];
}

export const API_BASE = '/api/v1';
