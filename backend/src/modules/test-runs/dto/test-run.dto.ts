import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { MODEL_ID } from '../../playground/dto/run.dto';
import { VersionSelectorDto } from '../../prompts/dto/render.dto';

/** The most models one test run may cover. */
export const MAX_TEST_RUN_MODELS = 4;

export class CreateTestRunDto extends VersionSelectorDto {
  /** 1 to 4 catalogue models (`GET /models`); each runs every test case with the organization's key for its provider. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TEST_RUN_MODELS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(MODEL_ID, { each: true, message: 'each model must be a model id of the catalogue (GET /models)' })
  models: string[];
}

export class TestRunsQueryDto extends PageQueryDto {}
