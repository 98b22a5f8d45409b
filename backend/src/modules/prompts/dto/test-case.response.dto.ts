import { ApiProperty } from '@nestjs/swagger';
import { FieldErrorDto } from '../../../common/http/api-problems.decorator';
import { AssertionDto } from '../../test-runs/dto/assertion.dto';

export class TestCaseResponseDto {
  id: string;
  promptId: string;
  name: string;
  /** Variable values the case renders with. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  variables: Record<string, unknown>;
  /** Text the rendered prompt must contain; null when the case only checks that it renders. */
  expectedContains: string | null;
  /** Checks a test run applies to each model output (`POST /prompts/{id}/test-runs`). */
  @ApiProperty({ type: () => AssertionDto, isArray: true })
  assertions: AssertionDto[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export class TestCasePageResponseDto {
  items: TestCaseResponseDto[];
  nextCursor: string | null;
}

export class TestCaseResultDto {
  caseId: string;
  name: string;
  /** Rendered without errors and (if set) contains `expectedContains`. */
  passed: boolean;
  /** The rendered text; null when rendering failed. */
  rendered: string | null;
  /** Missing or ill-typed variables (`variables.<name>`) and a failed expectation (`expectedContains`). */
  errors: FieldErrorDto[];
}

export class TestRunResponseDto {
  /** The version the cases ran against. */
  version: number;
  passed: number;
  failed: number;
  results: TestCaseResultDto[];
}
