import type { Role } from '../../../core/api/api-types';

/** What each role may do, in the words of the permission matrix (API-CONTRACT.md). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  OWNER: 'Everything, including billing and deleting the organization.',
  ADMIN: 'Manages members, SSO, settings, tags and categories; edits every prompt; reads the audit log.',
  EDITOR: 'Creates prompts and edits or deletes their own; tags, collections, imports.',
  VIEWER: 'Uses published prompts: reads, renders, copies, comments and favorites.',
};
