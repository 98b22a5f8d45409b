import type { Caller } from '../common/context/request-context';
import { AppException } from '../common/errors/domain.exception';
import { Action, AppAbility, defineAbilityFor, OwnedRecord, SubjectName } from './ability.factory';

/** One ability per caller object (a request's caller is built once by authentication). */
const abilities = new WeakMap<Caller, AppAbility>();

/** The CASL ability of a caller: the permission matrix applied to its role and its organization's policies. */
export function abilityOf(caller: Caller): AppAbility {
  let ability = abilities.get(caller);
  if (!ability) {
    ability = defineAbilityFor(caller.role, caller.userId, caller.policies);
    abilities.set(caller, ability);
  }
  return ability;
}

/** Whether the caller may do `action` on `subject` (a subject name or a record with its owner). */
export function can(caller: Caller, action: Action, subject: SubjectName | OwnedRecord): boolean {
  return abilityOf(caller).can(action, subject);
}

/**
 * The one instance check: throws 403 `forbidden` unless the caller may do `action` on
 * `subject`. Route-level checks are `@CheckPolicies`; checks that need the record (its author,
 * its creator) come here once the record was read.
 */
export function requireAccess(
  caller: Caller,
  action: Action,
  subject: SubjectName | OwnedRecord,
  detail = 'Your role in this organization does not allow this action',
): void {
  if (!can(caller, action, subject)) throw new AppException('forbidden', detail);
}
