import { MigrationInterface, QueryRunner } from 'typeorm';
import { MODEL_CATALOGUE, PRICES_AS_OF } from '../../modules/playground/models.catalogue';
import { tenantTableSql } from '../tenancy/rls';

const ROLLUP_COLUMNS = `
        fetches bigint NOT NULL DEFAULT 0,
        renders bigint NOT NULL DEFAULT 0,
        views bigint NOT NULL DEFAULT 0,
        searches bigint NOT NULL DEFAULT 0,
        runs bigint NOT NULL DEFAULT 0,
        calls bigint NOT NULL DEFAULT 0,
        evaluations bigint NOT NULL DEFAULT 0,
        errors bigint NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        cost_usd numeric(24, 10) NOT NULL DEFAULT 0,
        cost_unknown bigint NOT NULL DEFAULT 0,
        latency_ms_sum bigint NOT NULL DEFAULT 0`;

const rollupTable = (name: string) => `
      CREATE TABLE ${name} (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        bucket timestamptz NOT NULL,
        prompt_id uuid,
        model text,
        user_id uuid,${ROLLUP_COLUMNS},
        CONSTRAINT ${name}_key UNIQUE NULLS NOT DISTINCT (organization_id, bucket, prompt_id, model, user_id)
      );
      CREATE INDEX ${name}_prompt_idx ON ${name} (organization_id, prompt_id, bucket) WHERE prompt_id IS NOT NULL;
      ${tenantTableSql(name, { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'app_is_system()' })}`;

/**
 * Usage analytics (issue 13, docs/analytics.md).
 *
 * - `model_prices`: dated list prices (reference data, no tenant): the price of a model at a time
 *   is the row with the latest `effective_from` not after it. Seeded from the model catalogue; a
 *   price change adds a row, so events already priced keep their cost.
 * - `usage_events`: raw events, declaratively partitioned by month on `occurred_at`. RLS is
 *   enabled and forced on the parent; `vault_app` has grants on the parent only, so partitions are
 *   reached through it (and its policies) or not at all. Partitions are created ahead by
 *   `app_usage_ensure_partitions` (SECURITY DEFINER: the runtime role cannot create tables) and
 *   emptied old ones dropped by `app_usage_drop_empty_partitions`.
 * - `usage_rollups_hourly` / `usage_rollups_daily`: organization × bucket × prompt × model × user,
 *   upserted in the statement that inserts the raw events; queries read these. Kept forever.
 * - `usage_idempotency_keys`: client idempotency keys of `POST /usage` per organization (a unique
 *   index on the partitioned table would have to include `occurred_at`).
 * - `budgets`, `budget_notifications` (a threshold crossed once per month), `usage_report_deliveries`
 *   (the monthly report sent once per month).
 */
