import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { ResolvedVersion } from '../prompts/prompt.model';
import type { Assertion, AssertionResult } from './assertions';
import { returned } from '../../database/returned-rows';

export type TestRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** The version a test run runs, as it was when the run was started. */
export type VersionSnapshot = Pick<ResolvedVersion, 'version' | 'content' | 'variables' | 'metadata'>;

/** A test case as it was when the run was started. */
export interface CaseSnapshot {
  id: string;
  name: string;
  variables: Record<string, unknown>;
  assertions: Assertion[];
}

/** A row of `test_runs` without its snapshots (lists). */
export interface TestRunSummaryRow {
  id: string;
  organization_id: string;
  prompt_id: string;
  version: number;
  label: string | null;
  models: string[];
  status: TestRunStatus;
  total: number;
  done: number;
  passed: boolean | null;
  error: string | null;
  claims: number;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** Sum of the results' cost, as numeric text. */
  cost_usd: string;
}

export interface TestRunRow extends TestRunSummaryRow {
  snapshot: VersionSnapshot;
  cases: CaseSnapshot[];
}

/** A row of `test_run_results` (`cost_usd` is numeric, hence text). */
export interface TestRunResultRow {
  id: string;
  test_run_id: string;
  test_case_id: string;
  test_case_name: string;
  position: number;
  model: string;
  run_id: string | null;
  passed: boolean;
  output: string;
  assertions: AssertionResult[];
  cost_usd: string;
  error: { code: string; detail: string } | null;
  created_at: Date;
}

export interface ResultInsert {
  organizationId: string;
  testRunId: string;
  testCaseId: string;
  testCaseName: string;
  position: number;
  model: string;
  runId: string | null;
  passed: boolean;
  output: string;
  assertions: AssertionResult[];
  costUsd: number;
  error: { code: string; detail: string } | null;
}

const SUMMARY = `t.id, t.organization_id, t.prompt_id, t.version, t.label, t.models, t.status, t.total, t.done,
  t.passed, t.error, t.claims, t.created_by, t.created_at, t.started_at, t.finished_at,
  (SELECT coalesce(sum(r.cost_usd), 0)::text FROM test_run_results r WHERE r.test_run_id = t.id) AS cost_usd`;
const FULL = `${SUMMARY}, t.snapshot, t.cases`;
const RESULT = `r.id, r.test_run_id, r.test_case_id, r.test_case_name, r.position, r.model, r.run_id, r.passed,
  r.output, r.assertions, r.cost_usd::text AS cost_usd, r.error, r.created_at`;

/**
 * Test runs and their results. Row-level security decides visibility (a test run is visible when
 * its prompt is; the resume sweeper works in system scope); the SQL filters, claims and pages.
 */
