import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request, Response } from 'express';
import { ClsService } from 'nestjs-cls';
import { DomainException } from '../common/errors/domain.exception';
import type { AppClsStore } from '../common/request-context';
import { RateLimiter } from '../common/security/rate-limiter';
import { sha256 } from '../common/security/tokens';
import { AppConfig } from '../config/app-config';
import { TenantTransactions } from '../database/tenancy/tenant-transactions';
import { ApiKey } from '../modules/api-keys/entities/api-key.entity';
import type { AccessTokenClaims } from '../modules/auth/auth.service';
import { Membership } from '../modules/organizations/entities/membership.entity';
import { defineAbilityFor } from './ability.factory';
import { IS_PUBLIC, IS_TENANT, POLICIES, PolicyHandler, TenantOptions } from './decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

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
 * policies allow it. The result goes to CLS; the tenant interceptor then opens the transaction.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly cls: ClsService<AppClsStore>,
    private readonly transactions: TenantTransactions,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const caller = await this.authenticate(req, http.getResponse<Response>());
    this.cls.set('userId', caller.userId);
    this.cls.set('sessionId', caller.sessionId);
    this.cls.set(
      'actor',
      caller.apiKey
        ? { type: 'api_key', id: caller.apiKey.id, email: caller.email }
        : { type: 'user', id: caller.userId, email: caller.email },
    );

    const policies = this.reflector.getAllAndOverride<PolicyHandler[]>(POLICIES, targets) ?? [];
    const tenant = this.reflector.getAllAndOverride<TenantOptions | undefined>(IS_TENANT, targets);
    if (!tenant) {
      if (policies.length) throw new Error('Policies need a tenant route: add @TenantScoped()');
      return true;
    }

    const organizationId = this.organizationOf(req, tenant, caller);
    const membership = await this.transactions.run({ organizationId, userId: caller.userId }, (em) =>
      em.findOne(Membership, { where: { organizationId, userId: caller.userId } }),
    );
    // Not a member and no such organization look the same: ids of other tenants do not leak.
    if (!membership) throw new DomainException('not_found', 'Organization was not found');

    this.cls.set('tenant', { organizationId, userId: caller.userId, role: membership.role });
    const ability = defineAbilityFor(membership.role, caller.userId);
    if (!policies.every((allows) => allows(ability))) {
      throw new DomainException('forbidden', 'Your role in this organization does not allow this action');
    }
    return true;
  }

  private organizationOf(req: Request, tenant: TenantOptions, caller: Caller): string {
    const fromParam = tenant.param ? (req.params as Record<string, string>)[tenant.param] : undefined;
    const header = req.header('x-organization-id');
    const value = fromParam ?? header ?? caller.apiKey?.organizationId;
    if (!value) {
      throw new DomainException('validation_failed', 'This route needs the X-Organization-Id header', [
        { field: 'X-Organization-Id', message: 'X-Organization-Id header is required' },
      ]);
    }
    if (!UUID.test(value)) {
      const field = fromParam ? tenant.param! : 'X-Organization-Id';
      throw new DomainException('validation_failed', `${field} must be a UUID`, [
        { field, message: `${field} must be a UUID` },
      ]);
    }
    if (caller.apiKey && value.toLowerCase() !== caller.apiKey.organizationId) {
      // A key acts only in its own organization; another one is as unknown to it as to outsiders.
      throw new DomainException('not_found', 'Organization was not found');
    }
    return value.toLowerCase();
  }

  private async authenticate(req: Request, res: Response): Promise<Caller> {
    const apiKey = req.header('x-api-key');
    if (apiKey) return this.authenticateKey(apiKey, res);
    const token = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token)
      throw new DomainException(
        'unauthenticated',
        'Send an access token (Authorization: Bearer) or an API key (X-API-Key)',
      );
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      if (!claims.sub || !UUID.test(claims.sub)) throw new Error('bad subject');
      return { userId: claims.sub, email: claims.email, sessionId: claims.sid };
    } catch {
      throw new DomainException('unauthenticated', 'The access token is invalid or expired');
    }
  }

  private async authenticateKey(key: string, res: Response): Promise<Caller> {
    const keyHash = sha256(key);
    const found = await this.transactions.run(
      { organizationId: null, userId: null, tokenHash: keyHash },
      async (em) => {
        const row = await em.findOne(ApiKey, { where: { keyHash } });
        if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
        const [user]: Array<{ email: string }> = await em.query(`SELECT email FROM users WHERE id = $1`, [
          row.userId,
        ]);
        if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
          await em.update(ApiKey, { id: row.id }, { lastUsedAt: new Date() });
        }
        return { row, email: user?.email ?? null };
      },
    );
    if (!found) throw new DomainException('unauthenticated', 'The API key is invalid, revoked or expired');

    const limit = this.config.apiKeyRateLimit;
    const { count, resetInSeconds } = await this.limiter.hit(
      `apikey:${found.row.id}`,
      this.config.apiKeyRateWindowSeconds,
    );
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(limit - count, 0)));
    res.setHeader('X-RateLimit-Reset', String(resetInSeconds));
    if (count > limit) {
      throw new DomainException(
        'rate_limited',
        `This API key may make ${limit} requests per ${this.config.apiKeyRateWindowSeconds} s`,
        undefined,
        {
          'Retry-After': String(Math.max(resetInSeconds, 1)),
        },
      );
    }
    return {
      userId: found.row.userId,
      email: found.email,
      apiKey: { id: found.row.id, organizationId: found.row.organizationId },
    };
  }
}
