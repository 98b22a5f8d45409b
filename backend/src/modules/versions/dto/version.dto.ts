import { Transform, Type } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { trim } from '../../../common/validation/transforms';
import { LABEL_MESSAGE, LABEL_PATTERN } from '../../prompts/dto/render.dto';
import { Optional } from '../../../common/validation/optional';
import { IsPositiveInt32 } from '../../../common/validation/numbers';

export class DiffQueryDto {
  /** The older side: a version number. */
  @Type(() => Number)
  @IsPositiveInt32()
  from: number;

  /** The newer side: a version number. */
  @Type(() => Number)
  @IsPositiveInt32()
  to: number;
}

export class RevertDto {
  /** Why (defaults to "Revert to version N"). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  changeNote?: string;
}

export class MoveLabelDto {
  /** The version the label should point at. */
  @IsPositiveInt32()
  version: number;
}

export class LabelHistoryQueryDto extends PageQueryDto {
  /** Only the moves of this label. */
  @Optional()
  @IsString()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;
}

export class RuntimeFetchQueryDto {
  /** A release label such as `production` (default: the current version). */
  @Optional()
  @IsString()
  @Matches(LABEL_PATTERN, { message: LABEL_MESSAGE })
  label?: string;

  /** A version number (instead of `label`). */
  @Optional()
  @Type(() => Number)
  @IsPositiveInt32()
  version?: number;
}
