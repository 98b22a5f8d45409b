import { ApiProperty } from '@nestjs/swagger';
import { AssertionResultDto } from './assertion.dto';

const STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export class TestRunCreatedResponseDto {
  id: string;
  @ApiProperty({ enum: STATUSES })
  status: 'queued';
}

export class TestRunProgressDto {
  /** Case × model pairs with a result. */
  done: number;
  /** Test cases × models. */
  total: number;
}

/** Why a pair has no output: the run could not be made or the provider failed. */
export class TestRunResultErrorDto {
  /** A problem code: `prompt_variables_invalid`, `provider_key_missing`, `provider_error`, `provider_rate_limited`, … */
  code: string;
  detail: string;
}

export class TestRunResultDto {
  testCaseId: string;
  /** The case's name when the run started. */
  testCaseName: string;
  model: string;
  /** The stored run (`GET /runs/{id}`); null when no provider call was made. */
  runId: string | null;
  /** Every assertion passed and the call succeeded. */
  passed: boolean;
  output: string;
  @ApiProperty({ type: () => AssertionResultDto, isArray: true })
  assertions: AssertionResultDto[];
  /** The run's cost plus the evaluator's (evaluator_min assertions), USD. */
  costUsd: number;
  @ApiProperty({ type: () => TestRunResultErrorDto, nullable: true })
  error: TestRunResultErrorDto | null;
}

export class TestRunSummaryResponseDto {
  id: string;
  promptId: string;
  /** The version run (a label given at start is resolved then). */
  version: number;
  /** The label the version was chosen by, if any. */
  label: string | null;
  models: string[];
  /** queued → running → done (every pair has a result) or failed (the job could not go on). */
  @ApiProperty({ enum: STATUSES })
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: TestRunProgressDto;
  /** With `done`: whether every result passed; null before. */
  @ApiProperty({ type: 'boolean', nullable: true })
  passed: boolean | null;
  /** With `failed`: why the job stopped. */
  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
  /** Sum of the results' costs so far, USD. */
  costUsd: number;
  createdBy: string | null;
  createdAt: string;
  @ApiProperty({ type: 'string', nullable: true })
  finishedAt: string | null;
}

export class TestRunDetailResponseDto extends TestRunSummaryResponseDto {
  @ApiProperty({ type: () => TestRunResultDto, isArray: true })
  results: TestRunResultDto[];
}

export class TestRunPageResponseDto {
  @ApiProperty({ type: () => TestRunSummaryResponseDto, isArray: true })
  items: TestRunSummaryResponseDto[];
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
