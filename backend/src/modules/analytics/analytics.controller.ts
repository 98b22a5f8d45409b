import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { OrganizationsService } from '../organizations/organizations.service';
import { AnalyticsReports } from './analytics-report';
import './analytics.errors';
import { AnalyticsService, resolveRange } from './analytics.service';
import { BudgetService } from './budget.service';
import {
  BreakdownQueryDto,
  BreakdownResponseDto,
  PromptUsageResponseDto,
  RangeQueryDto,
  ReportQueryDto,
  SummaryResponseDto,
  TimeseriesQueryDto,
  TimeseriesResponseDto,
  TopPromptsQueryDto,
  TopPromptsResponseDto,
} from './dto/analytics.dto';
import {
  BudgetResponseDto,
  CollectionBudgetListDto,
  CollectionBudgetResponseDto,
  PutBudgetDto,
  PutCollectionBudgetDto,
} from './dto/budget.dto';
import { ReportUsageDto, UsageAcceptedDto } from './dto/usage.dto';
import { UsageIngestService } from './usage-ingest.service';

/**
 * Organization analytics (OWNER, ADMIN), read from the hourly/daily rollups. Periods default to
 * the last 30 days, must have `from` before `to` and span at most 400 days.
 */
@ApiTags('analytics')
@TenantScoped()
@CheckPolicies((a) => a.can('read', 'Analytics'))
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly reports: AnalyticsReports,
    private readonly organizations: OrganizationsService,
  ) {}

  /** Totals of the period with the same figures for the period of the same length before it. */
  @Get('summary')
  @ApiProblems(400, 401, 403, 404)
  summary(@CurrentCaller() caller: Caller, @Query() q: RangeQueryDto): Promise<SummaryResponseDto> {
    return this.analytics.summary(caller, q);
  }

  /** A metric over time per day, week (ISO, from Monday) or month, optionally one series per model, prompt, category or user. */
  @Get('timeseries')
  @ApiProblems(400, 401, 403, 404)
  timeseries(
    @CurrentCaller() caller: Caller,
    @Query() q: TimeseriesQueryDto,
  ): Promise<TimeseriesResponseDto> {
    return this.analytics.timeseries(caller, q);
  }

  /** The prompts with the most uses (renders and calls to a model), fetches or cost. */
  @Get('top-prompts')
  @ApiProblems(400, 401, 403, 404)
  topPrompts(
    @CurrentCaller() caller: Caller,
    @Query() q: TopPromptsQueryDto,
  ): Promise<TopPromptsResponseDto> {
    return this.analytics.topPrompts(caller, q);
  }

  /** Cost, tokens or runs per model, category, collection or user, largest first. */
  @Get('breakdown')
  @ApiProblems(400, 401, 403, 404)
  breakdown(@CurrentCaller() caller: Caller, @Query() q: BreakdownQueryDto): Promise<BreakdownResponseDto> {
    return this.analytics.breakdown(caller, q);
  }

  /**
   * The period as a file: CSV (`section,date,key,label,metric,value`; cells a spreadsheet would run
   * as a formula start with `'`) or PDF (totals, bar charts of cost and runs per day, tables).
   */
  @Get('report')
  @ApiProduces('text/csv', 'application/pdf')
  @ApiOkResponse({ description: 'A file download' })
  @ApiProblems(400, 401, 403, 404)
  async report(
    @CurrentCaller() caller: Caller,
    @Query() q: ReportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const range = resolveRange(q);
    const organization = await this.organizations.get(caller.organizationId);
    const data = await this.reports.data(caller, organization.name, range);
    const name = `usage-${range.from.toISOString().slice(0, 10)}-${range.to.toISOString().slice(0, 10)}.${q.format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      return new StreamableFile(Buffer.from(this.reports.csv(data), 'utf8'));
    }
    res.setHeader('Content-Type', 'application/pdf');
    return new StreamableFile(await this.reports.pdf(data));
  }
}

/** One prompt's usage: any member who can see the prompt. */
@ApiTags('analytics')
@TenantScoped()
@CheckPolicies((a) => a.can('read', 'Prompt'))
@Controller('prompts')
export class PromptUsageController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Runs, fetches and cost of the prompt in the period, with one point per day. */
  @Get(':id/usage')
  @ApiProblems(400, 401, 404)
  usage(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() q: RangeQueryDto,
  ): Promise<PromptUsageResponseDto> {
    return this.analytics.promptUsage(caller, id, q);
  }
}

/** Calls to a model made by the customer's own code, reported with an API key or a session. */
@ApiTags('analytics')
@TenantScoped()
@CheckPolicies((a) => a.can('use_api', 'ApiKey'))
@Controller('usage')
export class UsageController {
  constructor(private readonly ingest: UsageIngestService) {}

  /**
   * Records 1 to 1,000 calls. Each event is validated on its own; invalid ones are listed in
   * `rejected` with their field errors, the others are written before the answer. An event whose
   * `idempotencyKey` was already recorded in this organization is accepted and counted once.
   */
  @Post()
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404, 429)
  report(@CurrentCaller() caller: Caller, @Body() dto: ReportUsageDto): Promise<UsageAcceptedDto> {
    return this.ingest.report(caller, dto.events);
  }
}

/** The monthly budget of the organization and of collections (OWNER, ADMIN). */
@ApiTags('analytics')
@TenantScoped()
@CheckPolicies((a) => a.can('manage', 'Budget'))
@Controller('budget')
export class BudgetController {
  constructor(private readonly budgets: BudgetService) {}

  /** The budget with this month's spend, its percentage and the thresholds crossed (banner data). */
  @Get()
  @ApiProblems(401, 403, 404)
  get(@CurrentCaller() caller: Caller): Promise<BudgetResponseDto> {
    return this.budgets.get(caller);
  }

  /** Sets the budget; thresholds the month's spend already passes are notified at once. */
  @Put()
  @ApiProblems(400, 401, 403, 404)
  put(@CurrentCaller() caller: Caller, @Body() dto: PutBudgetDto): Promise<BudgetResponseDto> {
    return this.budgets.put(caller, dto);
  }

  /**
   * The collection budgets, by collection name, each with this month's spend of the prompts in the
   * collection and its sub-collections, its percentage and the thresholds crossed (banner data).
   */
  @Get('collections')
  @ApiProblems(401, 403, 404)
  listCollections(@CurrentCaller() caller: Caller): Promise<CollectionBudgetListDto> {
    return this.budgets.listCollections(caller);
  }

  /**
   * Sets the monthly budget of a collection (created or replaced); thresholds the month's spend
   * already passes are notified at once. 404 for a collection this organization does not have.
   */
  @Put('collections/:collectionId')
  @ApiProblems(400, 401, 403, 404)
  putCollection(
    @CurrentCaller() caller: Caller,
    @UuidParam('collectionId') collectionId: string,
    @Body() dto: PutCollectionBudgetDto,
  ): Promise<CollectionBudgetResponseDto> {
    return this.budgets.putCollection(caller, collectionId, dto);
  }

  /** Removes a collection's budget; 404 when the collection has none. */
  @Delete('collections/:collectionId')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  removeCollection(
    @CurrentCaller() caller: Caller,
    @UuidParam('collectionId') collectionId: string,
  ): Promise<void> {
    return this.budgets.removeCollection(caller, collectionId);
  }
}