@Injectable()
export class TestRunsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async insert(v: {
    organizationId: string;
    promptId: string;
    version: number;
    label: string | null;
    models: string[];
    snapshot: VersionSnapshot;
    cases: CaseSnapshot[];
    createdBy: string;
  }): Promise<TestRunSummaryRow> {
    const [{ id }] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO test_runs (organization_id, prompt_id, version, label, models, snapshot, cases, total, created_by)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9) RETURNING id`,
      [
        v.organizationId,
        v.promptId,
        v.version,
        v.label,
        v.models,
        JSON.stringify(v.snapshot),
        JSON.stringify(v.cases),
        v.cases.length * v.models.length,
        v.createdBy,
      ],
    );
    return (await this.find(v.organizationId, id))!;
  }

  async find(organizationId: string, id: string): Promise<TestRunRow | undefined> {
    const [row] = await this.em.query<TestRunRow[]>(
      `SELECT ${FULL} FROM test_runs t WHERE t.organization_id = $1 AND t.id = $2`,
      [organizationId, id],
    );
    return row;
  }

  /** Newest first after a (created_at text, id) cursor; one row more than `limit`. */
  page(
    organizationId: string,
    promptId: string,
    limit: number,
    after?: { t: string; id: string },
  ): Promise<Array<TestRunSummaryRow & { cursor_key: string }>> {
    const params: unknown[] = [organizationId, promptId, limit + 1];
    if (after) params.push(after.t, after.id);
    return this.em.query(
      `SELECT ${SUMMARY}, t.created_at::text AS cursor_key FROM test_runs t
        WHERE t.organization_id = $1 AND t.prompt_id = $2
          ${after ? 'AND (t.created_at, t.id) < ($4::timestamptz, $5::uuid)' : ''}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $3`,
      params,
    );
  }

  /** The results, in case order then in the order of the run's models. */
  results(testRunId: string): Promise<TestRunResultRow[]> {
    return this.em.query(
      `SELECT ${RESULT}
         FROM test_run_results r JOIN test_runs t ON t.id = r.test_run_id
        WHERE r.test_run_id = $1
        ORDER BY r.position, array_position(t.models, r.model)`,
      [testRunId],
    );
  }

  /** The (case, model) pairs that have a result: a resumed job skips them. */
  async donePairs(testRunId: string): Promise<Set<string>> {
    const rows = await this.em.query<Array<{ test_case_id: string; model: string }>>(
      `SELECT test_case_id, model FROM test_run_results WHERE test_run_id = $1`,
      [testRunId],
    );
    return new Set(rows.map((r) => pairKey(r.test_case_id, r.model)));
  }

  /**
   * Takes the run for a worker for `leaseMs`: a queued one, or a running one whose lease expired
   * (its worker died). Undefined when it is finished or another worker holds it.
   */
  async claim(organizationId: string, id: string, leaseMs: number): Promise<TestRunRow | undefined> {
    const [row] = returned<{ id: string }>(
      await this.em.query(
        `UPDATE test_runs SET status = 'running', claims = claims + 1,
                lease_until = now() + make_interval(secs => $3::double precision / 1000),
                started_at = coalesce(started_at, now())
          WHERE organization_id = $1 AND id = $2 AND status IN ('queued', 'running')
            AND (lease_until IS NULL OR lease_until < now())
          RETURNING id`,
        [organizationId, id, leaseMs],
      ),
    );
    return row ? this.find(organizationId, id) : undefined;
  }

  /** Stores a pair's result (once: a repeated pair changes nothing) and extends the lease. */
  async addResult(v: ResultInsert, leaseMs: number): Promise<void> {
    await this.em.query(
      `INSERT INTO test_run_results (organization_id, test_run_id, test_case_id, test_case_name, position, model,
                                     run_id, passed, output, assertions, cost_usd, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT test_run_results_pair_key DO NOTHING`,
      [
        v.organizationId,
        v.testRunId,
        v.testCaseId,
        v.testCaseName,
        v.position,
        v.model,
        v.runId,
        v.passed,
        v.output,
        JSON.stringify(v.assertions),
        v.costUsd,
        v.error === null ? null : JSON.stringify(v.error),
      ],
    );
    await this.em.query(
      `UPDATE test_runs SET
              done = (SELECT count(*) FROM test_run_results WHERE test_run_id = $1),
              lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = $1`,
      [v.testRunId, leaseMs],
    );
  }

  /** Holds the run `leaseMs` longer from now (before a pair waits out a provider's rate limit). */
  async extendLease(id: string, leaseMs: number): Promise<void> {
    await this.em.query(
      `UPDATE test_runs SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = $1 AND status = 'running'`,
      [id, leaseMs],
    );
  }

  /** Lets another worker take the run at once (after an unexpected failure of this one). */
  async release(id: string): Promise<void> {
    await this.em.query(`UPDATE test_runs SET lease_until = NULL WHERE id = $1 AND status = 'running'`, [id]);
  }

  /** Ends the run: `done` with whether every result passed, or `failed` with why. */
  async finish(id: string, outcome: { status: 'done' | 'failed'; error?: string }): Promise<void> {
    await this.em.query(
      `UPDATE test_runs SET status = $2, error = $3, lease_until = NULL, finished_at = now(),
              done = (SELECT count(*) FROM test_run_results WHERE test_run_id = $1),
              passed = CASE WHEN $2 = 'done'
                            THEN NOT EXISTS (SELECT 1 FROM test_run_results WHERE test_run_id = $1 AND NOT passed)
                            ELSE false END
        WHERE id = $1`,
      [id, outcome.status, outcome.error ?? null],
    );
  }

  /**
   * Unfinished runs no worker holds (system scope): queued ones whose enqueue is older than
   * `graceMs` (lost, or the process ended), running ones whose lease expired.
   */
  stalled(graceMs: number, limit: number): Promise<Array<{ id: string; organization_id: string }>> {
    return this.em.query(
      `SELECT id, organization_id FROM test_runs
        WHERE status IN ('queued', 'running')
          AND (lease_until < now()
               OR (lease_until IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)))
        ORDER BY created_at LIMIT $2`,
      [graceMs, limit],
    );
  }

  /** The version's last finished (`done`) test run. */
  async lastFinished(
    promptId: string,
    version: number,
  ): Promise<{ id: string; passed: boolean } | undefined> {
    const [row] = await this.em.query<Array<{ id: string; passed: boolean }>>(
      `SELECT id, passed FROM test_runs WHERE prompt_id = $1 AND version = $2 AND status = 'done'
        ORDER BY finished_at DESC, id DESC LIMIT 1`,
      [promptId, version],
    );
    return row;
  }
}

export const pairKey = (testCaseId: string, model: string) => `${testCaseId} ${model}`;
