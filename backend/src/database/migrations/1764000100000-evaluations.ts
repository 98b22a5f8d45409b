import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Evaluations (issue 12, item 6): the AI evaluator's scores of a prompt version (and of an output,
 * given or taken from a run), the server's excellence decision, the shaped feedback, and what the
 * call cost (usage at catalogue prices, the evaluator model, its key).
 *
 * Visibility follows the prompt, like runs: an evaluation is visible exactly when its prompt is.
 * A deleted prompt leaves its evaluations (prompt_id set to NULL, then visible to no member) so
 * they still count toward the plan's monthly allowance: `app_evaluation_count_this_month()`
 * counts every evaluation of the current organization since the start of the calendar month (UTC),
 * those of private prompts of other authors and of deleted prompts included.
 */
export class Evaluations1764000100000 implements MigrationInterface {
  name = 'Evaluations1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid REFERENCES prompts (id) ON DELETE SET NULL,
        version integer NOT NULL CHECK (version >= 1),
        run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
        output text,
        relevance numeric(3, 2) NOT NULL CHECK (relevance BETWEEN 1 AND 5),
        clarity numeric(3, 2) NOT NULL CHECK (clarity BETWEEN 1 AND 5),
        depth numeric(3, 2) NOT NULL CHECK (depth BETWEEN 1 AND 5),
        creativity numeric(3, 2) NOT NULL CHECK (creativity BETWEEN 1 AND 5),
        robustness numeric(3, 2) NOT NULL CHECK (robustness BETWEEN 1 AND 5),
        overall numeric(3, 2) NOT NULL CHECK (overall BETWEEN 1 AND 5),
        excellent boolean NOT NULL,
        feedback jsonb NOT NULL,
        evaluator_model text NOT NULL CHECK (char_length(evaluator_model) BETWEEN 1 AND 200),
        provider text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openai-compatible')),
        provider_key_id uuid REFERENCES provider_keys (id) ON DELETE SET NULL,
        input_tokens integer NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens integer NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_usd numeric(18, 10) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        latency_ms integer NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX evaluations_org_created_idx ON evaluations (organization_id, created_at);
      CREATE INDEX evaluations_prompt_created_idx ON evaluations (prompt_id, created_at DESC, id DESC)
        WHERE prompt_id IS NOT NULL;
      CREATE INDEX evaluations_run_idx ON evaluations (run_id) WHERE run_id IS NOT NULL;
      CREATE INDEX evaluations_provider_key_idx ON evaluations (provider_key_id) WHERE provider_key_id IS NOT NULL;
      CREATE INDEX evaluations_created_by_idx ON evaluations (created_by) WHERE created_by IS NOT NULL;
      ${tenantTableSql('evaluations', { grants: 'SELECT, INSERT', alsoVisibleWhen: 'app_is_system()' })}
      CREATE POLICY evaluations_prompt_visible ON evaluations AS RESTRICTIVE
        USING (
          app_is_system()
          OR (prompt_id IS NOT NULL AND EXISTS (SELECT 1 FROM prompts p WHERE p.id = evaluations.prompt_id))
        );

      CREATE FUNCTION app_evaluation_count_this_month() RETURNS bigint
        LANGUAGE sql STABLE SET app.system = 'on'
        AS $$ SELECT count(*) FROM evaluations
               WHERE organization_id = app_org_id()
                 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;
      GRANT EXECUTE ON FUNCTION app_evaluation_count_this_month() TO vault_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION app_evaluation_count_this_month();
      DROP TABLE evaluations;
    `);
  }
}
