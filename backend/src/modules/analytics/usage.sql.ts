/**
 * The statements that write usage, kept free of Nest and TypeORM imports so that the benchmark
 * (`scripts/bench/analytics.mjs`) runs exactly what the application runs.
 */

/** Event kinds: hot-path counters, then calls to a model (which carry tokens and cost). */
export const COUNTER_KINDS = ['fetch', 'render', 'view', 'search'] as const;
export const CALL_KINDS = ['run', 'call', 'evaluation'] as const;
export type UsageKind = (typeof COUNTER_KINDS)[number] | (typeof CALL_KINDS)[number];

/** The rollup column each kind increments. */
const KIND_COLUMN: Record<UsageKind, string> = {
  fetch: 'fetches',
  render: 'renders',
  view: 'views',
  search: 'searches',
  run: 'runs',
  call: 'calls',
  evaluation: 'evaluations',
};

export const ROLLUP_COUNTERS = [
  'fetches',
  'renders',
  'views',
  'searches',
  'runs',
  'calls',
  'evaluations',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'cost_unknown',
  'latency_ms_sum',
] as const;

/** The counters of a rollup row summed over the `ins` rows of its group. */
const COUNTER_SUMS = `${Object.entries(KIND_COLUMN)
  .map(([kind]) => `coalesce(sum(quantity) FILTER (WHERE kind = '${kind}'), 0)`)
  .join(',\n         ')},
         coalesce(sum(quantity) FILTER (WHERE status = 'error'), 0),
         sum(input_tokens), sum(output_tokens), coalesce(sum(cost_usd), 0),
         count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL),
         coalesce(sum(latency_ms), 0)`;

const rollupUpsert = (table: string, unit: 'hour' | 'day' | 'month') => `
  INSERT INTO ${table} AS r (organization_id, bucket, prompt_id, model, user_id, ${ROLLUP_COUNTERS.join(', ')})
  SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC'), prompt_id, model, user_id,
         ${COUNTER_SUMS}
    FROM ins
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT ${table}_key DO UPDATE SET
    ${ROLLUP_COUNTERS.map((c) => `${c} = r.${c} + excluded.${c}`).join(',\n    ')}`;

/**
 * The organization rollups (organization × day or month, no prompt, model or user): the same
 * counters, and `user_ids`, the sorted distinct users of the bucket (merged only when the batch
 * brings a user the row does not have yet, so the usual update keeps the stored array as it is).
 */
const orgRollupUpsert = (table: string, unit: 'day' | 'month') => `
  INSERT INTO ${table} AS r (organization_id, bucket, ${ROLLUP_COUNTERS.join(', ')}, user_ids)
  SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC'),
         ${COUNTER_SUMS},
         coalesce(array_agg(DISTINCT user_id ORDER BY user_id) FILTER (WHERE user_id IS NOT NULL), '{}')
    FROM ins
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ON CONSTRAINT ${table}_key DO UPDATE SET
    ${ROLLUP_COUNTERS.map((c) => `${c} = r.${c} + excluded.${c}`).join(',\n    ')},
    user_ids = CASE WHEN excluded.user_ids <@ r.user_ids THEN r.user_ids
                    ELSE ARRAY(SELECT DISTINCT u FROM unnest(r.user_ids || excluded.user_ids) u ORDER BY u) END`;

/**
 * The common table expressions that write usage events read from a CTE named `input` (the columns
 * of `jsonb_to_recordset` below, in that order): `ins` (the raw rows, priced), then the hourly,
 * daily and monthly rollups (organization × bucket × prompt × model × user) and the organization ×
 * day and × month rollups. A statement that stores something together with its usage event (a run,
 * `RunsRepository.store`) builds its own `input` and appends these, so events are written the one
 * same way.
 */
