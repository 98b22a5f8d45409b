import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { trim } from '../../../common/validation/transforms';
import {
  PROMPT_STATUSES,
  PROMPT_VISIBILITIES,
  type PromptStatus,
  type PromptVisibility,
} from '../prompt.model';
import { TAG_NAME, TAG_NAME_MESSAGE } from '../../taxonomy/dto/taxonomy.dto';
import { VARIABLE_TYPES, type VariableType } from '../variables';
import { Optional, Nullable } from '../../../common/validation/optional';
import { IsPositiveInt32 } from '../../../common/validation/numbers';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const TAG_MAX_LENGTH = 50;

const trimEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value;

/** A variable as declared by the author (placeholders not declared become required text variables). */
export class VariableDto {
  /** The placeholder name: letters, digits, `_` and `.`. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.]{1,100}$/, { message: 'name may contain only letters, digits, _ and .' })
  name: string;

  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsIn(VARIABLE_TYPES)
  type: VariableType;

  /** Defaults to true. */
  @Optional()
  @IsBoolean()
  required: boolean = true;

  /** Used when rendering without a value; must fit the type (select: one of the options). */
  @ApiProperty({ required: false, oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] })
  @Optional()
  @Allow()
  defaultValue?: string | number | boolean;

  /** The choices of a `select` variable. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];
}

/** Model settings stored with the prompt. */
export class PromptMetadataDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  model?: string;

  /** 0 to 2. */
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number;

  /** A positive integer. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  maxTokens?: number;
}

/** The fields POST /prompts and PATCH /prompts/:id share. */
class PromptFieldsDto {
  /** URL-safe, unique in the organization; lower-case letters, digits and single dashes. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  @Matches(SLUG_PATTERN, { message: 'slug may contain lower-case letters, digits and single dashes' })
  slug?: string;

  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** Declared variables; every `{{name}}` not declared here becomes a required text variable. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariableDto)
  variables?: VariableDto[];

  /** Tag names (created when new, matched case-insensitively). */
  @Optional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(TAG_MAX_LENGTH, { each: true })
  @Matches(TAG_NAME, { each: true, message: `each tag ${TAG_NAME_MESSAGE}` })
  tags?: string[];

  @Nullable()
  @IsUUID()
  categoryId?: string | null;

  @Nullable()
  @IsUUID()
  collectionId?: string | null;

  @Optional()
  @IsIn(PROMPT_STATUSES)
  status?: PromptStatus;

  @Optional()
  @IsIn(PROMPT_VISIBILITIES)
  visibility?: PromptVisibility;

  @Optional()
  @ValidateNested()
  @Type(() => PromptMetadataDto)
  metadata?: PromptMetadataDto;

  /** Why this change was made (kept with the version it creates). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  changeNote?: string;
}

export class CreatePromptDto extends PromptFieldsDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  /** Markdown with `{{variable}}` placeholders. */
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content: string;
}

export class UpdatePromptDto extends PromptFieldsDto {
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content?: string;

  /** The version this edit was based on; an older one than the current answers 409. */
  @Optional()
  @IsPositiveInt32()
  expectedVersion?: number;
}

export const PROMPT_SORTS = ['updated', 'created', 'title', 'popularity', 'cost'] as const;
export type PromptSort = (typeof PROMPT_SORTS)[number];

export class ListPromptsQueryDto extends PageQueryDto {
  /** A tag name (case-insensitive). */
  @Optional()
  @IsString()
  @MaxLength(TAG_MAX_LENGTH)
  tag?: string;

  /** A category id. */
  @Optional()
  @IsUUID()
  category?: string;

  /** A collection id. */
  @Optional()
  @IsUUID()
  collection?: string;

  /** An author's user id. */
  @Optional()
  @IsUUID()
  author?: string;

  @Optional()
  @IsIn(PROMPT_STATUSES)
  status?: PromptStatus;

  /** `true`: only the caller's favorites. */
  @Optional()
  @IsIn(['true', 'false'])
  favorite?: 'true' | 'false';

  /** `true`: only prompts whose 30-day cost is in the organization's top 10 %. */
  @Optional()
  @IsIn(['true', 'false'])
  highCost?: 'true' | 'false';

  /** updated (default, newest first), created (newest first), title (A–Z), popularity (most first), cost (30-day cost, most first). */
  @Optional()
  @IsIn(PROMPT_SORTS)
  sort: PromptSort = 'updated';
}
