import type { ClsStore } from 'nestjs-cls';

export type ActorType = 'user' | 'api_key' | 'system';

export interface Actor {
  type: ActorType;
  id: string | null;
  email?: string | null;
}

export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';
export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'];

/** Who is calling, in which organization, with which role: set once by authentication. */
export interface TenantContext {
  organizationId: string;
  userId: string | null;
  role: Role | null;
}

/** Everything request-scoped lives in CLS (no request-scoped providers). */
export interface AppClsStore extends ClsStore {
  requestId?: string;
  ip?: string | null;
  userAgent?: string | null;
  actor?: Actor;
  /** The signed-in user (the API key's user for key requests). */
  userId?: string;
  /** The session (refresh-token family) of a JWT request. */
  sessionId?: string;
  /** Set by the auth guard for tenant routes; the tenant interceptor opens the transaction from it. */
  tenant?: TenantContext;
}
