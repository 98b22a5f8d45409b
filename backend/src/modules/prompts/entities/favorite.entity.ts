import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A member's favorite prompt; `prompts.favorites` counts these rows. */
@Entity({ name: 'favorites' })
export class Favorite {
  @PrimaryColumn('uuid', { name: 'prompt_id' })
  promptId: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
