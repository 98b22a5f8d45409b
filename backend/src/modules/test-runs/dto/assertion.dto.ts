import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsObject, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional';
import { ASSERTION_TYPES, AssertionType, EVALUATOR_SCALE, MAX_PATTERN_LENGTH } from '../assertions';

/**
 * One check of a test case's output. Each type takes its own members: `contains` / `not_contains`
 * → `value`; `regex` → `pattern` (+ `flags`: i, m, s, u); `valid_json` → none; `json_schema` →
 * `schema`; `max_length` → `max`; `evaluator_min` → `min` (the evaluator's overall score, 1–5).
 * A regex must compile and must not nest quantifiers (`(a+)+`): such patterns are refused with 400.
 */
export class AssertionDto {
  @ApiProperty({ enum: ASSERTION_TYPES })
  @IsIn(ASSERTION_TYPES)
  type: AssertionType;

  /** contains / not_contains: the text (case-sensitive). */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  value?: string;

  /** regex: a JavaScript regular expression, without slashes. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PATTERN_LENGTH)
  pattern?: string;

  /** regex: flags among i, m, s, u. */
  @Optional()
  @IsString()
  @MaxLength(4)
  flags?: string;

  /** json_schema: a JSON Schema (draft-07 / 2019-09 keywords) the output's JSON must match. */
  @ApiProperty({ required: false, type: Object, additionalProperties: true })
  @Optional()
  @IsObject()
  schema?: Record<string, unknown>;

  /** max_length: the most characters the output may have. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  max?: number;

  /** evaluator_min: the evaluator's overall score must be at least this (1–5). */
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(EVALUATOR_SCALE.min)
  @Max(EVALUATOR_SCALE.max)
  min?: number;
}

/** An assertion's outcome on one output. */
export class AssertionResultDto {
  @ApiProperty({ enum: ASSERTION_TYPES })
  type: AssertionType;
  passed: boolean;
  /** What was found, in words (e.g. `does not contain "refund"`, `412 characters, more than 300`). */
  detail: string;
}
