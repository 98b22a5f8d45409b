import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PromptMetadata, VariableDefinition } from '../../prompts/variables';

/** An immutable snapshot of a prompt's content fields (the runtime role may not UPDATE it). */
@Entity({ name: 'prompt_versions' })
export class PromptVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'prompt_id' })
  promptId: string;

  @Column('int')
  version: number;

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

  @Column('text', { name: 'change_note', nullable: true })
  changeNote: string | null;

  @Column('uuid', { name: 'changed_by', nullable: true })
  changedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
