import { IsIn, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { Optional } from '../../../common/validation/optional';
import { ACTIVITY_FAMILIES, type ActivityFamily } from '../activity.repository';

export class ActivityQueryDto extends PageQueryDto {
  /** Only the activity of this prompt (its changes, labels, test cases and comments). */
  @Optional()
  @IsUUID()
  promptId?: string;

  /** Only what this member did (a user id; work through their API keys counts as theirs). */
  @Optional()
  @IsUUID()
  actorId?: string;

  /** Only one kind of activity: `prompt`, `comment`, `collection`, `tag` or `category` changes. */
  @Optional()
  @IsIn(ACTIVITY_FAMILIES, { message: `type must be one of ${ACTIVITY_FAMILIES.join(', ')}` })
  type?: ActivityFamily;
}

export class ActivityActorDto {
  /** The user who acted (for an API key: the key's user). */
  id: string;
  name: string;
  email: string;
}

export class ActivityTargetDto {
  /** `prompt`, `comment`, `collection`, `tag` or `category`. */
  type: string;
  id: string;
  /** Prompt title or collection/tag/category name, when known. */
  title?: string;
  /** For comments: the prompt they are on. */
  promptId?: string;
}

export class ActivityEntryDto {
  id: string;
  occurredAt: string;
  /** null for work done by the system. */
  actor: ActivityActorDto | null;
  /** The audit action, e.g. `prompt.updated`, `prompt.label_moved`, `comment.created`, `tag.renamed`. */
  action: string;
  target: ActivityTargetDto;
  /** One readable line, e.g. `Ada moved the label "production" of "Triage" to version 3`. */
  summary: string;
}

export class ActivityPageDto {
  /** Newest first. */
  items: ActivityEntryDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
