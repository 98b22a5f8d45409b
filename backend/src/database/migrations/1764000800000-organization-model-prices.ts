import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Per-organization model prices (issue 12, docs/playground.md "Prices").
 *
 * - `organization_model_prices`: an organization's own price for a model id (a catalogue model or
 *   any OpenAI-compatible model name), dated like `model_prices`: a change adds a row effective
 *   from then, and a removal adds a row without prices (back to the catalogue from then on). Rows
 *   are never changed afterwards, so the price in force at any past time stays answerable.
 * - `app_model_price(org, model, at)`: the one answer to "price of model M for organization O at
 *   time T": the organization's row in force at T when it has prices, else the `model_prices` row
 *   in force at T, else nothing. SECURITY INVOKER: row-level security still decides which
 *   organization's rows are seen. Usage costing (`usage.sql.ts`), estimates, runs, evaluations
 *   and `GET /models` all read prices through it.
 * - `usage_events.cost_source` gains `organization` (priced from the organization's own price).
 */
export class OrganizationModelPrices1764000800000 implements MigrationInterface {
  name = 'OrganizationModelPrices1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization_model_prices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        model text NOT NULL CHECK (char_length(model) BETWEEN 1 AND 200),
        effective_from timestamptz NOT NULL DEFAULT now(),
        input_per_mtok_usd numeric(18, 6) CHECK (input_per_mtok_usd BETWEEN 0 AND 1000000),
        output_per_mtok_usd numeric(18, 6) CHECK (output_per_mtok_usd BETWEEN 0 AND 1000000),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT organization_model_prices_both
          CHECK ((input_per_mtok_usd IS NULL) = (output_per_mtok_usd IS NULL)),
        CONSTRAINT organization_model_prices_key UNIQUE (organization_id, model, effective_from)
      );
      ${tenantTableSql('organization_model_prices', { grants: 'SELECT, INSERT, UPDATE' })}

      CREATE FUNCTION app_model_price(org uuid, model_id text, at timestamptz)
        RETURNS TABLE (input_per_mtok_usd numeric, output_per_mtok_usd numeric, source text,
                       effective_from timestamptz)
        LANGUAGE sql STABLE AS $$
        SELECT p.input_per_mtok_usd, p.output_per_mtok_usd, p.source, p.effective_from FROM (
          (SELECT o.input_per_mtok_usd, o.output_per_mtok_usd, 'organization'::text AS source,
                  o.effective_from, 0 AS rank
             FROM organization_model_prices o
            WHERE o.organization_id = org AND o.model = model_id AND o.effective_from <= at
            ORDER BY o.effective_from DESC LIMIT 1)
          UNION ALL
          (SELECT c.input_per_mtok_usd, c.output_per_mtok_usd, 'catalogue'::text, c.effective_from, 1
             FROM model_prices c
            WHERE c.model = model_id AND c.effective_from <= at
            ORDER BY c.effective_from DESC LIMIT 1)
        ) p
        WHERE p.input_per_mtok_usd IS NOT NULL
        ORDER BY p.rank
        LIMIT 1
      $$;
      REVOKE ALL ON FUNCTION app_model_price(uuid, text, timestamptz) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_model_price(uuid, text, timestamptz) TO vault_app;

      ALTER TABLE usage_events DROP CONSTRAINT usage_events_cost_source_check;
      ALTER TABLE usage_events ADD CONSTRAINT usage_events_cost_source_check
        CHECK (cost_source IN ('catalogue', 'client', 'organization'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE usage_events SET cost_source = 'catalogue' WHERE cost_source = 'organization';
      ALTER TABLE usage_events DROP CONSTRAINT usage_events_cost_source_check;
      ALTER TABLE usage_events ADD CONSTRAINT usage_events_cost_source_check
        CHECK (cost_source IN ('catalogue', 'client'));
      DROP FUNCTION app_model_price(uuid, text, timestamptz);
      DROP TABLE organization_model_prices;
    `);
  }
}
