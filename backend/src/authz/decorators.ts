import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiSecurity } from '@nestjs/swagger';
import type { AppAbility } from './ability.factory';

export const IS_PUBLIC = 'pv:public';
export const IS_TENANT = 'pv:tenant';
export const POLICIES = 'pv:policies';

export type PolicyHandler = (ability: AppAbility) => boolean;

/** No authentication (sign-up, sign-in, health, SAML endpoints). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A tenant route: authenticated, in the organization named by `X-Organization-Id` (the caller
 * must be a member, else 404), inside one tenant transaction.
 */
export const TenantScoped = () =>
  applyDecorators(
    SetMetadata(IS_TENANT, true),
    ApiBearerAuth(),
    ApiSecurity('apiKey'),
    ApiHeader({
      name: 'X-Organization-Id',
      required: true,
      description: 'The organization this request acts in (UUID).',
    }),
  );

/** Every handler must pass for the request to proceed (403 otherwise). */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(POLICIES, handlers);
