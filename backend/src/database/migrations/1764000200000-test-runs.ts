import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Test runs (issue 12, item 5): a prompt version's saved test cases run across models as a queued
 * job, with one result per case × model; and the assertions a test case checks outputs with.
 *
 * - `prompt_test_cases.assertions`: the case's assertions (docs/playground.md, "Test runs").
 * - `test_runs`: what to run (the version's content and the cases as they were when the run was
 *   started, so a run is repeatable and resumable whatever changes meanwhile), its status, its
 *   lease (the worker holding it; an expired lease lets another worker resume it) and the outcome.
 * - `test_run_results`: one row per case × model, unique, so a resumed job skips what is done.
 *
 * Visibility like runs: exactly when the prompt is visible; system work (the resume sweeper)
 * sees every organization's test runs.
 */
export class TestRuns1764000200000 implements MigrationInterface {
  name = 'TestRuns1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE prompt_test_cases ADD COLUMN assertions jsonb NOT NULL DEFAULT '[]'::jsonb;

      CREATE TABLE test_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        version integer NOT NULL,
        label text,
        models text[] NOT NULL CHECK (cardinality(models) BETWEEN 1 AND 10),
        snapshot jsonb NOT NULL,
        cases jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        total integer NOT NULL CHECK (total >= 0),
        done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
        passed boolean,
        error text,
        claims integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      );
      CREATE INDEX test_runs_prompt_created_idx ON test_runs (prompt_id, created_at DESC, id DESC);
      CREATE INDEX test_runs_prompt_version_finished_idx ON test_runs (prompt_id, version, finished_at DESC)
        WHERE status = 'done';
      CREATE INDEX test_runs_unfinished_idx ON test_runs (lease_until) WHERE status IN ('queued', 'running');
      ${tenantTableSql('test_runs', { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'app_is_system()' })}
      CREATE POLICY test_runs_prompt_visible ON test_runs AS RESTRICTIVE
        USING (app_is_system() OR EXISTS (SELECT 1 FROM prompts p WHERE p.id = test_runs.prompt_id));

      CREATE TABLE test_run_results (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        test_run_id uuid NOT NULL REFERENCES test_runs (id) ON DELETE CASCADE,
        test_case_id uuid NOT NULL,
        test_case_name text NOT NULL,
        position integer NOT NULL,
        model text NOT NULL,
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        passed boolean NOT NULL,
        output text NOT NULL DEFAULT '',
        assertions jsonb NOT NULL DEFAULT '[]'::jsonb,
        cost_usd numeric(18, 10) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT test_run_results_pair_key UNIQUE (test_run_id, test_case_id, model)
      );
      CREATE INDEX test_run_results_run_idx ON test_run_results (run_id) WHERE run_id IS NOT NULL;
      ${tenantTableSql('test_run_results', { grants: 'SELECT, INSERT' })}
      CREATE POLICY test_run_results_visible ON test_run_results AS RESTRICTIVE
        USING (EXISTS (SELECT 1 FROM test_runs r WHERE r.id = test_run_results.test_run_id));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE test_run_results;
      DROP TABLE test_runs;
      ALTER TABLE prompt_test_cases DROP COLUMN assertions;
    `);
  }
}
