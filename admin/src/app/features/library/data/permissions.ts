import { abilityFor, AppAbility } from '../../../core/auth/ability';
import { MembershipRole } from '../../../core/api/api-types';
import { BulkAction } from './library.types';

/** The label only OWNER and ADMIN may move (permission matrix). */
export const PRODUCTION_LABEL = 'production';

export interface Actor {
  role: MembershipRole | null;
  userId: string | null;
}

export interface PromptPermissions {
  edit: boolean;
  delete: boolean;
  /** Any label other than production. */
  moveLabels: boolean;
  moveProduction: boolean;
  comment: boolean;
  manageTestCases: boolean;
}

/**
 * The API's own CASL ability (`@pv/authz` through core/auth/ability, compiled into the console),
 * so buttons follow the permission matrix from its single definition. The server stays the
 * authority; this only hides what it would refuse.
 */
function ability(actor: Actor): AppAbility {
  return abilityFor(actor.role, actor.userId);
}

/** Whether the actor may create prompts, tags (by tagging) and collections. */
export function canCreate(actor: Actor): boolean {
  return ability(actor).can('create', 'Prompt');
}

/** What the console offers on one prompt. */
export function promptPermissions(actor: Actor, prompt: { authorId: string | null }): PromptPermissions {
  const can = ability(actor);
  const record = { __type: 'Prompt' as const, authorId: prompt.authorId };
  const edit = can.can('update', record);
  return {
    edit,
    delete: can.can('delete', record),
    // Moving labels and managing test cases change the prompt, so they follow its update right.
    moveLabels: edit,
    moveProduction: edit && can.can('move_production_label', 'Prompt'),
    comment: can.can('comment', 'Prompt'),
    manageTestCases: edit,
  };
}

/** Whether the actor may move the given label on a prompt. */
export function canMoveLabel(permissions: PromptPermissions, label: string): boolean {
  return label === PRODUCTION_LABEL ? permissions.moveProduction : permissions.moveLabels;
}

/** Collections: EDITOR edits and deletes the ones they created. */
export function canManageCollection(actor: Actor, collection: { createdById?: string | null }): boolean {
  const record = { __type: 'Collection' as const, createdById: collection.createdById ?? null };
  return ability(actor).can('update', record);
}

/** Comments: the author deletes their own; OWNER and ADMIN moderate any. */
export function canDeleteComment(actor: Actor, comment: { authorId: string | null }): boolean {
  return ability(actor).can('delete', { __type: 'Comment' as const, authorId: comment.authorId });
}

/**
 * The bulk actions the console offers: each one is applied per prompt by the API with that
 * prompt's own rule (tag, move, publish and archive update it; delete deletes it), so an action is
 * offered when the role may do it to at least some prompts (an EDITOR to their own).
 */
export function bulkActions(actor: Actor): ReadonlySet<BulkAction> {
  const can = ability(actor);
  const actions = new Set<BulkAction>();
  if (can.can('update', 'Prompt')) for (const action of UPDATE_ACTIONS) actions.add(action);
  if (can.can('delete', 'Prompt')) actions.add('delete');
  return actions;
}

const UPDATE_ACTIONS: readonly BulkAction[] = ['tag', 'untag', 'move', 'publish', 'archive'];
