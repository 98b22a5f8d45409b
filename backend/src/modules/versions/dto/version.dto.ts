import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { trim } from '../../../common/validation/transforms';
import { LABEL_MESSAGE, LABEL_PATTERN } from '../../prompts/dto/render.dto';

export class DiffQueryDto {
  /** The older side: a version number. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from: number;

  /** The newer side: a version number. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to: number;
}

export class RevertDto {
  /** Why (defaults to "Revert to version N"). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  changeNote?: string;
}

export class MoveLabelDto {
  /** The version the label should point at. */
  @IsInt()
  @Min(1)
  version: number;
}

export class LabelHistoryQueryDto extends PageQueryDto {
  /** Only the moves of this label. */
  @IsOptional()
  @IsString()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;
}

export class RuntimeFetchQueryDto {
  /** A release label such as `production` (default: the current version). */
  @IsOptional()
  @IsString()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;

  /** A version number (instead of `label`). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
