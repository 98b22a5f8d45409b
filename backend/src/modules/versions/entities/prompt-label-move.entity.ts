import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One move of a release label (append-only history: who, when, from which version to which). */
@Entity({ name: 'prompt_label_moves' })
export class PromptLabelMove {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'prompt_id' })
  promptId: string;

  @Column('text')
  label: string;

  @Column('int', { name: 'from_version', nullable: true })
  fromVersion: number | null;

  @Column('int', { name: 'to_version' })
  toVersion: number;

  @Column('uuid', { name: 'moved_by', nullable: true })
  movedBy: string | null;

  @Column('timestamptz', { name: 'moved_at' })
  movedAt: Date;
}
