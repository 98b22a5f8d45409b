import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** What a figure sums, as an expression over a rollup row `r`. */
export const METRIC_SQL = {
  runs: '(r.runs + r.calls + r.evaluations)',
  fetches: 'r.fetches',
  renders: 'r.renders',
  uses: '(r.renders + r.runs + r.calls + r.evaluations)',
  tokens: '(r.input_tokens + r.output_tokens)',
  cost: 'r.cost_usd',
} as const;
export type Metric = keyof typeof METRIC_SQL;

/**
 * How rows are grouped: the rollup column rows are first summed by (`raw`), then the key and its
 * label, with the joins they need (joined after that first sum, once per distinct `raw` value).
 */
export const DIMENSION_SQL = {
  model: { raw: 'model', key: `coalesce(r.model, '')`, label: `coalesce(r.model, '')`, join: '' },
  prompt: {
    raw: 'prompt_id',
    key: `coalesce(p.id::text, '')`,
    label: `coalesce(p.title, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id',
  },
  category: {
    raw: 'prompt_id',
    key: `coalesce(c.id::text, '')`,
    label: `coalesce(c.name, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id LEFT JOIN categories c ON c.id = p.category_id',
  },
  collection: {
    raw: 'prompt_id',
    key: `coalesce(k.id::text, '')`,
    label: `coalesce(k.name, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id LEFT JOIN collections k ON k.id = p.collection_id',
  },
  user: {
    raw: 'user_id',
    key: `coalesce(u.id::text, '')`,
    label: `coalesce(u.name, '')`,
    join: 'LEFT JOIN users u ON u.id = r.user_id',
  },
} as const;
export type Dimension = keyof typeof DIMENSION_SQL;

export interface Range {
  from: Date;
  to: Date;
}

/** The counters the queries read (the organization rollups have no other columns but the bucket). */
const ORG_COUNTERS = `fetches, renders, runs, calls, evaluations, input_tokens, output_tokens, cost_usd, cost_unknown`;

/** The rollup columns the queries read. */
const COLUMNS = `bucket, prompt_id, model, user_id, fetches, renders, runs, calls, evaluations,
                 input_tokens, output_tokens, cost_usd, cost_unknown`;

const DAY_MS = 86_400_000;
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

/**
 * The rows of a range as `r`, for statements whose parameters start with
 * `$1 organization, $2 from, $3 to, $4 start, $5 end` (`RollupSource.params`): the whole months
 * [start, end) from the monthly rollups, the edges [from, start) and [end, to) from the daily
 * rollups when the range starts and ends at UTC midnight, else from the hourly ones. Without a
 * whole month inside the range, start = end = to (the monthly and second edge scans are empty), so
 * each statement has one text whatever the range (prepared once per connection). Each branch is an
 * index-only scan in (organization, bucket) order.
 */
export interface RollupSource {
  sql: string;
  params: [string, Date, Date, Date, Date];
}

export interface TotalsRow {
  runs: number;
  fetches: number;
  renders: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cost_unknown: number;
  active_users: number;
  prompts_created: number;
}

/** Reads of the usage rollups (docs/analytics.md, "Storage" and "Queries"). */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em() {
    return this.transactions.manager;
  }

  /** The daily rollups when the range starts and ends at UTC midnight, else the hourly ones. */
  static table(range: Range): string {
    const midnight = (d: Date) => d.getTime() % DAY_MS === 0;
    return midnight(range.from) && midnight(range.to) ? 'usage_rollups_daily' : 'usage_rollups_hourly';
  }

  /** The whole months of a range, [start, end); start = end = to when there is none. */
  static months(range: Range): { start: Date; end: Date } {
    const start =
      monthStart(range.from).getTime() === range.from.getTime() ? range.from : nextMonth(range.from);
    const end = monthStart(range.to);
    return start < end ? { start, end } : { start: range.to, end: range.to };
  }

  /**
   * The rows of `range` (see `RollupSource`); `monthly: false` for sums per day or week: the whole
   * range from the daily or hourly rollups (start = end = to, the same statement).
   */
  static source(organizationId: string, range: Range, monthly = true): RollupSource {
    const edge = AnalyticsRepository.table(range);
    const { start, end } = monthly ? AnalyticsRepository.months(range) : { start: range.to, end: range.to };
    const scan = (table: string, from: string, to: string) =>
      `SELECT ${COLUMNS} FROM ${table} WHERE organization_id = $1 AND bucket >= ${from} AND bucket < ${to}`;
    return {
      sql: `(${scan(edge, '$2', '$4')}
            UNION ALL ${scan('usage_rollups_monthly', '$4', '$5')}
            UNION ALL ${scan(edge, '$5', '$3')}) r`,
      params: [organizationId, range.from, range.to, start, end],
    };
  }

  /** The whole UTC days of a range, [start, end); start = end = to when there is none. */
  static days(range: Range): { start: Date; end: Date } {
    const start = new Date(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
    const end = new Date(Math.floor(range.to.getTime() / DAY_MS) * DAY_MS);
    return start < end ? { start, end } : { start: range.to, end: range.to };
  }

  /**
   * The rows of `range` as `r` from the organization rollups (no prompt, model or user columns;
   * `user_ids` the bucket's distinct users), for statements whose parameters start with
   * `$1 organization, $2 from, $3 to, $4 day start, $5 day end, $6 month start, $7 month end`:
   * whole months [$6, $7) from `usage_rollups_org_monthly`, the other whole days [$4, $6) and
   * [$7, $5) from `usage_rollups_org_daily`, and the partial days at the edges, [$2, $4) and
   * [$5, $3), from the hourly rollups (one-hour precision, as before). `monthly: false` (sums per
   * day or week) reads no month: $6 = $7 = $5. Empty parts get empty bounds, so each statement
   * has one text whatever the range. Each branch is an index scan in (organization, bucket) order.
   */
  static orgSource(
    organizationId: string,
    range: Range,
    monthly = true,
  ): { sql: string; params: [string, Date, Date, Date, Date, Date, Date] } {
    const days = AnalyticsRepository.days(range);
    const inner = { from: days.start, to: days.end };
    const months =
      monthly && days.start < days.end
        ? AnalyticsRepository.months(inner)
        : { start: days.end, end: days.end };
    const hourly = (from: string, to: string) =>
      `SELECT bucket, ${ORG_COUNTERS},
              CASE WHEN user_id IS NULL THEN '{}'::uuid[] ELSE ARRAY[user_id] END AS user_ids
         FROM usage_rollups_hourly WHERE organization_id = $1 AND bucket >= ${from} AND bucket < ${to}`;
    const org = (table: string, from: string, to: string) =>
      `SELECT bucket, ${ORG_COUNTERS}, user_ids FROM ${table}
        WHERE organization_id = $1 AND bucket >= ${from} AND bucket < ${to}`;
    return {
      sql: `(${hourly('$2', '$4')}
            UNION ALL ${org('usage_rollups_org_daily', '$4', '$6')}
            UNION ALL ${org('usage_rollups_org_monthly', '$6', '$7')}
            UNION ALL ${org('usage_rollups_org_daily', '$7', '$5')}
            UNION ALL ${hourly('$5', '$3')})`,
      params: [organizationId, range.from, range.to, days.start, days.end, months.start, months.end],
    };
  }

  /**
   * The summary's totals, from the organization rollups; active users are the distinct elements of
   * the buckets' `user_ids` (a distinct count cannot be summed over buckets). The prompts created in
   * the range are counted in the same statement (one statement per period).
   */
  async totals(organizationId: string, range: Range): Promise<TotalsRow> {
    const src = AnalyticsRepository.orgSource(organizationId, range);
    const [row] = await this.transactions.prepared<TotalsRow>(
      `WITH r AS MATERIALIZED ${src.sql}
       SELECT coalesce(sum(${METRIC_SQL.runs}), 0)::float8 AS runs,
              coalesce(sum(r.fetches), 0)::float8 AS fetches,
              coalesce(sum(r.renders), 0)::float8 AS renders,
              coalesce(sum(r.input_tokens), 0)::float8 AS input_tokens,
              coalesce(sum(r.output_tokens), 0)::float8 AS output_tokens,
              coalesce(sum(r.cost_usd), 0)::float8 AS cost_usd,
              coalesce(sum(r.cost_unknown), 0)::float8 AS cost_unknown,
              (SELECT count(DISTINCT u)::int FROM r, unnest(r.user_ids) u) AS active_users,
              (SELECT count(*)::int FROM prompts
                WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3) AS prompts_created
         FROM r`,
      src.params,
    );
    return row;
  }

  /**
   * Sums of a metric per (bucket truncated to `unit`, dimension key). Without a dimension, from the
   * organization rollups (`orgSource`). Grouped: per month, whole months are read from the monthly
   * rollups; per day or week, from the daily (or hourly) ones.
   */
  async series(
    organizationId: string,
    range: Range,
    metric: Metric,
    unit: 'day' | 'week' | 'month',
    by: Dimension | null,
  ): Promise<Array<{ t: Date; key: string; label: string; value: number }>> {
    const d = by ? DIMENSION_SQL[by] : null;
    if (!d) {
      const src = AnalyticsRepository.orgSource(organizationId, range, unit === 'month');
      return this.transactions.prepared(
        `SELECT date_trunc('${unit}', r.bucket, 'UTC') AS t, '' AS key, '' AS label,
                sum(${METRIC_SQL[metric]})::float8 AS value
           FROM ${src.sql} r
          GROUP BY 1
          ORDER BY 1`,
        src.params,
      );
    }
    const src = AnalyticsRepository.source(organizationId, range, unit === 'month');
    return this.transactions.prepared(
      `SELECT r.t, ${d.key} AS key, ${d.label} AS label, sum(r.value)::float8 AS value
         FROM (SELECT date_trunc('${unit}', r.bucket, 'UTC') AS t, r.${d.raw}, sum(${METRIC_SQL[metric]}) AS value
                 FROM ${src.sql} GROUP BY 1, 2) r ${d.join}
        GROUP BY 1, 2, 3
        ORDER BY 1, 2`,
      src.params,
    );
  }

  /** Sums of a metric per dimension key, largest first. */
  async breakdown(
    organizationId: string,
    range: Range,
    metric: Metric,
    by: Dimension,
  ): Promise<Array<{ key: string; label: string; value: number }>> {
    const d = DIMENSION_SQL[by];
    const src = AnalyticsRepository.source(organizationId, range);
    return this.transactions.prepared(
      `SELECT ${d.key} AS key, ${d.label} AS label, sum(r.value)::float8 AS value
         FROM (SELECT r.${d.raw}, sum(${METRIC_SQL[metric]}) AS value FROM ${src.sql} GROUP BY 1) r ${d.join}
        GROUP BY 1, 2
        HAVING sum(r.value) > 0
        ORDER BY 3 DESC, 1`,
      src.params,
    );
  }

  /**
   * The prompts the caller sees with the largest sums of a metric: summed per prompt in the
   * rollups first, then joined to the prompts (row-level security hides the prompts the caller may
   * not see, so the ranking is over visible prompts only: ranking before the join could fill the
   * top N with prompts that are then hidden).
   */
  async topPrompts(
    organizationId: string,
    range: Range,
    metric: Metric,
    limit: number,
  ): Promise<Array<{ prompt_id: string; slug: string; title: string; value: number }>> {
    const src = AnalyticsRepository.source(organizationId, range);
    return this.transactions.prepared(
      `SELECT p.id AS prompt_id, p.slug, p.title, s.value::float8 AS value
         FROM (SELECT r.prompt_id, sum(${METRIC_SQL[metric]}) AS value FROM ${src.sql}
                WHERE r.prompt_id IS NOT NULL GROUP BY 1 HAVING sum(${METRIC_SQL[metric]}) > 0) s
         JOIN prompts p ON p.id = s.prompt_id
        ORDER BY 4 DESC, 1
        LIMIT $6`,
      [...src.params, limit],
    );
  }

  /** One prompt's daily runs, fetches and cost. */
  async promptDaily(
    organizationId: string,
    promptId: string,
    range: Range,
  ): Promise<Array<{ t: Date; runs: number; fetches: number; cost_usd: number }>> {
    return this.em.query(
      `SELECT date_trunc('day', r.bucket, 'UTC') AS t, sum(${METRIC_SQL.runs})::float8 AS runs,
              sum(r.fetches)::float8 AS fetches, sum(r.cost_usd)::float8 AS cost_usd
         FROM ${AnalyticsRepository.table(range)} r
        WHERE r.organization_id = $1 AND r.prompt_id = $2 AND r.bucket >= $3 AND r.bucket < $4
        GROUP BY 1 ORDER BY 1`,
      [organizationId, promptId, range.from, range.to],
    );
  }
}
