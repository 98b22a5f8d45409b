import { IntersectionType } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { IsTimestamp } from '../../../common/validation/dates';
import { Optional } from '../../../common/validation/optional';

export class AuditFilterDto {
  /** Only events by this actor (user or API key id). */
  @Optional()
  @IsUUID()
  actor?: string;

  /** An exact action such as `prompt.updated`, or a family such as `prompt.*`. */
  @Optional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/, {
    message: 'action must be dotted lower-case words, optionally ending in .*',
  })
  action?: string;

  @Optional()
  @IsString()
  @MaxLength(100)
  targetType?: string;

  @Optional()
  @IsString()
  @MaxLength(200)
  targetId?: string;

  /** Inclusive lower bound (ISO-8601). */
  @Optional()
  @IsTimestamp()
  from?: Date;

  /** Exclusive upper bound (ISO-8601). */
  @Optional()
  @IsTimestamp()
  to?: Date;

  /**
   * Free text searched case-insensitively in the serialized `changes` of each event (an addition to
   * the contract). Events whose changes are redacted for the caller never match.
   */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;
}

export class AuditListQueryDto extends IntersectionType(PageQueryDto, AuditFilterDto) {}

export class AuditExportQueryDto extends AuditFilterDto {
  /** `csv` or `jsonl` (JSON Lines). */
  @IsIn(['csv', 'jsonl'])
  format: 'csv' | 'jsonl' = 'jsonl';
}
