import { IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';

export class AuditFilterDto {
  /** Only events by this actor (user or API key id). */
  @IsOptional()
  @IsUUID()
  actor?: string;

  /** An exact action such as `prompt.updated`, or a family such as `prompt.*`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/, {
    message: 'action must be dotted lower-case words, optionally ending in .*',
  })
  action?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetId?: string;

  /** Inclusive lower bound (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Exclusive upper bound (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class AuditListQueryDto extends IntersectionType(PageQueryDto, AuditFilterDto) {}

export class AuditExportQueryDto extends AuditFilterDto {
  /** `csv` or `jsonl` (JSON Lines). */
  @IsIn(['csv', 'jsonl'])
  format: 'csv' | 'jsonl' = 'jsonl';
}
