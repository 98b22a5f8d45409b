import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { readCaller } from '../common/context/request-context';
import { TenantTransactions } from '../database/tenancy/tenant-transactions';
import { AdmissionService } from './admission.service';

/**
 * Opens the tenant transaction for a request after authentication resolved its tenant (guards
 * run before interceptors) and commits only if the handler succeeds: a handler that throws leaves
 * nothing behind.
 *
 * When the access guard left a pending admission (API key, membership, policies), it runs first
 * inside this same transaction, so refusing the caller rolls back before the handler (and its
 * pipes) ever ran. Without an admission or a tenant there is no transaction, so tenant code
 * cannot reach the database: a route that skipped the guard fails closed.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly admission: AdmissionService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const pending =
      context.getType() === 'http'
        ? this.admission.take(context.switchToHttp().getRequest<Request>())
        : undefined;
    if (pending) {
      return from(
        this.transactions.run(
          pending.scope,
          async (em, opened) => {
            await this.admission.admit(em, pending, opened);
            return lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined });
          },
          this.admission.openingRead(pending),
        ),
      );
    }
    const tenant = readCaller();
    if (!tenant) return next.handle();
    return from(
      this.transactions.run({ organizationId: tenant.organizationId, userId: tenant.userId }, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