export const USAGE_INSERT_CTES = `ins AS (
  INSERT INTO usage_events (organization_id, occurred_at, kind, quantity, prompt_id, version, label,
    model, user_id, api_key_id, input_tokens, output_tokens, cost_usd, cost_source, unknown_model,
    latency_ms, status, idempotency_key, metadata)
  SELECT e.organization_id, e.occurred_at, e.kind, coalesce(e.quantity, 1), e.prompt_id, e.version,
         e.label, e.model, e.user_id, e.api_key_id, coalesce(e.input_tokens, 0),
         coalesce(e.output_tokens, 0),
         CASE WHEN e.cost_usd IS NOT NULL THEN e.cost_usd
              WHEN p.input_per_mtok_usd IS NOT NULL THEN round(
                (coalesce(e.input_tokens, 0) * p.input_per_mtok_usd
                 + coalesce(e.output_tokens, 0) * p.output_per_mtok_usd) / 1000000, 10) END,
         CASE WHEN e.cost_usd IS NOT NULL THEN 'client' ELSE p.source END,
         e.model IS NOT NULL AND p.source IS NULL
           AND NOT EXISTS (SELECT 1 FROM model_prices x WHERE x.model = e.model),
         e.latency_ms, e.status, e.idempotency_key, e.metadata
    FROM input e
    LEFT JOIN LATERAL app_model_price(e.organization_id, e.model, e.occurred_at) p ON e.model IS NOT NULL
  RETURNING organization_id, occurred_at, kind, quantity, prompt_id, model, user_id, input_tokens,
            output_tokens, cost_usd, latency_ms, status
), hourly AS (${rollupUpsert('usage_rollups_hourly', 'hour')}
), daily AS (${rollupUpsert('usage_rollups_daily', 'day')}
), monthly AS (${rollupUpsert('usage_rollups_monthly', 'month')}
), org_daily AS (${orgRollupUpsert('usage_rollups_org_daily', 'day')}
), org_monthly AS (${orgRollupUpsert('usage_rollups_org_monthly', 'month')}
)`;

/**
 * Inserts raw events ($1: a JSON array) and upserts the rollups (hourly, daily and monthly; organization
 * × day and × month) in the same statement, so rollups can never disagree with the raw rows. Cost: the client's `cost_usd` when
 * given, else tokens × the price in force at `occurred_at` for the event's organization
 * (`app_model_price`: the organization's own price, else `model_prices`; `cost_source` says
 * which), else null (counted in `cost_unknown`); `unknown_model` when the model has no price at
 * all. Returns the number of rows, their cost, and how many were unpriced.
 */
export const INSERT_USAGE_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS e (
    organization_id uuid, occurred_at timestamptz, kind text, quantity integer, prompt_id uuid,
    version integer, label text, model text, user_id uuid, api_key_id uuid, input_tokens bigint,
    output_tokens bigint, cost_usd numeric, latency_ms integer, status text, idempotency_key text,
    metadata jsonb)
), ${USAGE_INSERT_CTES}
SELECT count(*)::int AS inserted, coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
       (count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL))::int AS unpriced
  FROM ins`;

/** Whether organization `$1` has any budget (its own or a collection's): the threshold check is then due. */
export const HAS_BUDGETS_SQL = `(EXISTS (SELECT 1 FROM budgets WHERE organization_id = $1)
  OR EXISTS (SELECT 1 FROM collection_budgets WHERE organization_id = $1))`;

/** Creates the monthly partitions of [from, to) that do not exist yet. */
export const ENSURE_PARTITIONS_SQL = `SELECT app_usage_ensure_partitions($1::date, $2::date) AS created`;

/** The first day (UTC) of the month of a date, as `YYYY-MM-01`. */
export const monthOf = (d: Date): string =>
  `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;

/** The first day of the month `n` months after the month of `d` (n may be negative). */
export const addMonths = (d: Date, n: number): Date =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

/** A prompt's (`p`) cost over the last 30 days, from the daily rollups (sort=cost). */
export const PROMPT_COST_30D_SQL = `(SELECT coalesce(sum(r.cost_usd), 0) FROM usage_rollups_daily r
   WHERE r.organization_id = p.organization_id AND r.prompt_id = p.id
     AND r.bucket >= date_trunc('day', now() - interval '30 days', 'UTC'))`;

/**
 * highCost=true: prompts whose 30-day cost is in the organization's top 10 % (at or above the 90th
 * percentile of the 30-day cost of its prompts that cost anything). `org` is the organization's
 * parameter.
 */
export const highCostSql = (org: string) => `(${PROMPT_COST_30D_SQL} > 0 AND ${PROMPT_COST_30D_SQL} >= (
   SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY s.cost) FROM (
     SELECT sum(r.cost_usd) AS cost FROM usage_rollups_daily r
      WHERE r.organization_id = ${org} AND r.prompt_id IS NOT NULL
        AND r.bucket >= date_trunc('day', now() - interval '30 days', 'UTC')
      GROUP BY r.prompt_id HAVING sum(r.cost_usd) > 0) s))`;
