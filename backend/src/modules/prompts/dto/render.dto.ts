import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { trim } from '../../../common/validation/transforms';
import { Optional, Nullable } from '../../../common/validation/optional';
import { IsPositiveInt32 } from '../../../common/validation/numbers';
import { MAX_ASSERTIONS } from '../../test-runs/assertions';
import { AssertionDto } from '../../test-runs/dto/assertion.dto';

export const LABEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const LABEL_MESSAGE =
  'label must start with a lower-case letter or digit and contain only a-z, 0-9, _ and - (at most 40)';

/** Which version to use: a number, a label, or (neither) the current one. */
export class VersionSelectorDto {
  /** A version number (default: the current version). */
  @Optional()
  @Type(() => Number)
  @IsPositiveInt32()
  version?: number;

  /** A release label such as `production` (instead of `version`). */
  @Optional()
  @IsString()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;
}

export class RenderPromptDto extends VersionSelectorDto {
  /** Values by variable name: strings, numbers or booleans according to each variable's type. */
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    example: { name: 'Ann', count: 3 },
  })
  @Optional()
  @IsObject()
  variables: Record<string, unknown> = {};
}

export class RenderResponseDto {
  /** The content with every placeholder substituted (no HTML escaping). */
  rendered: string;
  /** The version that was rendered. */
  version: number;
}

export class CreateTestCaseDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Variable values to render with. */
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    example: { name: 'Ann', count: 3 },
  })
  @Optional()
  @IsObject()
  variables: Record<string, unknown> = {};

  /** The rendered text must contain this (case-sensitive); omit to only check that it renders. */
  @ApiProperty({ required: false, type: 'string', nullable: true })
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  expectedContains?: string | null;

  /**
   * Checks a test run applies to each model output (up to 20); see AssertionDto. Saving an invalid
   * regex or JSON schema answers 400 naming the assertion.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ASSERTIONS)
  @ValidateNested({ each: true })
  @Type(() => AssertionDto)
  assertions?: AssertionDto[];
}

export class UpdateTestCaseDto {
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  /** Variable values to render with. */
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    example: { name: 'Ann', count: 3 },
  })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;

  /** null removes the expectation. */
  @ApiProperty({ required: false, type: 'string', nullable: true })
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  expectedContains?: string | null;

  /**
   * Checks a test run applies to each model output (up to 20); see AssertionDto. Saving an invalid
   * regex or JSON schema answers 400 naming the assertion.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ASSERTIONS)
  @ValidateNested({ each: true })
  @Type(() => AssertionDto)
  assertions?: AssertionDto[];
}

export class RunTestCasesDto extends VersionSelectorDto {
  /** Only these cases (default: all of the prompt's cases). */
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  caseIds?: string[];
}
