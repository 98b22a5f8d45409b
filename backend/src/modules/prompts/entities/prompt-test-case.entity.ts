import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A saved set of variable values to render a prompt with, and what the result must contain. */
@Entity({ name: 'prompt_test_cases' })
export class PromptTestCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'prompt_id' })
  promptId: string;

  @Column('text')
  name: string;

  @Column('jsonb', { default: {} })
  variables: Record<string, unknown>;

  @Column('text', { name: 'expected_contains', nullable: true })
  expectedContains: string | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
