import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { Assertion } from '../test-runs/assertions';
import { returned } from '../../database/returned-rows';

/** A row of `prompt_test_cases`: the one definition of a test case's shape. */
export interface TestCaseRow {
  id: string;
  prompt_id: string;
  name: string;
  variables: Record<string, unknown>;
  expected_contains: string | null;
  /** The checks a test run applies to each output (modules/test-runs/assertions.ts). */
  assertions: Assertion[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Columns a change may set. */
export type TestCaseChange = Partial<
  Pick<TestCaseRow, 'name' | 'variables' | 'expected_contains' | 'assertions'>
>;

const COLUMNS =
  'id, prompt_id, name, variables, expected_contains, assertions, created_by, created_at, updated_at';

/** Saved test cases of prompts. */
@Injectable()
export class TestCasesRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Oldest first after a (created_at text, id) cursor; one row more than `limit`. The cursor keeps
   * the database's own text of created_at: a JS Date would drop microseconds.
   */
  page(
    promptId: string,
    limit: number,
    after?: { t: string; id: string },
  ): Promise<Array<TestCaseRow & { cursor_key: string }>> {
    const params: unknown[] = [promptId, limit + 1];
    if (after) params.push(after.t, after.id);
    return this.em.query(
      `SELECT ${COLUMNS}, created_at::text AS cursor_key
         FROM prompt_test_cases WHERE prompt_id = $1
          ${after ? 'AND (created_at, id) > ($3::timestamptz, $4::uuid)' : ''}
        ORDER BY created_at, id LIMIT $2`,
      params,
    );
  }

  /** The prompt's cases (or only `ids` of them), oldest first. */
  all(promptId: string, ids?: string[]): Promise<TestCaseRow[]> {
    return this.em.query(
      `SELECT ${COLUMNS} FROM prompt_test_cases WHERE prompt_id = $1
          ${ids ? 'AND id = ANY($2::uuid[])' : ''}
        ORDER BY created_at, id`,
      ids ? [promptId, ids] : [promptId],
    );
  }

  async find(promptId: string, id: string): Promise<TestCaseRow | undefined> {
    const [row] = await this.em.query<TestCaseRow[]>(
      `SELECT ${COLUMNS} FROM prompt_test_cases WHERE id = $1 AND prompt_id = $2`,
      [id, promptId],
    );
    return row;
  }

  async insert(values: {
    organizationId: string;
    promptId: string;
    name: string;
    variables: Record<string, unknown>;
    expectedContains: string | null;
    assertions: Assertion[];
    createdBy: string;
  }): Promise<TestCaseRow> {
    const [row] = await this.em.query<TestCaseRow[]>(
      `INSERT INTO prompt_test_cases (organization_id, prompt_id, name, variables, expected_contains, assertions, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        values.organizationId,
        values.promptId,
        values.name,
        JSON.stringify(values.variables),
        values.expectedContains,
        JSON.stringify(values.assertions),
        values.createdBy,
      ],
    );
    return row;
  }

  async update(id: string, change: TestCaseChange): Promise<TestCaseRow> {
    const columns = Object.keys(change) as Array<keyof TestCaseChange>;
    const values = columns.map((c) =>
      c === 'variables' || c === 'assertions' ? JSON.stringify(change[c]) : change[c],
    );
    const [row] = returned<TestCaseRow>(
      await this.em.query(
        `UPDATE prompt_test_cases SET ${[...columns.map((c, i) => `${c} = $${i + 2}`), 'updated_at = now()'].join(', ')}
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, ...values],
      ),
    );
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.em.query(`DELETE FROM prompt_test_cases WHERE id = $1`, [id]);
  }
}
