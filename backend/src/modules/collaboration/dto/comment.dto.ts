import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional';

export class CreateCommentDto {
  /**
   * Markdown, stored as written (1–10,000 characters, not blank). `@someone@example.com`
   * notifies that member by e-mail if they can see the prompt.
   */
  @IsString()
  @MaxLength(10_000)
  @Matches(/\S/, { message: 'content must not be blank' })
  content: string;

  /** The comment this one replies to; it must belong to the same prompt. */
  @Optional()
  @IsUUID()
  parentId?: string;
}

export class UpdateCommentDto {
  /** The new Markdown text (1–10,000 characters, not blank). Newly added mentions are notified. */
  @IsString()
  @MaxLength(10_000)
  @Matches(/\S/, { message: 'content must not be blank' })
  content: string;
}
