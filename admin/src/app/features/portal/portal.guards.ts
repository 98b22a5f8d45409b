import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionStore } from '../../core/session/session.store';

/**
 * The role-based home: people who only use prompts (VIEWERs: no right to create one) land on the
 * portal instead of the library. Use after signedInGuard on the home route.
 */
export const portalHomeGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  await session.whenSettled();
  const mayCreate = session.ability().can('create', 'Prompt');
  return session.currentOrganization() && !mayCreate ? router.createUrlTree(['/portal']) : true;
};
