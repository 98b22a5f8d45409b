import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A release label (`production`, `staging`, …) pointing at one version of a prompt. */
@Entity({ name: 'prompt_labels' })
export class PromptLabel {
  @PrimaryColumn('uuid', { name: 'prompt_id' })
  promptId: string;

  @PrimaryColumn('text')
  label: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('int')
  version: number;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
