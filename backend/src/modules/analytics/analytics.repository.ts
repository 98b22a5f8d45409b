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

/** How rows are grouped: the key and its label, with the joins they need. */
export const DIMENSION_SQL = {
  model: { key: `coalesce(r.model, '')`, label: `coalesce(r.model, '')`, join: '' },
  prompt: {
    key: `coalesce(p.id::text, '')`,
    label: `coalesce(p.title, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id',
  },
  category: {
    key: `coalesce(c.id::text, '')`,
    label: `coalesce(c.name, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id LEFT JOIN categories c ON c.id = p.category_id',
  },
  collection: {
    key: `coalesce(k.id::text, '')`,
    label: `coalesce(k.name, '')`,
    join: 'LEFT JOIN prompts p ON p.id = r.prompt_id LEFT JOIN collections k ON k.id = p.collection_id',
  },
  user: {
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

export interface TotalsRow {
  runs: number;
  fetches: number;
  renders: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cost_unknown: number;
  active_users: number;
}

/** Reads of the usage rollups (hourly or daily: whichever the range is aligned to). */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em() {
    return this.transactions.manager;
  }

  /** The daily rollups when the range starts and ends at UTC midnight, else the hourly ones. */
  static table(range: Range): string {
    const midnight = (d: Date) => d.getTime() % 86_400_000 === 0;
    return midnight(range.from) && midnight(range.to) ? 'usage_rollups_daily' : 'usage_rollups_hourly';
  }

  async totals(organizationId: string, range: Range): Promise<TotalsRow> {
    const [row] = await this.em.query<TotalsRow[]>(
      `SELECT coalesce(sum(${METRIC_SQL.runs}), 0)::float8 AS runs,
              coalesce(sum(r.fetches), 0)::float8 AS fetches,
              coalesce(sum(r.renders), 0)::float8 AS renders,
              coalesce(sum(r.input_tokens), 0)::float8 AS input_tokens,
              coalesce(sum(r.output_tokens), 0)::float8 AS output_tokens,
              coalesce(sum(r.cost_usd), 0)::float8 AS cost_usd,
              coalesce(sum(r.cost_unknown), 0)::float8 AS cost_unknown,
              count(DISTINCT r.user_id)::int AS active_users
         FROM ${AnalyticsRepository.table(range)} r
        WHERE r.organization_id = $1 AND r.bucket >= $2 AND r.bucket < $3`,
      [organizationId, range.from, range.to],
    );
    return row;
  }

  async promptsCreated(organizationId: string, range: Range): Promise<number> {
    const [row] = await this.em.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM prompts WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3`,
      [organizationId, range.from, range.to],
    );
    return row.n;
  }

  /** Sums of a metric per (bucket truncated to `unit`, dimension key). */
  async series(
    organizationId: string,
    range: Range,
    metric: Metric,
    unit: 'day' | 'week' | 'month',
    by: Dimension | null,
  ): Promise<Array<{ t: Date; key: string; label: string; value: number }>> {
    const d = by ? DIMENSION_SQL[by] : null;
    return this.em.query(
      `SELECT date_trunc('${unit}', r.bucket, 'UTC') AS t, ${d ? d.key : `''`} AS key, ${d ? d.label : `''`} AS label,
              sum(${METRIC_SQL[metric]})::float8 AS value
         FROM ${AnalyticsRepository.table(range)} r ${d ? d.join : ''}
        WHERE r.organization_id = $1 AND r.bucket >= $2 AND r.bucket < $3
        GROUP BY 1, 2, 3
        ORDER BY 1, 2`,
      [organizationId, range.from, range.to],
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
    return this.em.query(
      `SELECT ${d.key} AS key, ${d.label} AS label, sum(${METRIC_SQL[metric]})::float8 AS value
         FROM ${AnalyticsRepository.table(range)} r ${d.join}
        WHERE r.organization_id = $1 AND r.bucket >= $2 AND r.bucket < $3
        GROUP BY 1, 2
        HAVING sum(${METRIC_SQL[metric]}) > 0
        ORDER BY 3 DESC, 1`,
      [organizationId, range.from, range.to],
    );
  }

  /** The prompts the caller sees with the largest sums of a metric. */
  async topPrompts(
    organizationId: string,
    range: Range,
    metric: Metric,
    limit: number,
  ): Promise<Array<{ prompt_id: string; slug: string; title: string; value: number }>> {
    return this.em.query(
      `SELECT p.id AS prompt_id, p.slug, p.title, sum(${METRIC_SQL[metric]})::float8 AS value
         FROM ${AnalyticsRepository.table(range)} r JOIN prompts p ON p.id = r.prompt_id
        WHERE r.organization_id = $1 AND r.bucket >= $2 AND r.bucket < $3
        GROUP BY 1, 2, 3
        HAVING sum(${METRIC_SQL[metric]}) > 0
        ORDER BY 4 DESC, 1
        LIMIT $4`,
      [organizationId, range.from, range.to, limit],
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
