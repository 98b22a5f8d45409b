import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

const COUNTERS = `fetches, renders, views, searches, runs, calls, evaluations, errors, input_tokens,
                  output_tokens, cost_usd, cost_unknown, latency_ms_sum`;

const orgRollupTable = (name: string) => `
      CREATE TABLE ${name} (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        bucket timestamptz NOT NULL,
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
        user_ids uuid[] NOT NULL DEFAULT '{}',
        CONSTRAINT ${name}_key PRIMARY KEY (organization_id, bucket)
      );
      ${tenantTableSql(name, { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'app_is_system()' })}`;

/** Sums `source` (the daily or monthly rollups) into the organization rollups `target`. */
export const orgRollupBackfillSql = (target: string, source: string) => `
      INSERT INTO ${target} (organization_id, bucket, ${COUNTERS}, user_ids)
      SELECT organization_id, bucket,
             sum(fetches), sum(renders), sum(views), sum(searches), sum(runs), sum(calls), sum(evaluations),
             sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd), sum(cost_unknown),
             sum(latency_ms_sum),
             coalesce(array_agg(DISTINCT user_id ORDER BY user_id) FILTER (WHERE user_id IS NOT NULL), '{}')
        FROM ${source}
       GROUP BY 1, 2
       ORDER BY 1, 2`;

/**
 * Organization rollups (issue 13, docs/analytics.md "Storage", docs/benchmarks.md "Usage
 * analytics").
 *
 * `usage_rollups_org_daily` and `usage_rollups_org_monthly`: one row per organization × day (month)
 * with the counters of the other rollups and no prompt, model or user dimension, plus `user_ids`,
 * the distinct users with usage in the bucket (sorted), so the number of active users over any
 * union of buckets is a `count(DISTINCT)` of their elements (distinct counts cannot be summed).
 * They are upserted by the statement that inserts the raw events (`usage.sql.ts`), like the
 * others. Dashboard queries that are not grouped by prompt, model, user, category or collection
 * (summary totals, usage over time) read ~12 monthly rows and the edge days of one organization
 * instead of its thousands of per-prompt × model × user rows.
 *
 * Backfill: each day from the daily rollups, each month from the monthly rollups; both are locked
 * against writes (SHARE) until this transaction commits, so no ingestion commits a row the
 * backfill did not see.
 */
export class UsageRollupsOrganization1764001300000 implements MigrationInterface {
  name = 'UsageRollupsOrganization1764001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`${orgRollupTable('usage_rollups_org_daily')}
      ${orgRollupTable('usage_rollups_org_monthly')}`);
    await q.query(`LOCK TABLE usage_rollups_daily, usage_rollups_monthly IN SHARE MODE`);
    // The tables' RLS is forced: the backfill reads every organization's rows as the system.
    const [{ was }] = (await q.query(
      `SELECT coalesce(current_setting('app.system', true), '') AS was`,
    )) as Array<{ was: string }>;
    await q.query(`SELECT set_config('app.system', 'on', true)`);
    await q.query(orgRollupBackfillSql('usage_rollups_org_daily', 'usage_rollups_daily'));
    await q.query(orgRollupBackfillSql('usage_rollups_org_monthly', 'usage_rollups_monthly'));
    await q.query(`SELECT set_config('app.system', $1, true)`, [was]);
    await q.query(`ANALYZE usage_rollups_org_daily; ANALYZE usage_rollups_org_monthly`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE IF EXISTS usage_rollups_org_monthly; DROP TABLE IF EXISTS usage_rollups_org_daily`,
    );
  }
}
