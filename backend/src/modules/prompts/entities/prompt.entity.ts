import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PromptMetadata, VariableDefinition } from '../variables';

export type PromptStatus = 'draft' | 'published' | 'archived';
export type PromptVisibility = 'private' | 'organization';
export const PROMPT_STATUSES: readonly PromptStatus[] = ['draft', 'published', 'archived'];
export const PROMPT_VISIBILITIES: readonly PromptVisibility[] = ['private', 'organization'];

/**
 * A prompt's current state. `version` names the newest row of prompt_versions; the content fields
 * here always equal that version's snapshot. Private prompts are visible to their author only
 * (a restrictive RLS policy, and the service's own filter).
 */
@Entity({ name: 'prompts' })
export class Prompt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text')
  slug: string;

  @Column('text')
  title: string;

  @Column('text', { default: '' })
  description: string;

  @Column('text')
  content: string;

  @Column('jsonb', { default: [] })
  variables: VariableDefinition[];

  @Column('jsonb', { default: {} })
  metadata: PromptMetadata;

  @Column('uuid', { name: 'category_id', nullable: true })
  categoryId: string | null;

  @Column('uuid', { name: 'collection_id', nullable: true })
  collectionId: string | null;

  @Column('uuid', { name: 'author_id', nullable: true })
  authorId: string | null;

  @Column('text', { default: 'draft' })
  status: PromptStatus;

  @Column('text', { default: 'organization' })
  visibility: PromptVisibility;

  @Column('int', { default: 1 })
  version: number;

  /** bigint in the database; pg hands it over as a string. */
  @Column('bigint', { default: 0 })
  views: string;

  @Column('bigint', { default: 0 })
  uses: string;

  @Column('int', { default: 0 })
  favorites: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;
}
