import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { SecurityModule } from '../common/security/security.module';
import { SessionRevocationsModule } from '../modules/auth/session-revocations.module';
import { AccessGuard } from './access.guard';
import { AdmissionService } from './admission.service';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';
import { TenantTransactionInterceptor } from './tenant-transaction.interceptor';

/**
 * Authentication and admission for every route: passport's JWT and API-key strategies, the one
 * global guard, and the interceptor that runs the admission inside the request's tenant
 * transaction. Nothing to import from it: routes declare `@Public`, `@TenantScoped` and
 * `@CheckPolicies`; services check instances with `requireAccess`.
 */
@Module({
  imports: [SecurityModule, SessionRevocationsModule],
  providers: [
    JwtStrategy,
    ApiKeyStrategy,
    AdmissionService,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
  ],
})
export class AuthzModule {}
