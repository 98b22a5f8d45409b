import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { PageQueryDto } from '../../common/pagination/pagination';
import '../billing/billing.errors';
import '../playground/playground.errors';
import { RunResponder } from '../playground/run-responder';
import '../versions/versions.errors';
import { CreateEvaluationDto } from './dto/evaluation.dto';
import { EvaluationPageResponseDto, EvaluationResponseDto } from './dto/evaluation.response.dto';
import './evaluations.errors';
import { EvaluationsService } from './evaluations.service';

@ApiTags('evaluations')
@TenantScoped()
@Controller('prompts/:id/evaluations')
export class EvaluationsController {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly responder: RunResponder,
  ) {}

  /**
   * Has the AI evaluator judge a prompt version (default: the current one), with an `output`
   * or the output of a successful run (`runId`), on relevance, clarity, depth, creativity and
   * robustness, 1–5 each, and an overall score (OWNER, ADMIN, EDITOR). The server decides
   * `excellent` (overall >= 4.5 and every score >= 4): then `strengths` and `doesWell`, else
   * `overview`, 3–5 `suggestions` with examples and `ambiguities`. The model is `model` or
   * `EVALUATOR_MODEL`, called with the organization's first key for its provider (409
   * `provider_key_missing` without one). Word limits: 6,000 for the prompt (422
   * `evaluation_input_too_long`) and for the output (400, or 422 for a run's). Pro plans have 250
   * evaluations a month, Enterprise no limit, Free and Starter none (403 `plan_limit_reached`).
   * An answer of the model that is not a valid evaluation → 502 `evaluator_answer_invalid`, nothing
   * stored; provider failures as for runs. Audited as `evaluation.created`.
   */
  @Post()
  @CheckPolicies((a) => a.can('create', 'Evaluation'))
  @ApiCreatedResponse({ type: EvaluationResponseDto })
  @ApiProblems(
    400,
    401,
    403,
    404,
    'version_not_found',
    'evaluation_input_too_long',
    'plan_limit_reached',
    'provider_key_missing',
    'provider_key_unreadable',
    'provider_error',
    'provider_unreachable',
    'provider_rate_limited',
    'provider_timeout',
    'evaluator_answer_invalid',
  )
  async create(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CreateEvaluationDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const prepared = await this.evaluations.prepare(caller, id, dto);
    this.responder.json(req, res, 201, (signal) => this.evaluations.execute(prepared, signal));
  }

  /** The prompt's evaluations, newest first (any member who can see the prompt). */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Evaluation'))
  @ApiProblems(400, 401, 404)
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() q: PageQueryDto,
  ): Promise<EvaluationPageResponseDto> {
    return this.evaluations.list(caller, id, q);
  }
}
