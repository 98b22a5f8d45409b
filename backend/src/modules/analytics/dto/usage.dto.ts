import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { FieldErrorDto } from '../../../common/http/problem.dto';
import { INT32_MAX } from '../../../common/validation/numbers';
import { Optional } from '../../../common/validation/optional';

export const MAX_USAGE_EVENTS = 1000;

/**
 * One call to a model made by the customer's own code with a fetched prompt. Each event of a
 * batch is validated on its own: an invalid one is listed in `rejected`, the others are kept.
 */
export class UsageEventDto {
  /** The prompt by id (give `promptId` or `slug`). */
  @Optional()
  @IsUUID('all')
  promptId?: string;

  /** The prompt by slug (give `promptId` or `slug`). */
  @Optional()
  @IsString()
  @MaxLength(100)
  slug?: string;

  /** The version used (give at most one of `version` and `label`). */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  version?: number;

  /** The label fetched (e.g. `production`). */
  @Optional()
  @IsString()
  @MaxLength(50)
  label?: string;

  /** The model id, e.g. `gpt-5-mini`; models outside the catalogue are counted with `costUnknown`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^\p{Cc}\s]+$/u, { message: 'model must not contain spaces or control characters' })
  model: string;

  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  inputTokens: number;

  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  outputTokens: number;

  @Optional()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  latencyMs?: number;

  @Optional()
  @IsIn(['success', 'error'])
  status?: 'success' | 'error';

  /** What the call cost in US dollars; wins over the catalogue price when given. */
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  costUsd?: number;

  /** When the call happened (ISO 8601; default now): not in the future, not older than the plan's retention. */
  @Optional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  /** Replays of an event with the same key in this organization are accepted and not counted again. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  idempotencyKey?: string;

  /** Free-form details kept with the raw event (at most 4 KB as JSON). */
  @Optional()
  @IsObject()
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata?: Record<string, unknown>;
}

export class ReportUsageDto {
  /** 1 to 1,000 events. */
  @ApiProperty({ type: [UsageEventDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_USAGE_EVENTS)
  @IsObject({ each: true, message: 'each event must be an object' })
  events: Record<string, unknown>[];
}

export class RejectedUsageEventDto {
  /** Position of the event in `events`. */
  index: number;
  errors: FieldErrorDto[];
}

export class UsageAcceptedDto {
  /** Events kept (replays of an idempotency key included). */
  accepted: number;
  /** Of the accepted, how many were replays already recorded (not counted again). */
  duplicates: number;
  rejected: RejectedUsageEventDto[];
}
