import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsTimestamp } from '../../../common/validation/dates';
import { Optional } from '../../../common/validation/optional';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { VersionSelectorDto } from '../../prompts/dto/render.dto';

/** Model ids: the catalogue's, or any id an OpenAI-compatible endpoint serves (`llama3.1:8b`, `org/model`). */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;
const MODEL_MESSAGE = 'model must be a model id (letters, digits and . _ : / @ -, at most 200)';

const VARIABLES = {
  required: false,
  type: Object,
  additionalProperties: true,
  example: { name: 'Ann', count: 3 },
  description: 'Values by variable name, as for render.',
} as const;

/** Generation settings; absent ones come from the prompt's metadata, else the provider's default. */
export class RunSettingsDto {
  /** Sampling temperature, 0..2. */
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number;

  /** The most output tokens the model may produce, 1..200000. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(200_000)
  maxTokens?: number;
}

export class EstimateDto extends VersionSelectorDto {
  @ApiProperty(VARIABLES)
  @Optional()
  @IsObject()
  variables: Record<string, unknown> = {};

  /** A model of the catalogue (`GET /models`). */
  @IsString()
  @Matches(MODEL_ID, { message: MODEL_MESSAGE })
  model: string;
}

export class RunPromptDto extends EstimateDto {
  /** The key to use; default: the organization's first key (by name) for the model's provider. */
  @Optional()
  @IsUUID()
  providerKeyId?: string;

  @Optional()
  @ValidateNested()
  @Type(() => RunSettingsDto)
  settings?: RunSettingsDto;
}

export class PlaygroundRunDto {
  /** Unsaved prompt content with `{{variables}}` (all of them text and required). */
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content: string;

  @ApiProperty(VARIABLES)
  @Optional()
  @IsObject()
  variables: Record<string, unknown> = {};

  /** A model of the catalogue, or any id with an OpenAI-compatible `providerKeyId`. */
  @IsString()
  @Matches(MODEL_ID, { message: MODEL_MESSAGE })
  model: string;

  @Optional()
  @IsUUID()
  providerKeyId?: string;

  @Optional()
  @ValidateNested()
  @Type(() => RunSettingsDto)
  settings?: RunSettingsDto;
}

export class CompareTargetDto extends VersionSelectorDto {
  @IsString()
  @Matches(MODEL_ID, { message: MODEL_MESSAGE })
  model: string;

  /** The key for this column; default: the organization's first key for the model's provider. */
  @Optional()
  @IsUUID()
  providerKeyId?: string;
}

export class CompareDto {
  @ApiProperty(VARIABLES)
  @Optional()
  @IsObject()
  variables: Record<string, unknown> = {};

  /** 2 to 4 columns: a version (or label, or the current one) and a model each. */
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => CompareTargetDto)
  targets: CompareTargetDto[];

  /** Settings for every column (the prompt's metadata fills in what is absent). */
  @Optional()
  @ValidateNested()
  @Type(() => RunSettingsDto)
  settings?: RunSettingsDto;
}

export class RunsQueryDto extends PageQueryDto {
  /** Only runs of this prompt. */
  @Optional()
  @IsUUID()
  promptId?: string;

  /** Only runs on this model. */
  @Optional()
  @IsString()
  @Matches(MODEL_ID, { message: MODEL_MESSAGE })
  model?: string;

  /** Runs at or after this instant (ISO 8601). */
  @Optional()
  @IsTimestamp()
  from?: Date;

  /** Runs before this instant (ISO 8601). */
  @Optional()
  @IsTimestamp()
  to?: Date;
}
