#!/usr/bin/env node
// The statements of the dashboard with EXPLAIN (ANALYZE, BUFFERS) on the database a
// `scripts/bench/analytics.mjs --keep` run left (docs/benchmarks.md, "Organization rollups"): the
// summary totals and the runs per day from the per prompt × model × user rollups (before) and from
// the organization rollups (after), and the ingestion statement with and without the organization
// CTEs (rolled back), as vault_app in the measured organization's tenant scope, interleaved;
// prints the median of planning + execution time. Needs `npm run build:backend`.
//
//   node scripts/bench/analytics-explain.mjs [N=21]
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import pg from 'pg';
import { databaseUrl } from './api-process.mjs';

const require = createRequire(import.meta.url);
const dist = new URL('../../dist/backend/modules/analytics', import.meta.url).pathname;
const { AnalyticsRepository, METRIC_SQL } = require(`${dist}/analytics.repository.js`);
const { INSERT_USAGE_SQL } = require(`${dist}/usage.sql.js`);
const N = Number(process.argv[2] ?? 21);
const db = new pg.Client({ connectionString: databaseUrl('prompt_vault_bench_analytics') });
await db.connect();
const {
  rows: [seed],
} = await db.query(`SELECT s.email, u.id AS user_id, m.organization_id FROM bench_analytics_seed s
  JOIN users u ON lower(u.email) = lower(s.email) JOIN memberships m ON m.user_id = u.id`);
const org = seed.organization_id;
const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
const year = new Date(Math.floor(Date.now() / DAY) * DAY - 365 * DAY);
const month = new Date(Math.floor(Date.now() / DAY) * DAY - 30 * DAY);
const oldTotals = (range) => {
  const s = AnalyticsRepository.source(org, range);
  return [
    `SELECT coalesce(sum(${METRIC_SQL.runs}), 0)::float8 AS runs, coalesce(sum(r.fetches), 0)::float8, coalesce(sum(r.renders), 0)::float8,
  coalesce(sum(r.input_tokens), 0)::float8, coalesce(sum(r.output_tokens), 0)::float8, coalesce(sum(r.cost_usd), 0)::float8,
  coalesce(sum(r.cost_unknown), 0)::float8, count(DISTINCT r.user_id)::int FROM ${s.sql}`,
    s.params,
  ];
};
const newTotals = (range) => {
  const s = AnalyticsRepository.orgSource(org, range);
  return [
    `WITH r AS MATERIALIZED ${s.sql}
  SELECT coalesce(sum(${METRIC_SQL.runs}), 0)::float8 AS runs, coalesce(sum(r.fetches), 0)::float8, coalesce(sum(r.renders), 0)::float8,
  coalesce(sum(r.input_tokens), 0)::float8, coalesce(sum(r.output_tokens), 0)::float8, coalesce(sum(r.cost_usd), 0)::float8,
  coalesce(sum(r.cost_unknown), 0)::float8, (SELECT count(DISTINCT u)::int FROM r, unnest(r.user_ids) u) FROM r`,
    s.params,
  ];
};
const oldDaily = (range) => {
  const s = AnalyticsRepository.source(org, range, false);
  return [
    `SELECT r.t, '' AS key, '' AS label, sum(r.value)::float8 AS value
  FROM (SELECT date_trunc('day', r.bucket, 'UTC') AS t, NULL::text AS raw, sum(${METRIC_SQL.runs}) AS value FROM ${s.sql} GROUP BY 1, 2) r
  GROUP BY 1, 2, 3 ORDER BY 1, 2`,
    s.params,
  ];
};
const newDaily = (range) => {
  const s = AnalyticsRepository.orgSource(org, range, false);
  return [
    `SELECT date_trunc('day', r.bucket, 'UTC') AS t, '' AS key, '' AS label,
  sum(${METRIC_SQL.runs})::float8 AS value FROM ${s.sql} r GROUP BY 1 ORDER BY 1`,
    s.params,
  ];
};
const promptIds = (
  await db.query(`SELECT id FROM prompts WHERE organization_id = $1 LIMIT 20`, [org])
).rows.map((r) => r.id);
const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-5-mini',
  'claude-sonnet-4-5',
  'gemini-2.5-flash',
  'my-finetune',
];
const batch = JSON.stringify(
  Array.from({ length: 1000 }, (_, i) => ({
    organization_id: org,
    occurred_at: new Date().toISOString(),
    kind: 'call',
    prompt_id: promptIds[i % 20],
    model: MODELS[i % 6],
    user_id: seed.user_id,
    input_tokens: 100 + i,
    output_tokens: 50 + i,
    latency_ms: 300,
  })),
);
const cut1 = INSERT_USAGE_SQL.indexOf('), org_daily AS (');
const cut2 = INSERT_USAGE_SQL.indexOf('\nSELECT count(*)::int AS inserted');
const insertWithout = INSERT_USAGE_SQL.slice(0, cut1) + ')' + INSERT_USAGE_SQL.slice(cut2);
const cases = {
  'totals 12 months, before': oldTotals({ from: year, to: today }),
  'totals 12 months, after': newTotals({ from: year, to: today }),
  'totals 30 days, before': oldTotals({ from: month, to: today }),
  'totals 30 days, after': newTotals({ from: month, to: today }),
  'daily series 12 months, before': oldDaily({ from: year, to: today }),
  'daily series 12 months, after': newDaily({ from: year, to: today }),
  'daily series 30 days, before': oldDaily({ from: month, to: today }),
  'daily series 30 days, after': newDaily({ from: month, to: today }),
  'POST /usage statement (1,000 calls), without organization CTEs': [insertWithout, [batch]],
  'POST /usage statement (1,000 calls), with organization CTEs': [INSERT_USAGE_SQL, [batch]],
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const sample = {};
const load0 = loadavg();
for (let i = 0; i < N; i++) {
  for (const [name, [sql, params]] of Object.entries(cases)) {
    await db.query('BEGIN');
    await db.query(
      `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`,
      [org, seed.user_id],
    );
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    await db.query('ROLLBACK');
    const p = rows[0]['QUERY PLAN'][0];
    times[name].push(p['Planning Time'] + p['Execution Time']);
    if (i === N - 1)
      sample[name] = {
        rows: p.Plan['Actual Rows'],
        sharedHit: p.Plan['Shared Hit Blocks'],
        sharedRead: p.Plan['Shared Read Blocks'],
      };
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return Math.round(s[Math.floor(s.length / 2)] * 10) / 10;
};
console.log(
  `org ${org}; range ${year.toISOString()} → ${today.toISOString()}; N=${N}; load before ${load0.map((x) => x.toFixed(1)).join(' / ')}, after ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')}`,
);
for (const k of Object.keys(cases))
  console.log(
    `${k}: median ${med(times[k])} ms (planning + execution; min ${Math.round(Math.min(...times[k]) * 10) / 10}) ${JSON.stringify(sample[k])}`,
  );
const counts = (
  await db.query(`SELECT (SELECT count(*) FROM usage_rollups_daily)::int AS daily, (SELECT count(*) FROM usage_rollups_monthly)::int AS monthly,
  (SELECT count(*) FROM usage_rollups_org_daily)::int AS org_daily, (SELECT count(*) FROM usage_rollups_org_monthly)::int AS org_monthly`)
).rows[0];
console.log(JSON.stringify(counts));
await db.end();
