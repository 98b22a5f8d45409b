import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { Nullable, Optional } from '../../../common/validation/optional';
import { trim } from '../../../common/validation/transforms';
import { PromptMetadataResponseDto, VariableResponseDto } from '../../prompts/dto/prompt.response.dto';
import { TEMPLATE_CATEGORIES, type TemplateCategory } from '../templates.catalogue';

export class ListTemplatesQueryDto {
  /** One of the categories; any other value answers 400 naming the valid ones. */
  @Optional()
  @IsIn(TEMPLATE_CATEGORIES, { message: `category must be one of: ${TEMPLATE_CATEGORIES.join(', ')}` })
  category?: TemplateCategory;

  /** Matches title, description and content, case-insensitively. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class UseTemplateDto {
  /** The collection to put the new prompt in (of the caller's organization). */
  @Nullable()
  @IsUUID()
  collectionId?: string | null;
}

/** A starter template: copy it into the organization with `POST /templates/:id/use`. */
export class TemplateResponseDto {
  /** Stable id, e.g. `marketing-product-launch-email`. */
  id: string;
  title: string;
  description: string;
  /** marketing, coding, support, sales, hr, data or writing. */
  category: TemplateCategory;
  /** Markdown with `{{variable}}` placeholders. */
  content: string;
  variables: VariableResponseDto[];
  /** Suggested model settings. */
  metadata: PromptMetadataResponseDto;
}
