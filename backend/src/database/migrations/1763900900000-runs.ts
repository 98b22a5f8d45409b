import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Runs (issue 12): every call the playground made to a model provider, with what was sent (the
 * rendered input and the variables), what came back, the usage the provider reported, its cost
 * at catalogue prices, latency, outcome and who ran it.
 *
 * Visibility: a run of a prompt is visible exactly when the prompt is (prompts' own policies,
 * private ones included, apply inside the sub-select, as for versions and comments); a run without
 * a prompt (unsaved playground content, or a prompt deleted since: `ON DELETE SET NULL`) only to
 * the member who ran it. System work (`app_is_system()`) sees all of them.
 */
export class Runs1763900900000 implements MigrationInterface {
  name = 'Runs1763900900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid REFERENCES prompts (id) ON DELETE SET NULL,
        version integer,
        model text NOT NULL CHECK (char_length(model) BETWEEN 1 AND 200),
        provider text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openai-compatible')),
        provider_key_id uuid REFERENCES provider_keys (id) ON DELETE SET NULL,
        variables jsonb NOT NULL DEFAULT '{}'::jsonb,
        input text NOT NULL,
        output text NOT NULL DEFAULT '',
        input_tokens integer NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens integer NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_usd numeric(18, 10) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        latency_ms integer NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
        status text NOT NULL CHECK (status IN ('success', 'error', 'canceled')),
        error jsonb,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX runs_org_created_idx ON runs (organization_id, created_at DESC, id DESC);
      CREATE INDEX runs_org_prompt_created_idx ON runs (organization_id, prompt_id, created_at DESC, id DESC)
        WHERE prompt_id IS NOT NULL;
      CREATE INDEX runs_prompt_idx ON runs (prompt_id) WHERE prompt_id IS NOT NULL;
      CREATE INDEX runs_provider_key_idx ON runs (provider_key_id) WHERE provider_key_id IS NOT NULL;
      ${tenantTableSql('runs', {
        grants: 'SELECT, INSERT',
        alsoVisibleWhen: 'app_is_system()',
      })}
      CREATE POLICY runs_prompt_visible ON runs AS RESTRICTIVE
        USING (
          app_is_system()
          OR CASE WHEN prompt_id IS NULL THEN created_by = app_user_id()
                  ELSE EXISTS (SELECT 1 FROM prompts p WHERE p.id = runs.prompt_id) END
        );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE runs;`);
  }
}
