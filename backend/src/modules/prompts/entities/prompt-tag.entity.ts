import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A prompt carries a tag (tags themselves belong to the taxonomy module). */
@Entity({ name: 'prompt_tags' })
export class PromptTag {
  @PrimaryColumn('uuid', { name: 'prompt_id' })
  promptId: string;

  @PrimaryColumn('uuid', { name: 'tag_id' })
  tagId: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;
}
