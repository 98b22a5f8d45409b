import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { RequestContext } from '../common/context/request-context';
import { AppConfig } from '../config/app-config';
import { AppException } from '../common/errors/domain.exception';
import { AuthException } from '../modules/auth/auth.errors';
import { SessionRevocations } from '../modules/auth/session-revocations';
import { AdmissionService, organizationOf } from './admission.service';
import type { Credentials, RequestedOrganization } from './credentials';
import { IS_PUBLIC, IS_TENANT, policiesOf, publicWhenOf, TenantOptions } from './decorators';
import { bearerToken } from './strategies/jwt.strategy';

/**
 * The one global guard. Passport's strategies say who is calling (an API key first, else a bearer
 * token: `ApiKeyStrategy`, `JwtStrategy`); the guard then decides what is left to check.
 *
 * On tenant routes the checks that need the database (the key's row, the membership, the policies)
 * are not run here but described as a `PendingAdmission` that the tenant interceptor has
 * `AdmissionService` carry out first in the request's one transaction. What needs no database (a
 * token's organization id) is answered here already, so the order of the answers stays 401, 429,
 * 400, 404, 403.
 */
@Injectable()
export class AccessGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly admission: AdmissionService,
    private readonly context: RequestContext,
    private readonly revocations: SessionRevocations,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets: Parameters<typeof policiesOf>[1] = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (publicWhenOf(this.reflector, targets)?.(this.config)) return true;

    await super.canActivate(context);
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user: Credentials }>();
    const res = http.getResponse<Response>();
    const credentials = req.user;
    // A lookup in memory: the session of a valid token may have ended since it was issued.
    const session = credentials.kind === 'token' ? credentials.principal.sessionId : null;
    if (session && this.revocations.isRevoked(session))
      throw new AuthException('session_revoked', 'This session has ended: sign in again');
    const policies = policiesOf(this.reflector, targets);
    const tenant = this.reflector.getAllAndOverride<TenantOptions | undefined>(IS_TENANT, targets);

    if (!tenant) {
      if (policies.length) throw new Error('Policies need a tenant route: add @TenantScoped()');
      this.context.setPrincipal(
        credentials.kind === 'token'
          ? credentials.principal
          : await this.admission.authenticateKey(credentials.keyHash, res),
      );
      return true;
    }

    const organization: RequestedOrganization = {
      param: tenant.param,
      paramValue: tenant.param ? (req.params as Record<string, string>)[tenant.param] : undefined,
      header: req.header('x-organization-id'),
    };
    if (credentials.kind === 'api_key') {
      this.admission.defer(req, {
        scope: { organizationId: null, userId: null, tokenHash: credentials.keyHash },
        credentials,
        organization,
        policies,
        response: res,
      });
      return true;
    }
    const { principal } = credentials;
    this.context.setPrincipal(principal);
    const organizationId = organizationOf(organization, principal);
    this.admission.defer(req, {
      scope: { organizationId, userId: principal.userId },
      credentials,
      organization,
      policies,
      response: res,
    });
    return true;
  }

  /** Neither strategy accepted the request: no credentials, or a token that does not verify. */
  override handleRequest<T = Credentials>(
    err: unknown,
    credentials: T | false,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    // A strategy that errs (rather than refusing) hands its error on unchanged: a 500, not a 401.
    if (err) throw err as Error;
    if (credentials) return credentials;
    if (!bearerToken(context.switchToHttp().getRequest<Request>()))
      throw new AppException(
        'unauthenticated',
        'Send an access token (Authorization: Bearer) or an API key (X-API-Key)',
      );
    throw new AppException('unauthenticated', 'The access token is invalid or expired');
  }
}
