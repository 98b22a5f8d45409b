import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiHeader, ApiSecurity, DECORATORS } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config';
import type { AppAbility } from './ability.factory';

export const IS_PUBLIC = 'pv:public';
export const IS_TENANT = 'pv:tenant';
export const POLICIES = 'pv:policies';
export const PUBLIC_WHEN = 'pv:public-when';

export type PolicyHandler = (ability: AppAbility) => boolean;

/**
 * Declares `security: []` on the operation: OpenAPI's way to say "no authentication", which
 * `@ApiSecurity` cannot express (the explorer drops an empty list). On a class, every handler.
 */
const NoSecurityRequirement = (): ClassDecorator & MethodDecorator =>
  ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const handlers = descriptor
      ? [descriptor.value as object]
      : Object.getOwnPropertyNames((target as { prototype: object }).prototype)
          .filter((name) => name !== 'constructor')
          .map((name) => (target as { prototype: Record<string, unknown> }).prototype[name])
          .filter((value): value is object => typeof value === 'function');
    for (const handler of handlers) {
      const operation = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) ?? {}) as Record<
        string,
        unknown
      >;
      Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, security: [] }, handler);
    }
    return descriptor;
  }) as ClassDecorator & MethodDecorator;

/** No authentication (sign-up, sign-in, health, SAML endpoints); Swagger says so with `security: []`. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), NoSecurityRequirement());

/**
 * Public when the operator's configuration says so (e.g. `STATUS_PAGE_PUBLIC`), signed-in callers
 * only otherwise (a bearer token or an API key, outside any organization). Swagger lists the
 * authenticated form: the default.
 */
export const PublicWhen = (allowed: (config: AppConfig) => boolean) =>
  applyDecorators(SetMetadata(PUBLIC_WHEN, allowed), ApiBearerAuth(), ApiSecurity('apiKey'));

/** The configuration test of a `@PublicWhen` route, if it is one. */
export function publicWhenOf(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
): ((config: AppConfig) => boolean) | undefined {
  return reflector.getAllAndOverride<((config: AppConfig) => boolean) | undefined>(PUBLIC_WHEN, targets);
}

export interface TenantOptions {
  /** Take the organization from this route parameter (e.g. `/organizations/:id`) instead of the header. */
  param?: string;
}

/**
 * A tenant route: authenticated, in the organization named by `X-Organization-Id` (or by a route
 * parameter; the caller must be a member, else 404), inside one tenant transaction.
 */
export const TenantScoped = (options: TenantOptions = {}) =>
  applyDecorators(
    SetMetadata(IS_TENANT, options),
    ApiBearerAuth(),
    ApiSecurity('apiKey'),
    ...(options.param
      ? []
      : [
          ApiHeader({
            name: 'X-Organization-Id',
            required: false,
            description:
              'The organization this request acts in (UUID). Required with a bearer token; optional with an API key (must match).',
          }),
        ]),
  );

/**
 * Every handler must pass for the request to proceed (403 otherwise). On a controller and on one
 * of its methods, both apply: the class's set the floor for every route, a method adds to it.
 */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(POLICIES, handlers);

/** The policies of a route: its class's and its method's, together. */
export function policiesOf(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndMerge']>[1],
): PolicyHandler[] {
  return reflector.getAllAndMerge<PolicyHandler[]>(POLICIES, targets);
}
