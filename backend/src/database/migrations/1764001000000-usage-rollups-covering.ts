import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's reads of the daily rollups as index-only scans (issue 13, docs/benchmarks.md
 * "Usage analytics").
 *
 * Rollup rows are upserted as usage arrives, so one organization's rows of a year lie on thousands
 * of heap pages shared with every other organization: a 12-month summary of one organization read
 * ~10,000 rows from ~8,500 pages (260 ms on the benchmark's 10 million events). This index holds
 * every column the analytics queries read, in (organization, day) order, so those queries read a
 * few hundred contiguous index pages instead (23 ms for the same query). Past days no longer change,
 * so their pages stay all-visible and need no heap visit. The hourly rollups (ranges not aligned to
 * midnight) are left as they are: they are read for short ranges only.
 */
export class UsageRollupsCovering1764001000000 implements MigrationInterface {
  name = 'UsageRollupsCovering1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX IF NOT EXISTS usage_rollups_daily_covering ON usage_rollups_daily (organization_id, bucket)
        INCLUDE (prompt_id, model, user_id, fetches, renders, views, searches, runs, calls, evaluations,
                 errors, input_tokens, output_tokens, cost_usd, cost_unknown, latency_ms_sum)
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS usage_rollups_daily_covering`);
  }
}
