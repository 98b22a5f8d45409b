import type { PromptMetadata, VariableDefinition } from './variables';

export type PromptStatus = 'draft' | 'published' | 'archived';
export type PromptVisibility = 'private' | 'organization';
export const PROMPT_STATUSES: readonly PromptStatus[] = ['draft', 'published', 'archived'];
export const PROMPT_VISIBILITIES: readonly PromptVisibility[] = ['private', 'organization'];

/** The fields whose change makes a new version. */
export const VERSIONED_FIELDS = ['title', 'description', 'content', 'variables', 'metadata'] as const;
export type VersionedField = (typeof VERSIONED_FIELDS)[number];

/** What a version holds (and what a prompt's current state equals). */
export interface PromptSnapshot {
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
}

/** One version of a prompt, as versions, rendering and test runs read it. */
export interface ResolvedVersion extends PromptSnapshot {
  version: number;
  changeNote: string | null;
  changedBy: string | null;
  createdAt: Date;
}

/** Who a tenant statement runs for: row visibility depends on both (private prompts). */
export interface TenantUser {
  organizationId: string;
  userId: string;
}