export class Analytics1764000300000 implements MigrationInterface {
  name = 'Analytics1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_prices (
        model text NOT NULL CHECK (char_length(model) BETWEEN 1 AND 200),
        effective_from timestamptz NOT NULL,
        input_per_mtok_usd numeric(18, 6) NOT NULL CHECK (input_per_mtok_usd >= 0),
        output_per_mtok_usd numeric(18, 6) NOT NULL CHECK (output_per_mtok_usd >= 0),
        PRIMARY KEY (model, effective_from)
      );
      GRANT SELECT ON model_prices TO vault_app;

      CREATE TABLE usage_events (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        occurred_at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('fetch', 'render', 'view', 'search', 'run', 'call', 'evaluation')),
        quantity integer NOT NULL DEFAULT 1 CHECK (quantity >= 1),
        prompt_id uuid,
        version integer,
        label text,
        model text,
        user_id uuid,
        api_key_id uuid,
        input_tokens bigint NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens bigint NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_usd numeric(24, 10) CHECK (cost_usd >= 0),
        cost_source text CHECK (cost_source IN ('catalogue', 'client')),
        unknown_model boolean NOT NULL DEFAULT false,
        latency_ms integer CHECK (latency_ms >= 0),
        status text CHECK (status IN ('success', 'error')),
        idempotency_key text,
        metadata jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, occurred_at)
      ) PARTITION BY RANGE (occurred_at);
      CREATE INDEX usage_events_org_time_idx ON usage_events (organization_id, occurred_at);
      ${tenantTableSql('usage_events', { grants: 'SELECT, INSERT, DELETE', alsoVisibleWhen: 'app_is_system()' })}

      -- Monthly partitions [from, to): created when missing, each with RLS on (no grants to vault_app).
      CREATE FUNCTION app_usage_ensure_partitions(from_month date, to_month date) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        m date := date_trunc('month', from_month)::date;
        part text;
        created integer := 0;
      BEGIN
        IF to_month > from_month + interval '10 years' THEN
          RAISE EXCEPTION 'too many partitions asked for';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('usage_events_partitions'));
        WHILE m < to_month LOOP
          part := format('usage_events_%s', to_char(m, 'YYYY_MM'));
          IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
                           part, (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
            created := created + 1;
          END IF;
          m := (m + interval '1 month')::date;
        END LOOP;
        RETURN created;
      END $$;
      REVOKE ALL ON FUNCTION app_usage_ensure_partitions(date, date) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_usage_ensure_partitions(date, date) TO vault_app;

      -- Drops partitions that end before \`before\` and hold no rows any more (retention deleted them).
      CREATE FUNCTION app_usage_drop_empty_partitions(before date) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        r record;
        upper_bound timestamptz;
        has_rows boolean;
        dropped integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('usage_events_partitions'));
        FOR r IN SELECT c.oid::regclass AS part, pg_get_expr(c.relpartbound, c.oid) AS bound
                   FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  WHERE i.inhparent = 'usage_events'::regclass LOOP
          upper_bound := substring(r.bound from 'TO \\(''([^'']+)''\\)')::timestamptz;
          CONTINUE WHEN upper_bound IS NULL OR upper_bound > before;
          EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', r.part) INTO has_rows;
          CONTINUE WHEN has_rows;
          EXECUTE format('DROP TABLE %s', r.part);
          dropped := dropped + 1;
        END LOOP;
        RETURN dropped;
      END $$;
      REVOKE ALL ON FUNCTION app_usage_drop_empty_partitions(date) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_usage_drop_empty_partitions(date) TO vault_app;

      ${rollupTable('usage_rollups_hourly')}
      ${rollupTable('usage_rollups_daily')}

      CREATE TABLE usage_idempotency_keys (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 200),
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, key)
      );
      CREATE INDEX usage_idempotency_keys_age_idx ON usage_idempotency_keys (organization_id, occurred_at);
      ${tenantTableSql('usage_idempotency_keys', { grants: 'SELECT, INSERT, DELETE', alsoVisibleWhen: 'app_is_system()' })}

      CREATE TABLE budgets (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        monthly_limit_usd numeric(14, 2) NOT NULL CHECK (monthly_limit_usd > 0),
        thresholds integer[] NOT NULL DEFAULT '{50,80,100}',
        hard_stop boolean NOT NULL DEFAULT false,
        monthly_report boolean NOT NULL DEFAULT false,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${tenantTableSql('budgets', { grants: 'SELECT, INSERT, UPDATE, DELETE', alsoVisibleWhen: 'app_is_system()' })}

      CREATE TABLE budget_notifications (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        month date NOT NULL,
        threshold integer NOT NULL,
        spent_usd numeric(24, 10) NOT NULL,
        notified_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, month, threshold)
      );
      ${tenantTableSql('budget_notifications', { grants: 'SELECT, INSERT' })}

      CREATE TABLE usage_report_deliveries (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        month date NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, month)
      );
      ${tenantTableSql('usage_report_deliveries', { grants: 'SELECT, INSERT' })}
    `);
    for (const m of MODEL_CATALOGUE) {
      await q.query(
        `INSERT INTO model_prices (model, effective_from, input_per_mtok_usd, output_per_mtok_usd)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [m.id, PRICES_AS_OF, m.inputPerMTokUsd, m.outputPerMTokUsd],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE usage_report_deliveries; DROP TABLE budget_notifications; DROP TABLE budgets;
      DROP TABLE usage_idempotency_keys; DROP TABLE usage_rollups_daily; DROP TABLE usage_rollups_hourly;
      DROP FUNCTION app_usage_drop_empty_partitions(date); DROP FUNCTION app_usage_ensure_partitions(date, date);
      DROP TABLE usage_events; DROP TABLE model_prices;
    `);
  }
}
