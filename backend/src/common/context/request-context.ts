import { Injectable, NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { ROLES, type Role } from '../../authz/roles';

export type ActorType = 'user' | 'api_key' | 'system';

/** Who an audit event or a change is attributed to. */
export interface Actor {
  type: ActorType;
  id: string | null;
  email?: string | null;
}

// The roles are defined with their rules in authz/roles.ts (free of Nest: the console compiles it).
export { ROLES, type Role };

/** Who is calling, on any authenticated route: set once by authentication. */
export interface Principal {
  userId: string;
  email: string | null;
  /** The session (refresh-token family) of a bearer-token request. */
  sessionId: string | null;
  /** Set for API-key requests: the key and the organization it belongs to. */
  apiKey: { id: string; organizationId: string } | null;
  /**
   * The only organization this session may act in: set for a session an organization's IdP signed
   * in (SSO), absent or null for an account-wide (password) session.
   */
  organizationScope?: string | null;
}

/** The principal acting in one organization with its role there: what a tenant route works for. */
export interface Caller extends Principal {
  organizationId: string;
  role: Role;
  /** The organization's settings that widen what a role may do (read at admission); absent = the defaults. */
  policies?: OrganizationPolicies;
}

/**
 * Organization settings that change the permission matrix's "if allowed" cells
 * (API-CONTRACT.md): VIEWERs running prompts, EDITORs and VIEWERs exporting.
 */
export interface OrganizationPolicies {
  /** Default false. */
  viewersMayRun: boolean;
  /** Default true. */
  membersMayExport: boolean;
}

/** Facts about the HTTP request itself (audit, rate limits, logs). */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The request-scoped store (nestjs-cls). Its keys are private to this file: code reads the
 * caller through `@CurrentCaller()` / `@CurrentPrincipal()` in controllers or `RequestContext`
 * elsewhere, never through CLS keys by string.
 */
interface ContextStore {
  meta?: RequestMeta;
  principal?: Principal;
  caller?: Caller;
  [key: symbol]: unknown;
}

function store(): ContextStore | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.get() : undefined;
}

/** Called once per request by `RequestContextMiddleware`. */
export function initRequestContext(cls: ClsService, meta: RequestMeta): void {
  cls.set('meta', meta);
}

/**
 * Opens the request's context (a fresh CLS store with the request's id, ip and user agent) around
 * the rest of the request: every later middleware, guard, handler and their async continuations
 * see it.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request & { id?: string }, _res: Response, next: () => void): void {
    const cls = ClsServiceManager.getClsService();
    cls.run(() => {
      initRequestContext(cls, {
        requestId: req.id ?? null,
        ip: req.ip ?? null,
        userAgent: req.header('user-agent') ?? null,
      });
      next();
    });
  }
}

export const readPrincipal = (): Principal | undefined => store()?.principal;
export const readCaller = (): Caller | undefined => store()?.caller;

/**
 * The one typed accessor of request context, for services and infrastructure that cannot take
 * the caller as an argument (audit attribution, rate limits, the tenant interceptor). Setters are
 * for authentication only.
 */
@Injectable()
export class RequestContext {
  /** The tenant caller; throws on routes that are not tenant-scoped (a programming error). */
  get caller(): Caller {
    const caller = readCaller();
    if (!caller) throw new Error('No tenant caller: this code must run on a @TenantScoped route');
    return caller;
  }

  get callerOrNull(): Caller | null {
    return readCaller() ?? null;
  }

  /** The authenticated principal; throws on public routes (a programming error). */
  get principal(): Principal {
    const principal = readPrincipal();
    if (!principal) throw new Error('No principal: this code must run on an authenticated route');
    return principal;
  }

  get principalOrNull(): Principal | null {
    return readPrincipal() ?? null;
  }

  /** Who a change is attributed to: the key, the user, or the system outside a request. */
  get actor(): Actor {
    const p = readPrincipal();
    if (!p) return { type: 'system', id: null };
    return p.apiKey
      ? { type: 'api_key', id: p.apiKey.id, email: p.email }
      : { type: 'user', id: p.userId, email: p.email };
  }

  get meta(): RequestMeta {
    return store()?.meta ?? { requestId: null, ip: null, userAgent: null };
  }

  /** A request-local slot for infrastructure (e.g. "already nudged" sets), keyed by a symbol. */
  local<T>(key: symbol, init: () => T): T | undefined {
    const s = store();
    if (!s) return undefined;
    if (!(key in s)) s[key] = init();
    return s[key] as T;
  }

  setPrincipal(principal: Principal): void {
    ClsServiceManager.getClsService().set('principal', principal);
  }

  setCaller(caller: Caller): void {
    ClsServiceManager.getClsService().set('caller', caller);
  }
}
