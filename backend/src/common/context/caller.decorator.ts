import { createParamDecorator } from '@nestjs/common';
import { readCaller, readPrincipal } from './request-context';

/**
 * The caller of a `@TenantScoped` route: organization, user, role, API key. Controllers pass it
 * on to services as an argument.
 */
export const CurrentCaller = createParamDecorator(() => {
  const caller = readCaller();
  if (!caller) throw new Error('@CurrentCaller() needs a @TenantScoped route');
  return caller;
});

/** The authenticated principal of a route outside any organization (e.g. `/auth/me`). */
export const CurrentPrincipal = createParamDecorator(() => {
  const principal = readPrincipal();
  if (!principal) throw new Error('@CurrentPrincipal() needs an authenticated route');
  return principal;
});
