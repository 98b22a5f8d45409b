import { Global, Module } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { RequestContext } from './request-context';

/**
 * Request context is cross-cutting like logging: one global accessor (`RequestContext`) and the
 * CLS store behind it. `ClsService` is nestjs-cls's AsyncLocalStorage wrapper, provided here
 * without `ClsModule.forRoot`: that module also registers a global guard and a global interceptor
 * (no-ops unless mounted, but each is one more layer of Nest's per-request enhancer chain) and its
 * middleware runs plugin and proxy-provider hooks this API does not use. The context is opened per
 * request by `RequestContextMiddleware`.
 */
@Global()
@Module({
  providers: [RequestContext, { provide: ClsService, useValue: ClsServiceManager.getClsService() }],
  exports: [RequestContext, ClsService],
})
export class ContextModule {}
