import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiSecurity } from '@nestjs/swagger';
import type { AppAbility } from './ability.factory';

export const IS_PUBLIC = 'pv:public';
export const IS_TENANT = 'pv:tenant';
export const POLICIES = 'pv:policies';

export type PolicyHandler = (ability: AppAbility) => boolean;

/** No authentication (sign-up, sign-in, health, SAML endpoints). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

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

/** Every handler must pass for the request to proceed (403 otherwise). */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(POLICIES, handlers);
