import { readCaller } from '../../common/context/request-context';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { TenantTransactions } from './tenant-transactions';

/**
 * Opens the tenant transaction for a request after authentication resolved its tenant (guards
 * run before interceptors) and commits only if the handler succeeds: a handler that throws leaves
 * nothing behind.
 *
 * When the access guard deferred the request's admission (membership, API key, policies), that
 * runs first inside this same transaction, so refusing the caller rolls back before the handler
 * (and its pipes) ever ran. Without an admission or a tenant there is no transaction, so tenant
 * code cannot reach the database: a route that skipped the guard fails closed.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly transactions: TenantTransactions) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const admission = this.transactions.takeAdmission();
    if (admission) {
      return from(
        this.transactions.run(admission.scope, async (em) => {
          await admission.admit(em);
          return lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined });
        }),
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
