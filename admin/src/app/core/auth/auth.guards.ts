import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionStore } from '../session/session.store';
import { Permission } from './ability';

/** Signed-out visitors go to the sign-in page, which brings them back afterwards. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  // After a reload the access token comes back only from the cookie refresh: wait for it.
  await session.whenSettled();
  if (session.signedIn()) return true;
  return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
};

/** Pages for signed-out visitors (sign-in, sign-up) send a signed-in user on. */
export const signedOutGuard: CanActivateFn = async (route) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  // A session being resumed (cookie refresh) may turn out expired: decide once it has settled.
  await session.whenSettled();
  if (!session.signedIn()) return true;
  return router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl')));
};

/** A page for roles with the permission; others land on the home page. Use after signedInGuard. */
export function permissionGuard({ action, subject }: Permission): CanActivateFn {
  return async () => {
    const session = inject(SessionStore);
    const router = inject(Router);
    await session.whenSettled();
    return session.can(action, subject) || router.createUrlTree(['/']);
  };
}

/** Only paths inside the console, never another origin (`//evil.example`, `https://…`). */
export function safeReturnUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}
