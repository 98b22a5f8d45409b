import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import '../analytics/analytics.errors';
import '../playground/playground.errors';
import '../prompts/prompts.errors';
import '../versions/versions.errors';
import { CreateTestRunDto, TestRunsQueryDto } from './dto/test-run.dto';
import {
  TestRunCreatedResponseDto,
  TestRunDetailResponseDto,
  TestRunPageResponseDto,
} from './dto/test-run.response.dto';
import './test-runs.errors';
import { TestRunsService } from './test-runs.service';

@ApiTags('playground')
@TenantScoped()
@Controller()
export class TestRunsController {
  constructor(private readonly testRuns: TestRunsService) {}

  /**
   * Starts a test run (OWNER, ADMIN, EDITOR): every saved test case of the prompt on each model,
   * against `version`, the version `label` points at, or the current one; as a background job.
   * Each call is stored as a run; each case's assertions decide pass or fail. Poll
   * `GET /test-runs/{id}` for progress and results. 400 for a model outside the catalogue, 409
   * `provider_key_missing` when the organization has no key for a model's provider, 409
   * `test_run_no_test_cases` when the prompt has none, 403 `budget_exceeded` when a hard-stopped
   * budget that applies (the organization's or one of the prompt's collection) is spent.
   */
  @Post('prompts/:id/test-runs')
  @HttpCode(202)
  @CheckPolicies((a) => a.can('create', 'Run'))
  @ApiProblems(
    400,
    401,
    403,
    404,
    'version_not_found',
    'version_label_not_found',
    'provider_key_missing',
    'test_run_no_test_cases',
    'budget_exceeded',
  )
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CreateTestRunDto,
  ): Promise<TestRunCreatedResponseDto> {
    return this.testRuns.create(caller, id, dto);
  }

  /** The prompt's test runs, newest first, without their results (any member who can see the prompt). */
  @Get('prompts/:id/test-runs')
  @CheckPolicies((a) => a.can('read', 'Run'))
  @ApiProblems(400, 401, 404)
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() q: TestRunsQueryDto,
  ): Promise<TestRunPageResponseDto> {
    return this.testRuns.list(caller, id, q.limit, q.cursor);
  }

  /**
   * A test run with its progress and its results so far, per case × model in case order (any
   * member who can see the prompt).
   */
  @Get('test-runs/:id')
  @CheckPolicies((a) => a.can('read', 'Run'))
  @ApiProblems(400, 401, 404)
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<TestRunDetailResponseDto> {
    return this.testRuns.get(caller, id);
  }
}
