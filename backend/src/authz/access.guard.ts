import { createSecretKey, KeyObject } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request, Response } from 'express';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/errors/domain.exception';
import { Principal, RequestContext, type Role } from '../common/context/request-context';
import { ApiKeyThrottler } from '../common/security/api-key-throttler';
import { sha256 } from '../common/security/tokens';
import { AppConfig } from '../config/app-config';
import { preparedQuery, TenantTransactions } from '../database/tenancy/tenant-transactions';
import type { AccessTokenClaims } from '../modules/auth/auth.service';
import { defineAbilityFor } from './ability.factory';
import { IS_PUBLIC, IS_TENANT, POLICIES, PolicyHandler, TenantOptions } from './decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface KeyRow {
  id: string;
  organization_id: string;
  user_id: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  email: string | null;
}

interface Caller {
  userId: string;
  email: string | null;
  /** Set for API-key requests: the key's own organization. */
  apiKey?: { id: string; organizationId: string };
  sessionId?: string;
}

/**
 * Authentication, tenant resolution and policies in one ordered step: who is calling (JWT or API
 * key), in which organization and role (membership, read under RLS), and whether the route's
 * policies allow it.
 *
 * On tenant routes the steps that need the database run inside the request's one tenant
 * transaction: the guard checks what it can without the database (the JWT, the organization id)
 * and defers the rest as an `Admission` that the tenant interceptor runs first in the transaction
 * it opens. One transaction per request instead of two (JWT) or three (API key) halves the round
 * trips of a read; the order of the answers (401, 429, 400, 404, 403) is unchanged.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /**
   * The HS256 secret as a KeyObject, made once. Given the plain string, jsonwebtoken first tries to
   * parse it as a PEM public key on every verification (and fails, throwing) before it makes the
   * same secret key: that was ~15% of the API's CPU time on a bearer-token read.
   */
  private readonly jwtKey: KeyObject;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly context: RequestContext,
    private readonly transactions: TenantTransactions,
    private readonly throttler: ApiKeyThrottler,
    private readonly config: AppConfig,
  ) {
    this.jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const policies = this.reflector.getAllAndOverride<PolicyHandler[]>(POLICIES, targets) ?? [];
    const tenant = this.reflector.getAllAndOverride<TenantOptions | undefined>(IS_TENANT, targets);
    if (!tenant) {
      if (policies.length) throw new Error('Policies need a tenant route: add @TenantScoped()');
      this.remember(await this.authenticate(req, res));
      return true;
    }

    const apiKey = req.header('x-api-key');
    if (apiKey) {
      // The key row is visible by its hash only; once read, the transaction moves to the key's
      // organization and user.
      const keyHash = sha256(apiKey);
      this.transactions.defer({
        scope: { organizationId: null, userId: null, tokenHash: keyHash },
        admit: async (em) => {
          const caller = await this.checkKey(em, keyHash, res, true);
          this.remember(caller);
          const organizationId = this.organizationOf(req, tenant, caller);
          await this.transactions.rescope({ organizationId, userId: caller.userId });
          await this.admitMember(em, organizationId, caller.userId, policies);
        },
      });
      return true;
    }

    const caller = await this.verifyToken(req);
    this.remember(caller);
    const organizationId = this.organizationOf(req, tenant, caller);
    this.transactions.defer({
      scope: { organizationId, userId: caller.userId },
      admit: (em) => this.admitMember(em, organizationId, caller.userId, policies),
    });
    return true;
  }

  private remember(caller: Caller): void {
    const principal: Principal = {
      userId: caller.userId,
      email: caller.email,
      sessionId: caller.sessionId ?? null,
      apiKey: caller.apiKey ?? null,
    };
    this.context.setPrincipal(principal);
  }

  /** The caller's role in the organization (read under RLS in the request's transaction), then policies. */
  private async admitMember(
    em: EntityManager,
    organizationId: string,
    userId: string,
    policies: PolicyHandler[],
  ): Promise<void> {
    const [membership] = await preparedQuery<{ role: Role }>(
      em,
      `SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, userId],
    );
    // Not a member and no such organization look the same: ids of other tenants do not leak.
    if (!membership) throw new AppException('not_found', 'Organization was not found');

    this.context.setCaller({ ...this.context.principal, organizationId, role: membership.role });
    const ability = defineAbilityFor(membership.role, userId);
    if (!policies.every((allows) => allows(ability))) {
      throw new AppException('forbidden', 'Your role in this organization does not allow this action');
    }
  }

  private organizationOf(req: Request, tenant: TenantOptions, caller: Caller): string {
    const fromParam = tenant.param ? (req.params as Record<string, string>)[tenant.param] : undefined;
    const header = req.header('x-organization-id');
    const value = fromParam ?? header ?? caller.apiKey?.organizationId;
    if (!value) {
      throw new AppException('validation_failed', 'This route needs the X-Organization-Id header', {
        errors: [{ field: 'X-Organization-Id', message: 'X-Organization-Id header is required' }],
      });
    }
    if (!UUID.test(value)) {
      const field = fromParam ? tenant.param! : 'X-Organization-Id';
      throw new AppException('validation_failed', `${field} must be a UUID`, {
        errors: [{ field, message: `${field} must be a UUID` }],
      });
    }
    if (caller.apiKey && value.toLowerCase() !== caller.apiKey.organizationId) {
      // A key acts only in its own organization; another one is as unknown to it as to outsiders.
      throw new AppException('not_found', 'Organization was not found');
    }
    return value.toLowerCase();
  }

  /** Routes outside a tenant: the caller only (an API key is read in a transaction of its own). */
  private async authenticate(req: Request, res: Response): Promise<Caller> {
    const apiKey = req.header('x-api-key');
    if (!apiKey) return this.verifyToken(req);
    const keyHash = sha256(apiKey);
    return this.transactions.run({ organizationId: null, userId: null, tokenHash: keyHash }, (em) =>
      this.checkKey(em, keyHash, res, false),
    );
  }

  private async verifyToken(req: Request): Promise<Caller> {
    const token = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token)
      throw new AppException(
        'unauthenticated',
        'Send an access token (Authorization: Bearer) or an API key (X-API-Key)',
      );
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        algorithms: ['HS256'],
        // @nestjs/jwt types `secret` as string | Buffer but hands it to jsonwebtoken, which takes a KeyObject.
        secret: this.jwtKey as unknown as Buffer,
      });
      if (!claims.sub || !UUID.test(claims.sub)) throw new Error('bad subject');
      return { userId: claims.sub, email: claims.email, sessionId: claims.sid };
    } catch {
      throw new AppException('unauthenticated', 'The access token is invalid or expired');
    }
  }

  /**
   * The key row (with its user's e-mail) by hash in the current transaction, then the per-key rate
   * limit. `last_used_at` is written at most once a minute; inside a request's transaction that
   * write goes after the commit, in a transaction of its own, so no request holds the key row's
   * lock while its handler runs (every other request with the same key would queue behind it).
   */
  private async checkKey(
    em: EntityManager,
    keyHash: string,
    res: Response,
    deferTouch: boolean,
  ): Promise<Caller> {
    const [row] = await preparedQuery<KeyRow>(
      em,
      `SELECT k.id, k.organization_id, k.user_id, k.revoked_at, k.expires_at, k.last_used_at, u.email
         FROM api_keys k LEFT JOIN users u ON u.id = k.user_id
        WHERE k.key_hash = $1`,
      [keyHash],
    );
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now()))
      throw new AppException('unauthenticated', 'The API key is invalid, revoked or expired');
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      if (deferTouch) this.transactions.afterCommit(() => this.touchKey(row.id, keyHash));
      else await this.touchKey(row.id, keyHash, em);
    }

    await this.throttler.consume({ id: row.id, organizationId: row.organization_id }, res);
    return {
      userId: row.user_id,
      email: row.email,
      apiKey: { id: row.id, organizationId: row.organization_id },
    };
  }

  /** Records the key's use; concurrent requests of the same minute make it a no-op, not a queue. */
  private async touchKey(id: string, keyHash: string, em?: EntityManager): Promise<void> {
    const sql = `UPDATE api_keys SET last_used_at = now()
                  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`;
    const params = [id, LAST_USED_RESOLUTION_MS / 1000];
    if (em) await em.query(sql, params);
    else
      await this.transactions.run({ organizationId: null, userId: null, tokenHash: keyHash }, (tx) =>
        tx.query(sql, params),
      );
  }
}
