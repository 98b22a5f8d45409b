import { BudgetService } from '../analytics/budget.service';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { CreateTestCaseDto, RunTestCasesDto, UpdateTestCaseDto } from './dto/render.dto';
import { TestCaseResponseDto, TestCaseResultDto, TestRunResponseDto } from './dto/test-case.response.dto';
import { PromptAccess } from './prompt-access.service';
import { TIMESTAMP_TEXT } from './prompts.sql';
import { TestCaseChange, TestCaseRow, TestCasesRepository } from './test-cases.repository';
import { renderTemplate } from './variables';
import { Assertion, parseAssertions } from '../test-runs/assertions';

/** The assertions of a request, checked (400 naming the assertion when one cannot be used). */
function checkedAssertions(input: unknown): Assertion[] {
  const { assertions, errors } = parseAssertions(input);
  if (errors.length)
    throw new AppException('validation_failed', 'Some assertions cannot be used', { errors });
  return assertions;
}

type CaseCursor = { t: string; id: string };
const isCaseCursor = (v: unknown): v is CaseCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as CaseCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as CaseCursor).t) &&
  typeof (v as CaseCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as CaseCursor).id);

const toDto = (c: TestCaseRow): TestCaseResponseDto => ({
  id: c.id,
  promptId: c.prompt_id,
  name: c.name,
  variables: c.variables,
  expectedContains: c.expected_contains,
  assertions: c.assertions,
  createdBy: c.created_by,
  createdAt: c.created_at.toISOString(),
  updatedAt: c.updated_at.toISOString(),
});

/**
 * Saved test cases of a prompt: variable values plus an optional expected substring, run on demand
 * against any version (rendering only), and assertions that test runs apply to model outputs
 * (modules/test-runs). Reading and running need read access to the prompt; changing cases needs
 * the right to edit the prompt.
 */
@Injectable()
export class TestCasesService {
  constructor(
    private readonly cases: TestCasesRepository,
    private readonly access: PromptAccess,
    private readonly audit: AuditService,
    private readonly budgets: BudgetService,
  ) {}

  async list(
    caller: Caller,
    promptId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<TestCaseResponseDto>> {
    await this.access.loadVisible(caller, promptId);
    const rows = await this.cases.page(
      promptId,
      limit,
      cursor ? decodeCursor(cursor, isCaseCursor) : undefined,
    );
    return toPage(rows, limit, (r) => ({ t: r.cursor_key, id: r.id }), toDto);
  }

  async create(caller: Caller, promptId: string, dto: CreateTestCaseDto): Promise<TestCaseResponseDto> {
    const assertions = checkedAssertions(dto.assertions ?? []);
    const prompt = await this.access.loadForWrite(caller, promptId, 'update');
    const row = await this.cases.insert({
      organizationId: prompt.organization_id,
      promptId,
      name: dto.name,
      variables: dto.variables ?? {},
      expectedContains: dto.expectedContains ?? null,
      assertions,
      createdBy: caller.userId,
    });
    await this.audit.record({
      action: 'prompt.test_case_created',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: row.id, name: row.name },
    });
    return toDto(row);
  }

  async update(
    caller: Caller,
    promptId: string,
    caseId: string,
    dto: UpdateTestCaseDto,
  ): Promise<TestCaseResponseDto> {
    const assertions = dto.assertions === undefined ? undefined : checkedAssertions(dto.assertions);
    await this.access.loadForWrite(caller, promptId, 'update');
    const row = await this.cases.find(promptId, caseId);
    if (!row) throw notFound('Test case');
    const change: TestCaseChange = {};
    const fields: string[] = [];
    if (dto.name !== undefined && dto.name !== row.name) {
      change.name = dto.name;
      fields.push('name');
    }
    if (dto.variables !== undefined && JSON.stringify(dto.variables) !== JSON.stringify(row.variables)) {
      change.variables = dto.variables;
      fields.push('variables');
    }
    if (dto.expectedContains !== undefined && dto.expectedContains !== row.expected_contains) {
      change.expected_contains = dto.expectedContains;
      fields.push('expectedContains');
    }
    if (assertions !== undefined) {
      if (JSON.stringify(assertions) !== JSON.stringify(row.assertions)) {
        change.assertions = assertions;
        fields.push('assertions');
      }
    }
    if (!fields.length) return toDto(row);
    const saved = await this.cases.update(caseId, change);
    await this.audit.record({
      action: 'prompt.test_case_updated',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: caseId, fields },
    });
    return toDto(saved);
  }

  async remove(caller: Caller, promptId: string, caseId: string): Promise<void> {
    await this.access.loadForWrite(caller, promptId, 'update');
    const row = await this.cases.find(promptId, caseId);
    if (!row) throw notFound('Test case');
    await this.cases.delete(caseId);
    await this.audit.record({
      action: 'prompt.test_case_deleted',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: caseId, name: row.name },
    });
  }

  /** Every case of a prompt, oldest first (what a test run runs; the caller has checked the prompt is visible). */
  async allFor(promptId: string): Promise<TestCaseRow[]> {
    return this.cases.all(promptId);
  }

  /** Renders each case against the chosen version; failures are results, not errors. */
  async run(caller: Caller, promptId: string, dto: RunTestCasesDto): Promise<TestRunResponseDto> {
    await this.budgets.assertWithinBudget(caller, { promptId });
    const prompt = await this.access.loadVisible(caller, promptId);
    const snapshot = await this.access.resolveVersion(prompt, dto);
    const cases = await this.cases.all(promptId, dto.caseIds);
    if (dto.caseIds) {
      const missing = dto.caseIds.filter((id) => !cases.some((c) => c.id === id));
      if (missing.length) {
        throw new AppException('validation_failed', 'Some test cases do not belong to this prompt', {
          errors: missing.map((id) => ({ field: 'caseIds', message: `no test case ${id} on this prompt` })),
        });
      }
    }
    const results = cases.map((c): TestCaseResultDto => {
      const { rendered, errors } = renderTemplate(snapshot.content, snapshot.variables, c.variables);
      if (errors.length) return { caseId: c.id, name: c.name, passed: false, rendered: null, errors };
      const expectationMet = c.expected_contains === null || rendered.includes(c.expected_contains);
      return {
        caseId: c.id,
        name: c.name,
        passed: expectationMet,
        rendered,
        errors: expectationMet
          ? []
          : [
              {
                field: 'expectedContains',
                message: `the rendered prompt does not contain "${c.expected_contains}"`,
              },
            ],
      };
    });
    const passed = results.filter((r) => r.passed).length;
    return { version: snapshot.version, passed, failed: results.length - passed, results };
  }
}
