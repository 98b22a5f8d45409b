import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

const COUNTERS = `fetches, renders, views, searches, runs, calls, evaluations, errors, input_tokens,
                  output_tokens, cost_usd, cost_unknown, latency_ms_sum`;

/**
 * Monthly usage rollups (issue 13, docs/analytics.md "Storage", docs/benchmarks.md "Usage
 * analytics").
 *
 * `usage_rollups_monthly` has the key of the hourly and daily rollups (organization × month ×
 * prompt × model × user) and is upserted by the same statement that inserts the raw events
 * (`usage.sql.ts`). Dashboard queries over long periods read whole months from it and only the
 * partial months at the edges from the daily (or hourly) rollups: a 12-month top-prompts query read
 * one organization's ~10,000 daily rows, it now reads a few thousand monthly rows and the edge days.
 *
 * The unique key INCLUDEs every counter, so the queries are index-only scans of the key in
 * (organization, month) order and the upsert maintains a single index.
 *
 * Backfill: the months are summed from the daily rollups (which hold every event since the
 * analytics migration). The daily rollups are locked against writes (SHARE) for the duration of
 * this transaction so that no ingestion commits a daily row the backfill did not see.
 */
export class UsageRollupsMonthly1764001100000 implements MigrationInterface {
  name = 'UsageRollupsMonthly1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_rollups_monthly (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        bucket timestamptz NOT NULL,
        prompt_id uuid,
        model text,
        user_id uuid,
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
        latency_ms_sum bigint NOT NULL DEFAULT 0,
        CONSTRAINT usage_rollups_monthly_key UNIQUE NULLS NOT DISTINCT (organization_id, bucket, prompt_id, model, user_id)
          INCLUDE (${COUNTERS})
      );
      ${tenantTableSql('usage_rollups_monthly', { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'app_is_system()' })}
    `);
    await q.query(`LOCK TABLE usage_rollups_daily IN SHARE MODE`);
    // The tables' RLS is forced: the backfill reads every organization's rows as the system.
    const [{ was }] = (await q.query(
      `SELECT coalesce(current_setting('app.system', true), '') AS was`,
    )) as Array<{
      was: string;
    }>;
    await q.query(`SELECT set_config('app.system', 'on', true)`);
    await q.query(`
      INSERT INTO usage_rollups_monthly (organization_id, bucket, prompt_id, model, user_id, ${COUNTERS})
      SELECT organization_id, date_trunc('month', bucket, 'UTC'), prompt_id, model, user_id,
             sum(fetches), sum(renders), sum(views), sum(searches), sum(runs), sum(calls), sum(evaluations),
             sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd), sum(cost_unknown),
             sum(latency_ms_sum)
        FROM usage_rollups_daily
       GROUP BY 1, 2, 3, 4, 5
       ORDER BY 1, 2, 3, 4, 5
    `);
    await q.query(`SELECT set_config('app.system', $1, true)`, [was]);
    await q.query(`ANALYZE usage_rollups_monthly`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS usage_rollups_monthly`);
  }
}
