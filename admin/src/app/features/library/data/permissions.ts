import { MembershipRole } from '../../../core/api/api-types';

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

const ELEVATED: readonly string[] = ['OWNER', 'ADMIN'];

function isElevated(role: MembershipRole | null): boolean {
  return role !== null && ELEVATED.includes(role);
}

/** Whether the actor may create prompts, tags (by tagging) and collections. */
export function canCreate(actor: Actor): boolean {
  return isElevated(actor.role) || actor.role === 'EDITOR';
}

/**
 * What the console offers on one prompt, mirroring the API's permission matrix so buttons
 * the server would refuse are not shown. The server stays the authority.
 */
export function promptPermissions(actor: Actor, prompt: { authorId: string | null }): PromptPermissions {
  const elevated = isElevated(actor.role);
  const ownEditor =
    actor.role === 'EDITOR' &&
    actor.userId !== null &&
    prompt.authorId !== null &&
    prompt.authorId === actor.userId;
  const edit = elevated || ownEditor;
  return {
    edit,
    delete: edit,
    moveLabels: edit,
    moveProduction: elevated,
    comment: actor.role !== null,
    manageTestCases: edit,
  };
}

/** Whether the actor may move the given label on a prompt they may edit. */
export function canMoveLabel(permissions: PromptPermissions, label: string): boolean {
  return label === PRODUCTION_LABEL ? permissions.moveProduction : permissions.moveLabels;
}

/** Collections: EDITOR edits and deletes own only. */
export function canManageCollection(actor: Actor, collection: { createdById?: string | null }): boolean {
  if (isElevated(actor.role)) return true;
  return actor.role === 'EDITOR' && !!collection.createdById && collection.createdById === actor.userId;
}
