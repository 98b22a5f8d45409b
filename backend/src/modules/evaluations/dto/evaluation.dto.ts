import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { IsPositiveInt32 } from '../../../common/validation/numbers';
import { Optional } from '../../../common/validation/optional';
import { Type } from 'class-transformer';
import { MODEL_ID } from '../../playground/dto/run.dto';

export class CreateEvaluationDto {
  /**
   * The prompt version to judge (default: the current one; with `runId`, the run's version, and a
   * different `version` is refused).
   */
  @Optional()
  @Type(() => Number)
  @IsPositiveInt32()
  version?: number;

  /** An output of the prompt to judge with it (at most 6,000 words); not with `runId`. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  output?: string;

  /** A successful run of this prompt whose version and output are judged; not with `output`. */
  @Optional()
  @IsUUID()
  runId?: string;

  /**
   * The evaluator model, a model of `GET /models` (default: `EVALUATOR_MODEL`); the
   * organization's first key for its provider pays for the call.
   */
  @Optional()
  @IsString()
  @Matches(MODEL_ID, { message: 'model must be a model id (letters, digits and . _ : / @ -, at most 200)' })
  model?: string;
}
