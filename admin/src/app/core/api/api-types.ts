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

export type Membership = Schemas['MembershipResponseDto'];
export type MembershipRole = Membership['role'];

/** `GET /api/v1/me`. */
export type Me = Schemas['MeResponseDto'];

export const API_BASE = '/api/v1';
