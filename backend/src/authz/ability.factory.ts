import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import type { OrganizationPolicies, Role } from '../common/context/request-context';

/**
 * The one permission vocabulary, shared by guards, services and (through /me) the console. It
 * encodes the permission matrix of API-CONTRACT.md; ability.factory.spec.ts walks every cell.
 */
export type Action =
  | 'manage'
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'comment'
  | 'favorite'
  | 'move_production_label'
  | 'export'
  | 'use_api';

export type SubjectName =
  | 'Prompt'
  | 'Collection'
  | 'Tag'
  | 'Category'
  | 'Comment'
  | 'Member'
  | 'Invite'
  | 'SsoSettings'
  | 'Billing'
  | 'ProviderKey'
  | 'Webhook'
  | 'Analytics'
  | 'Budget'
  | 'Run'
  | 'Evaluation'
  | 'AuditEvent'
  | 'Organization'
  | 'ApiKey'
  | 'SavedSearch'
  | 'Data'
  | 'all';

/**
 * Records that conditions look at: prompts and collections are owned by their author/creator; a
 * membership or invitation carries the role it gives (only an OWNER grants or takes OWNER).
 */
export interface OwnedRecord {
  __type: SubjectName;
  authorId?: string | null;
  createdById?: string | null;
  role?: Role;
}

export type AppAbility = MongoAbility<[Action, SubjectName | OwnedRecord]>;

/** The organization settings in force when none were read (migration 1764000000000's defaults). */
export const DEFAULT_POLICIES: OrganizationPolicies = { viewersMayRun: false, membersMayExport: true };

export function defineAbilityFor(
  role: Role | null,
  userId: string | null,
  policies: OrganizationPolicies = DEFAULT_POLICIES,
): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  if (!role) return build();

  // Everyone in the organization.
  can('read', ['Prompt', 'Collection', 'Tag', 'Category', 'Comment', 'Organization', 'Member', 'Billing']);
  can(['comment', 'favorite'], 'Prompt');
  can('create', 'Comment');
  // A comment is edited by its author only; its author or OWNER/ADMIN (below) may delete it.
  can(['update', 'delete'], 'Comment', { authorId: userId } as never);
  can('use_api', 'ApiKey');
  can(['create', 'read', 'delete'], 'ApiKey', { createdById: userId } as never);
  can('delete', 'SavedSearch', { createdById: userId } as never);
  // Runs are listed by everyone (row-level security shows those of prompts the member can see).
  can('read', 'Run');
  // Evaluations are listed by everyone who can see their prompt.
  can('read', 'Evaluation');

  if (role === 'EDITOR' || role === 'ADMIN' || role === 'OWNER') {
    can('create', ['Prompt', 'Tag', 'Collection']);
    can('update', 'Prompt', { authorId: userId } as never);
    can('delete', 'Prompt', { authorId: userId } as never);
    can(['update', 'delete'], 'Collection', { createdById: userId } as never);
    // Provider keys are listed (to choose one for a run) but only OWNER/ADMIN add, test or delete them.
    can('read', 'ProviderKey');
    // Run prompts on models (playground, API); VIEWER only once an organization setting allows it.
    can('create', 'Run');
    // Have the AI evaluator judge a prompt (it calls a model with the organization's key).
    can('create', 'Evaluation');
  }
  // The "if allowed" cells: organization settings (GET|PATCH /organizations/:id/settings).
  if (role === 'VIEWER' && policies.viewersMayRun) {
    can('read', 'ProviderKey');
    can('create', ['Run', 'Evaluation']);
  }
  if (policies.membersMayExport) can('export', 'Data');

  if (role === 'ADMIN' || role === 'OWNER') {
    can(['update', 'delete'], ['Prompt', 'Collection']);
    can('move_production_label', 'Prompt');
    can(['update', 'delete'], 'Tag');
    can('delete', 'Comment');
    can(['create', 'update', 'delete'], 'Category');
    can(['create', 'update', 'delete'], ['Member', 'Invite']);
    // Granting, changing or taking OWNER is the OWNER's alone (re-allowed below).
    cannot(['create', 'update', 'delete'], ['Member', 'Invite'], { role: 'OWNER' } as never);
    can('read', 'Invite');
    can('manage', 'SsoSettings');
    can('read', 'AuditEvent');
    can('export', ['Data', 'AuditEvent']);
    can('update', 'Organization');
    can(['read', 'delete'], 'ApiKey');
    can('delete', 'SavedSearch');
    can('manage', 'ProviderKey');
    can('manage', 'Webhook');
    can('read', 'Analytics');
    can('manage', 'Budget');
  }

  if (role === 'OWNER') {
    can('manage', 'Billing');
    can('delete', 'Organization');
    can(['create', 'update', 'delete'], ['Member', 'Invite']);
  }

  return build({ detectSubjectType: (subject) => (typeof subject === 'string' ? subject : subject.__type) });
}
