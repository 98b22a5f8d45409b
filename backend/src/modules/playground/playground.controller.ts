import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import '../analytics/analytics.errors';
import '../prompts/prompts.errors';
import '../versions/versions.errors';
import { CompareDto, EstimateDto, PlaygroundRunDto, RunPromptDto, RunsQueryDto } from './dto/run.dto';
import {
  CompareResponseDto,
  EstimateResponseDto,
  ModelResponseDto,
  RunDetailResponseDto,
  RunPageResponseDto,
  RunResponseDto,
} from './dto/run.response.dto';
import './playground.errors';
import { PlaygroundService } from './playground.service';
import { RunResponder } from './run-responder';
import { RunsService } from './runs.service';

/** What a run route can answer besides 200 (see docs/playground.md, "Errors"). */
const RUN_PROBLEMS = [
  400,
  401,
  403,
  404,
  'version_not_found',
  'version_label_not_found',
  'prompt_variables_invalid',
  'provider_key_missing',
  'provider_key_unreadable',
  'provider_error',
  'provider_unreachable',
  'provider_rate_limited',
  'provider_timeout',
  'budget_exceeded',
] as const;

const STREAM_DESCRIPTION =
  'With `Accept: text/event-stream`: server-sent events `delta` `{text}` for each piece of output, then `done` with the run object, or `error` with a problem object (the run is stored either way). Closing the connection aborts the provider call; the run is stored as `canceled`.';

const runResponse = (type: typeof RunResponseDto | typeof CompareResponseDto, sse: string) =>
  ApiOkResponse({
    description: sse,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(type) } },
      'text/event-stream': { schema: { type: 'string' } },
    },
  });

@ApiTags('playground')
@ApiExtraModels(RunResponseDto, CompareResponseDto)
@TenantScoped()
@Controller()
export class PlaygroundController {
  constructor(
    private readonly playground: PlaygroundService,
    private readonly responder: RunResponder,
    private readonly runs: RunsService,
  ) {}

  /**
   * The model catalogue (any member): context window and the prices per million tokens in force
   * for the caller's organization: the list prices (taken on `pricesAsOf`), or the organization's
   * own price where an OWNER or ADMIN set one (`priceSource: organization`). Models of
   * OpenAI-compatible endpoints are not listed: any id runs there (priced 0 unless the id is in
   * this list or the organization set a price for it).
   */
  @Get('models')
  @ApiProblems(401, 404)
  models(@CurrentCaller() caller: Caller): Promise<ModelResponseDto[]> {
    return this.playground.models(caller);
  }

  /**
   * The tokens and cost of a run before running it (any member who can see the prompt): input
   * tokens with the model's real tokenizer for OpenAI models (`exact: true`), else an
   * approximation; expected output = the prompt's metadata.maxTokens, else 500; priced at the
   * organization's price in force (`GET /models`). 400 for a model
   * not in the catalogue, 422 for missing variables.
   */
  @Post('prompts/:id/estimate')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('read', 'Prompt'))
  @ApiProblems(400, 401, 404, 'version_not_found', 'version_label_not_found', 'prompt_variables_invalid')
  estimate(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: EstimateDto,
  ): Promise<EstimateResponseDto> {
    return this.playground.estimate(caller, id, dto);
  }

  /**
   * Runs a prompt version on a model with the organization's key (OWNER, ADMIN, EDITOR) and
   * stores the run. The key is `providerKeyId` or the organization's first key (by name) for the
   * model's provider (409 `provider_key_missing` when there is none). Settings absent from
   * `settings` come from the prompt's metadata. Provider failures: 502 `provider_error` (with
   * `providerStatus`; 401 for a refused key), 502 `provider_unreachable`, 504 `provider_timeout`
   * (`PROVIDER_TIMEOUT_MS`), 429 `provider_rate_limited` with `Retry-After`; each with `runId`.
   */
  @Post('prompts/:id/run')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Run'))
  @runResponse(RunResponseDto, STREAM_DESCRIPTION)
  @ApiProblems(...RUN_PROBLEMS)
  async runPrompt(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: RunPromptDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.responder.single(req, res, await this.playground.preparePromptRun(caller, id, dto));
  }

  /**
   * Runs unsaved content (the editor's playground) like `POST /prompts/:id/run`: every
   * `{{placeholder}}` is a required text variable. A model outside the catalogue runs only with
   * the `providerKeyId` of an OpenAI-compatible key.
   */
  @Post('playground/run')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Run'))
  @runResponse(RunResponseDto, STREAM_DESCRIPTION)
  @ApiProblems(...RUN_PROBLEMS)
  async runContent(
    @CurrentCaller() caller: Caller,
    @Body() dto: PlaygroundRunDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.responder.single(req, res, await this.playground.prepareContentRun(caller, dto));
  }

  /**
   * Runs 2–4 targets (version × model) on the same variables in parallel (OWNER, ADMIN, EDITOR)
   * and answers every run, failed ones included (`status: error` with their `error`). With
   * `Accept: text/event-stream`: `delta {target, text}`, `done {target, run}` or
   * `error {target, problem}` per target (its index), then `end {}`.
   */
  @Post('prompts/:id/compare')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Run'))
  @runResponse(
    CompareResponseDto,
    'With `Accept: text/event-stream`: `delta` `{target, text}`, `done` `{target, run}` or `error` `{target, problem}` for each target (its index in `targets`), then `end` `{}`.',
  )
  @ApiProblems(
    ...RUN_PROBLEMS.filter(
      (p) => typeof p === 'number' || !p.startsWith('provider_') || p.startsWith('provider_key'),
    ),
  )
  async compare(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CompareDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.responder.compare(req, res, await this.playground.prepareCompare(caller, id, dto));
  }

  /**
   * Runs, newest first (any member): those of prompts the caller can see, and the caller's own
   * runs of unsaved content. Filters: `promptId`, `model`, `from` (inclusive), `to` (exclusive).
   */
  @Get('runs')
  @CheckPolicies((a) => a.can('read', 'Run'))
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @Query() q: RunsQueryDto): Promise<RunPageResponseDto> {
    return this.runs.list(caller, q);
  }

  /** One run with its input and variables (404 when the caller cannot see its prompt). */
  @Get('runs/:id')
  @CheckPolicies((a) => a.can('read', 'Run'))
  @ApiProblems(400, 401, 404)
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<RunDetailResponseDto> {
    return this.runs.get(caller, id);
  }
}
