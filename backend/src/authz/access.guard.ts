import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { DomainException } from '../common/errors/domain.exception';
import type { AppClsStore } from '../common/request-context';
import { TenantTransactions } from '../database/tenancy/tenant-transactions';
import { Membership } from '../modules/organizations/entities/membership.entity';
import { defineAbilityFor } from './ability.factory';
import { IS_PUBLIC, IS_TENANT, POLICIES, PolicyHandler } from './decorators';

export interface AccessTokenClaims {
  sub: string;
  email: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Authentication, tenant resolution and policies in one ordered step: who is calling (JWT), in
 * which organization and role (membership, read under RLS), and whether the route's policies
 * allow it. The result goes to CLS; the tenant interceptor then opens the transaction.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly cls: ClsService<AppClsStore>,
    private readonly transactions: TenantTransactions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<Request>();
    const claims = await this.authenticate(req);
    this.cls.set('actor', { type: 'user', id: claims.sub, email: claims.email });

    const policies = this.reflector.getAllAndOverride<PolicyHandler[]>(POLICIES, targets) ?? [];
    if (!this.reflector.getAllAndOverride<boolean>(IS_TENANT, targets)) {
      if (policies.length) throw new Error('Policies need a tenant route: add @TenantScoped()');
      return true;
    }

    const header = req.header('x-organization-id');
    if (!header) {
      throw new DomainException('validation_failed', 'This route needs the X-Organization-Id header', [
        { field: 'X-Organization-Id', message: 'X-Organization-Id header is required' },
      ]);
    }
    if (!UUID.test(header)) {
      throw new DomainException('validation_failed', 'X-Organization-Id must be a UUID', [
        { field: 'X-Organization-Id', message: 'X-Organization-Id must be a UUID' },
      ]);
    }
    const membership = await this.transactions.run({ organizationId: header, userId: claims.sub }, (em) =>
      em.findOne(Membership, { where: { organizationId: header, userId: claims.sub } }),
    );
    // Not a member and no such organization look the same: ids of other tenants do not leak.
    if (!membership) throw new DomainException('not_found', 'Organization was not found');

    this.cls.set('tenant', { organizationId: header, userId: claims.sub, role: membership.role });
    const ability = defineAbilityFor(membership.role, claims.sub);
    if (!policies.every((allows) => allows(ability))) {
      throw new DomainException('forbidden', 'Your role in this organization does not allow this action');
    }
    return true;
  }

  private async authenticate(req: Request): Promise<AccessTokenClaims> {
    const header = req.header('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token)
      throw new DomainException('unauthenticated', 'Send an access token as Authorization: Bearer <token>');
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      if (!claims.sub || !UUID.test(claims.sub)) throw new Error('bad subject');
      return claims;
    } catch {
      throw new DomainException('unauthenticated', 'The access token is invalid or expired');
    }
  }
}
