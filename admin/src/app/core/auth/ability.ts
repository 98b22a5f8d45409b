import { defineAbilityFor, type Action, type AppAbility, type SubjectName } from '@pv/authz';
import type { MembershipRole } from '../api/api-types';

/**
 * The console decides what to show with the very rules the API enforces: the backend's CASL
 * ability factory (`@pv/authz`, a path alias in admin/tsconfig.json) is compiled into the console
 * (it depends only on @casl/ability), so the permission matrix has one definition. The server
 * still decides; this only hides what would fail.
 */
export type { Action, AppAbility, SubjectName };

/** `policies`: the organization's settings that widen a role's rights (from `/me`); absent = the defaults. */
export function abilityFor(
  role: MembershipRole | null,
  userId: string | null,
  policies?: { viewersMayRun: boolean; membersMayExport: boolean },
): AppAbility {
  return defineAbilityFor(role, userId, policies);
}

/** A permission a route or navigation item needs, e.g. `{ action: 'manage', subject: 'SsoSettings' }`. */
export interface Permission {
  action: Action;
  subject: SubjectName;
}
