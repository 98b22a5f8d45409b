import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { BudgetService } from '../analytics/budget.service';
import { AuditService } from '../audit/audit.service';
import { ProviderCallResolver } from '../playground/provider-call-resolver';
import { isRunCursor } from '../playground/runs.service';
import { PromptAccess } from '../prompts/prompt-access.service';
import { TestCasesService } from '../prompts/test-cases.service';
import { CreateTestRunDto } from './dto/test-run.dto';
import {
  TestRunCreatedResponseDto,
  TestRunDetailResponseDto,
  TestRunResultDto,
  TestRunSummaryResponseDto,
} from './dto/test-run.response.dto';
import { TestRunException } from './test-runs.errors';
import { TestRunResultRow, TestRunsRepository, TestRunSummaryRow } from './test-runs.repository';
import { TestRunner } from './test-runner';

/** The most case × model pairs one test run may have. */
export const MAX_TEST_RUN_PAIRS = 400;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toSummaryDto(r: TestRunSummaryRow): TestRunSummaryResponseDto {
  return {
    id: r.id,
    promptId: r.prompt_id,
    version: r.version,
    label: r.label,
    models: r.models,
    status: r.status,
    progress: { done: r.done, total: r.total },
    passed: r.passed,
    error: r.error,
    costUsd: Number(r.cost_usd),
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
  };
}

const toResultDto = (r: TestRunResultRow): TestRunResultDto => ({
  testCaseId: r.test_case_id,
  testCaseName: r.test_case_name,
  model: r.model,
  runId: r.run_id,
  passed: r.passed,
  output: r.output,
  assertions: r.assertions,
  costUsd: Number(r.cost_usd),
  error: r.error,
});

/**
 * Test runs: a prompt version's saved test cases across models, as a queued job (TestRunner), with
 * progress and results per case × model. Starting one needs the right to run prompts (OWNER,
 * ADMIN, EDITOR); reading needs to see the prompt.
 */
@Injectable()
export class TestRunsService {
  constructor(
    private readonly testRuns: TestRunsRepository,
    private readonly access: PromptAccess,
    private readonly testCases: TestCasesService,
    private readonly calls: ProviderCallResolver,
    private readonly runner: TestRunner,
    private readonly audit: AuditService,
    private readonly transactions: TenantTransactions,
    private readonly budgets: BudgetService,
  ) {}

  /**
   * Checks everything that can be checked now (the prompt, the version or label, the models and the
   * organization's keys for them, the cases), stores the run with the version and the cases as
   * they are, and enqueues it after the commit.
   */
  async create(caller: Caller, promptId: string, dto: CreateTestRunDto): Promise<TestRunCreatedResponseDto> {
    const prompt = await this.access.loadVisible(caller, promptId);
    const version = await this.access.resolveVersion(prompt, dto);
    for (const [i, model] of dto.models.entries())
      await this.calls.checkRunnable(caller, model, `models[${i}]`);
    const cases = await this.testCases.allFor(promptId);
    if (!cases.length)
      throw new TestRunException(
        'test_run_no_test_cases',
        'The prompt has no saved test cases: add one in the test cases panel (POST /prompts/{id}/test-cases) first',
      );
    const pairs = cases.length * dto.models.length;
    if (pairs > MAX_TEST_RUN_PAIRS)
      throw new AppException(
        'validation_failed',
        `${cases.length} test cases × ${dto.models.length} models make ${pairs} calls; a test run makes at most ${MAX_TEST_RUN_PAIRS}`,
        { errors: [{ field: 'models', message: `at most ${MAX_TEST_RUN_PAIRS} test cases × models` }] },
      );
    await this.budgets.assertWithinBudget(caller, { promptId });
    const row = await this.testRuns.insert({
      organizationId: prompt.organization_id,
      promptId,
      version: version.version,
      label: dto.label ?? null,
      models: dto.models,
      snapshot: {
        version: version.version,
        content: version.content,
        variables: version.variables,
        metadata: version.metadata,
      },
      cases: cases.map((c) => ({ id: c.id, name: c.name, variables: c.variables, assertions: c.assertions })),
      createdBy: caller.userId,
    });
    await this.audit.record({
      action: 'test_run.created',
      target: { type: 'prompt', id: promptId },
      changes: { testRunId: row.id, version: row.version, models: row.models, total: row.total },
    });
    this.transactions.afterCommit(() => this.runner.enqueue(row.organization_id, row.id));
    return { id: row.id, status: 'queued' };
  }

  async get(caller: Caller, id: string): Promise<TestRunDetailResponseDto> {
    const row = await this.testRuns.find(caller.organizationId, id);
    if (!row) throw notFound('Test run');
    const results = await this.testRuns.results(id);
    return { ...toSummaryDto(row), results: results.map(toResultDto) };
  }

  async list(
    caller: Caller,
    promptId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<TestRunSummaryResponseDto>> {
    const after = cursor ? decodeCursor(cursor, isRunCursor) : undefined;
    await this.access.loadVisible(caller, promptId);
    const rows = await this.testRuns.page(caller.organizationId, promptId, limit, after);
    return toPage(rows, limit, (r) => ({ t: r.cursor_key, id: r.id }), toSummaryDto);
  }
}
