import { Global, Module } from '@nestjs/common';
import { RequestContext } from './request-context';

/** Request context is cross-cutting like logging: one global accessor. */
@Global()
@Module({ providers: [RequestContext], exports: [RequestContext] })
export class ContextModule {}
