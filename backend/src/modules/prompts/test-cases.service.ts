import { Injectable } from '@nestjs/common';
import { notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { CreateTestCaseDto, RunTestCasesDto, UpdateTestCaseDto } from './dto/render.dto';
import { TestCaseResponseDto, TestCaseResultDto, TestRunResponseDto } from './dto/test-case.response.dto';
import { PromptTestCase } from './entities/prompt-test-case.entity';
import { PromptsService, TIMESTAMP_TEXT } from './prompts.service';
import { renderTemplate } from './variables';

interface CaseRow {
  id: string;
  prompt_id: string;
  name: string;
  variables: Record<string, unknown>;
  expected_contains: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_key: string;
}

type CaseCursor = { t: string; id: string };
const isCaseCursor = (v: unknown): v is CaseCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as CaseCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as CaseCursor).t) &&
  typeof (v as CaseCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as CaseCursor).id);

const toDto = (c: PromptTestCase): TestCaseResponseDto => ({
  id: c.id,
  promptId: c.promptId,
  name: c.name,
  variables: c.variables,
  expectedContains: c.expectedContains,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/**
 * Saved test cases of a prompt: variable values plus an optional expected substring, run on demand
 * against any version. Reading and running need read access to the prompt; changing cases needs
 * the right to edit the prompt.
 */
@Injectable()
export class TestCasesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly prompts: PromptsService,
    private readonly audit: AuditService,
  ) {}

  async list(promptId: string, limit: number, cursor?: string): Promise<Page<TestCaseResponseDto>> {
    await this.prompts.loadVisible(promptId);
    const params: unknown[] = [promptId, limit + 1];
    let after = '';
    if (cursor) {
      const c = decodeCursor(cursor, isCaseCursor);
      params.push(c.t, c.id);
      after = 'AND (created_at, id) > ($3::timestamptz, $4::uuid)';
    }
    // The cursor keeps the database's own text of created_at: a JS Date would drop microseconds.
    const rows = await this.transactions.manager.query<Array<CaseRow>>(
      `SELECT id, prompt_id, name, variables, expected_contains, created_by, created_at, updated_at,
              created_at::text AS cursor_key
         FROM prompt_test_cases WHERE prompt_id = $1 ${after}
        ORDER BY created_at, id LIMIT $2`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => ({ t: r.cursor_key, id: r.id }),
      (r) =>
        toDto({
          id: r.id,
          promptId: r.prompt_id,
          name: r.name,
          variables: r.variables,
          expectedContains: r.expected_contains,
          createdBy: r.created_by,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        } as PromptTestCase),
    );
  }

  async create(promptId: string, dto: CreateTestCaseDto): Promise<TestCaseResponseDto> {
    const prompt = await this.prompts.loadForWrite(promptId, 'update');
    const em = this.transactions.manager;
    const row = await em.save(
      em.create(PromptTestCase, {
        organizationId: prompt.organization_id,
        promptId,
        name: dto.name,
        variables: dto.variables ?? {},
        expectedContains: dto.expectedContains ?? null,
        createdBy: this.transactions.scope.userId,
      }),
    );
    await this.audit.record({
      action: 'prompt.test_case_created',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: row.id, name: row.name },
    });
    return toDto(row);
  }

  async update(promptId: string, caseId: string, dto: UpdateTestCaseDto): Promise<TestCaseResponseDto> {
    await this.prompts.loadForWrite(promptId, 'update');
    const em = this.transactions.manager;
    const row = await em.findOneBy(PromptTestCase, { id: caseId, promptId });
    if (!row) throw notFound('Test case');
    const fields: string[] = [];
    if (dto.name !== undefined && dto.name !== row.name) {
      row.name = dto.name;
      fields.push('name');
    }
    if (dto.variables !== undefined && JSON.stringify(dto.variables) !== JSON.stringify(row.variables)) {
      row.variables = dto.variables;
      fields.push('variables');
    }
    if (dto.expectedContains !== undefined && dto.expectedContains !== row.expectedContains) {
      row.expectedContains = dto.expectedContains;
      fields.push('expectedContains');
    }
    if (!fields.length) return toDto(row);
    const saved = await em.save(row);
    await this.audit.record({
      action: 'prompt.test_case_updated',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: caseId, fields },
    });
    return toDto(saved);
  }

  async remove(promptId: string, caseId: string): Promise<void> {
    await this.prompts.loadForWrite(promptId, 'update');
    const em = this.transactions.manager;
    const row = await em.findOneBy(PromptTestCase, { id: caseId, promptId });
    if (!row) throw notFound('Test case');
    await em.delete(PromptTestCase, { id: caseId });
    await this.audit.record({
      action: 'prompt.test_case_deleted',
      target: { type: 'prompt', id: promptId },
      changes: { testCaseId: caseId, name: row.name },
    });
  }

  /** Renders each case against the chosen version; failures are results, not errors. */
  async run(promptId: string, dto: RunTestCasesDto): Promise<TestRunResponseDto> {
    const prompt = await this.prompts.loadVisible(promptId);
    const snapshot = await this.prompts.resolveVersion(prompt, dto);
    const qb = this.transactions.manager
      .createQueryBuilder(PromptTestCase, 'c')
      .where('c.promptId = :promptId', { promptId })
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC');
    if (dto.caseIds) qb.andWhere('c.id IN (:...ids)', { ids: dto.caseIds });
    const cases = await qb.getMany();
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
      const expectationMet = c.expectedContains === null || rendered.includes(c.expectedContains);
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
                message: `the rendered prompt does not contain "${c.expectedContains}"`,
              },
            ],
      };
    });
    const passed = results.filter((r) => r.passed).length;
    return { version: snapshot.version, passed, failed: results.length - passed, results };
  }
}
