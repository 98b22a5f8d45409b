/**
 * The roles and the rank rules that code outside `authz/` needs. Everything that depends on a
 * role is either an ability check (`can`/`requireAccess`) or one of these, so the permission
 * model can change in one place. No imports: the console compiles this file too (`@pv/roles`).
 */

/** A member's role in an organization. */
export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';

/** Every role, strongest first. */
export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'];

/** Owns the organization: billing, deletion, and granting or taking ownership. */
export const OWNER_ROLE: Role = 'OWNER';

/** What the creator of an organization (by sign-up or explicitly) becomes in it. */
export const CREATOR_ROLE: Role = OWNER_ROLE;

/** Roles that may be given without being an owner (e.g. SSO's default role). */
export type NonOwnerRole = Exclude<Role, 'OWNER'>;

/** The role SSO gives a new member when none of the IdP's values maps to one. */
export const DEFAULT_SSO_ROLE: NonOwnerRole = 'VIEWER';

export const isOwnerRole = (role: Role): boolean => role === OWNER_ROLE;

/** Every role but OWNER, strongest first: the roles a setting may give by default. */
export const NON_OWNER_ROLES: readonly NonOwnerRole[] = ROLES.filter(
  (r): r is NonOwnerRole => !isOwnerRole(r),
);

/** The roles a member of `role` may give or take away: only an OWNER grants (or revokes) OWNER. */
export const rolesGrantableBy = (role: Role | null | undefined): readonly Role[] =>
  role && isOwnerRole(role) ? ROLES : NON_OWNER_ROLES;

/** The role an invitation gives when it names none, until the organization's settings pick another. */
export const DEFAULT_INVITE_ROLE: NonOwnerRole = 'EDITOR';

/** `ROLES` lists the strongest first; a lower index outranks. */
export const outranks = (a: Role, b: Role): boolean => ROLES.indexOf(a) < ROLES.indexOf(b);

/** The strongest of the roles, or `fallback` when there is none. */
export function strongestRole(roles: readonly Role[], fallback: Role): Role {
  return roles.reduce<Role>((best, r) => (outranks(r, best) ? r : best), roles[0] ?? fallback);
}
