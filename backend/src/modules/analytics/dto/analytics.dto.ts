import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsTimestamp } from '../../../common/validation/dates';
import { Optional } from '../../../common/validation/optional';

/** Longest period a query may span. */
export const MAX_RANGE_DAYS = 400;

export class RangeQueryDto {
  /**
   * Start of the period (ISO 8601, inclusive; default 30 days before `to`). Periods that start and
   * end at UTC midnight read the daily rollups, others the hourly ones (one-hour precision).
   */
  @Optional()
  @IsTimestamp()
  from?: Date;

  /** End of the period (exclusive; default now). At most 400 days after `from`. */
  @Optional()
  @IsTimestamp()
  to?: Date;
}

export class TimeseriesQueryDto extends RangeQueryDto {
  @ApiProperty({ enum: ['runs', 'fetches', 'tokens', 'cost'] })
  @IsIn(['runs', 'fetches', 'tokens', 'cost'])
  metric: 'runs' | 'fetches' | 'tokens' | 'cost';

  @Optional()
  @ApiProperty({ enum: ['day', 'week', 'month'], required: false, default: 'day' })
  @IsIn(['day', 'week', 'month'])
  interval?: 'day' | 'week' | 'month';

  /** One series per model, prompt, category or user (the 10 largest, the rest as `other`); one `total` series without it. */
  @Optional()
  @ApiProperty({ enum: ['model', 'prompt', 'category', 'user'], required: false })
  @IsIn(['model', 'prompt', 'category', 'user'])
  groupBy?: 'model' | 'prompt' | 'category' | 'user';
}

export class TopPromptsQueryDto extends RangeQueryDto {
  @Optional()
  @ApiProperty({ enum: ['uses', 'fetches', 'cost'], required: false, default: 'uses' })
  @IsIn(['uses', 'fetches', 'cost'])
  by?: 'uses' | 'fetches' | 'cost';

  /** 1 to 100 (default 10). */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class BreakdownQueryDto extends RangeQueryDto {
  @ApiProperty({ enum: ['model', 'category', 'collection', 'user'] })
  @IsIn(['model', 'category', 'collection', 'user'])
  by: 'model' | 'category' | 'collection' | 'user';

  @Optional()
  @ApiProperty({ enum: ['cost', 'tokens', 'runs'], required: false, default: 'cost' })
  @IsIn(['cost', 'tokens', 'runs'])
  metric?: 'cost' | 'tokens' | 'runs';
}

export class ReportQueryDto extends RangeQueryDto {
  @ApiProperty({ enum: ['csv', 'pdf'] })
  @IsIn(['csv', 'pdf'])
  format: 'csv' | 'pdf';
}

export class PeriodDto {
  from: string;
  to: string;
}

export class UsageTotalsDto {
  /** Calls to a model: playground and API runs, calls reported through POST /usage, evaluations. */
  runs: number;
  /** Runtime fetches (GET /prompts/by-slug/:slug). */
  fetches: number;
  renders: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose cost is unknown (a model without a price and no client-sent cost); their tokens are counted. */
  costUnknown: number;
  activeUsers: number;
  promptsCreated: number;
}

export class SummaryResponseDto extends UsageTotalsDto {
  period: PeriodDto;
  /** The same figures for the period of the same length just before. */
  previous: UsageTotalsDto;
}

export class PointDto {
  /** Start of the interval (UTC). */
  t: string;
  value: number;
}

export class SeriesDto {
  /** The model id, prompt id, category id or user id (`''` for none, `other` for the rest, `total` ungrouped). */
  key: string;
  label: string;
  points: PointDto[];
}

export class TimeseriesResponseDto {
  @ApiProperty({ enum: ['day', 'week', 'month'] })
  interval: 'day' | 'week' | 'month';
  series: SeriesDto[];
}

export class TopPromptDto {
  promptId: string;
  slug: string;
  title: string;
  value: number;
}

export class TopPromptsResponseDto {
  items: TopPromptDto[];
}

export class BreakdownItemDto {
  /** The model id, category, collection or user id; `''` for none (no category, no user). */
  key: string;
  label: string;
  value: number;
}

export class BreakdownResponseDto {
  items: BreakdownItemDto[];
}

export class PromptUsagePointDto {
  t: string;
  runs: number;
  costUsd: number;
}

export class PromptUsageResponseDto {
  runs: number;
  fetches: number;
  costUsd: number;
  /** One point per day of the period (UTC). */
  points: PromptUsagePointDto[];
}
