#!/usr/bin/env node
// `npm run bench:analytics`: usage analytics at scale (issue 13: dashboard queries p95 < 100 ms at 8
// connections over 10 million events of 100 organizations; POST /usage >= 5,000 events/s).
//
//  1. creates a fresh database and starts the built API (dist/backend, `npm run build:backend` first)
//     with NODE_ENV=production on loopback, real PostgreSQL (and Redis if reachable); the API runs
//     the migrations and creates the monthly partitions;
//  2. signs up one user (the measured organization), adds 99 more organizations and PROMPTS prompts
//     per organization with SQL;
//  3. seeds EVENTS raw usage events over the last 12 months spread over the 100 organizations with
//     one INSERT … SELECT FROM generate_series (every kind, models of the catalogue and one unknown),
//     then builds the hourly, daily and monthly rollups and the organization × day / month ones from
//     them with the GROUP BY the ingestion runs (a --reuse of a database seeded before the monthly or
//     the organization rollups existed gets them from the migrations that create them, which sum
//     the daily and monthly rollups when the API starts);
//     The rollups are vacuumed (with a seed and with --reuse) so that reads are index-only scans;
//  4. dashboard: CONCURRENCY workers × QUERIES requests each, cycling through summary, timeseries
//     (day and month, grouped by model), top prompts and breakdowns over 12 months and 30 days;
//  5. POST /usage: CONCURRENCY workers posting BATCH-event batches for SECONDS seconds → events/s;
//  6. prints p50/p95/p99 per endpoint and overall, writes a JSON result, drops the database.
//
//   node scripts/bench/analytics.mjs [--events 10000000] [--concurrency 8] [--queries 50]
//                                    [--batch 1000] [--seconds 10] [--prompts 50] [--out file.json]
//                                    [--api-port 4112] [--db prompt_vault_bench_analytics]
//                                    [--keep] [--reuse]
//   --keep:  leave the seeded database (and a note of what it holds) for a later --reuse;
//   --reuse: measure on the database a --keep run left, if it holds the same EVENTS (no seeding).
//   Seeding 10 million events takes 15–45 minutes on 2 cores; the measurement takes a few.
import { join } from 'node:path';
import pg from 'pg';
import { databaseUrl, dropDatabase, freshApi, postJson, runBenchmark, signIn, signUpOwner } from './api-process.mjs';
import { REDIS_URL, WORK_DIR, flag, option, usageOnHelp } from './config.mjs';
import { machine, percentiles, saveResult } from './report.mjs';

usageOnHelp(import.meta.url);
const EVENTS = Number(option('--events', 10_000_000));
const CONCURRENCY = Number(option('--concurrency', 8));
const QUERIES = Number(option('--queries', 50));
const BATCH = Number(option('--batch', 1000));
const SECONDS = Number(option('--seconds', 10));
const PROMPTS = Number(option('--prompts', 50));
const ORGS = 100;
const API_PORT = Number(option('--api-port', 4112));
const DB = option('--db', 'prompt_vault_bench_analytics');
const KEEP = flag('--keep');
const REUSE = flag('--reuse');
const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-5-mini',
  'claude-sonnet-4-5',
  'gemini-2.5-flash',
  'my-finetune',
];
const log = (msg) => console.log(`[bench:analytics] ${msg}`);
const DAY = 86_400_000;

async function seed(db, apiOrg, apiUser) {
  log(`seeding ${ORGS} organizations × ${PROMPTS} prompts`);
  await db.query(
    `INSERT INTO organizations (name, slug) SELECT 'Bench ' || i, 'bench-analytics-' || i FROM generate_series(1, $1) i`,
    [ORGS - 1],
  );
  await db.query(
    `INSERT INTO prompts (organization_id, slug, title, content)
     SELECT o.id, 'p-' || i, 'Prompt ' || i, 'Say {{x}}' FROM organizations o, generate_series(1, $1) i`,
    [PROMPTS],
  );
  const now = new Date();
  await db.query(`SELECT app_usage_ensure_partitions($1::date, $2::date)`, [
    new Date(now.getTime() - 400 * DAY).toISOString().slice(0, 10),
    new Date(now.getTime() + 40 * DAY).toISOString().slice(0, 10),
  ]);
  log(`seeding ${EVENTS} usage events over 12 months`);
  const started = performance.now();
  // Organizations and their prompts as arrays indexed by number, so each event picks by arithmetic.
  await db.query(`CREATE TEMP TABLE bench_prompts AS
    SELECT row_number() OVER (ORDER BY o.id, p.id) - 1 AS n, o.id AS organization_id, p.id AS prompt_id
      FROM organizations o JOIN prompts p ON p.organization_id = o.id`);
  await db.query(`CREATE INDEX ON bench_prompts (n)`);
  const total = (await db.query(`SELECT count(*)::int AS n FROM bench_prompts`)).rows[0].n;
  const chunk = 1_000_000;
  for (let from = 0; from < EVENTS; from += chunk) {
    const to = Math.min(EVENTS, from + chunk) - 1;
    await db.query(
      `INSERT INTO usage_events (organization_id, occurred_at, kind, quantity, prompt_id, model, user_id,
                                 input_tokens, output_tokens, cost_usd, cost_source, unknown_model, latency_ms, status)
       SELECT bp.organization_id, now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second',
              k.kind, CASE WHEN k.kind IN ('fetch', 'render', 'view') THEN 1 + g % 20 ELSE 1 END, bp.prompt_id,
              CASE WHEN k.llm THEN m.model END, CASE WHEN bp.organization_id = $3 THEN $4::uuid END,
              CASE WHEN k.llm THEN 100 + g % 2000 ELSE 0 END, CASE WHEN k.llm THEN 50 + g % 800 ELSE 0 END,
              CASE WHEN k.llm AND m.model <> 'my-finetune' THEN ((100 + g % 2000) * 2.5 + (50 + g % 800) * 10) / 1e6 END,
              CASE WHEN k.llm AND m.model <> 'my-finetune' THEN 'catalogue' END,
              k.llm AND m.model = 'my-finetune', CASE WHEN k.llm THEN 200 + g % 3000 END,
              CASE WHEN k.llm THEN CASE WHEN g % 50 = 0 THEN 'error' ELSE 'success' END END
         FROM generate_series($1::bigint, $2::bigint) g
         JOIN bench_prompts bp ON bp.n = (g * 7919) % $5
         CROSS JOIN LATERAL (SELECT (ARRAY['fetch','fetch','fetch','render','view','run','call','call','evaluation','search'])[1 + g % 10] AS kind) k0
         CROSS JOIN LATERAL (SELECT k0.kind, k0.kind IN ('run', 'call', 'evaluation') AS llm) k
         CROSS JOIN LATERAL (SELECT ($6::text[])[1 + (g / 10) % ${MODELS.length}] AS model) m`,
      [from, to, apiOrg, apiUser, total, MODELS],
    );
    log(`  ${to + 1} events`);
  }
  log('building the rollups from the raw events');
  for (const [table, unit] of [
    ['usage_rollups_hourly', 'hour'],
    ['usage_rollups_daily', 'day'],
    ['usage_rollups_monthly', 'month'],
  ])
    await db.query(
      `INSERT INTO ${table} (organization_id, bucket, prompt_id, model, user_id, fetches, renders, views, searches,
                             runs, calls, evaluations, errors, input_tokens, output_tokens, cost_usd, cost_unknown, latency_ms_sum)
       SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC'), prompt_id, model, user_id,
              coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'view'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'search'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'run'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'call'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'evaluation'), 0), coalesce(sum(quantity) FILTER (WHERE status = 'error'), 0),
              sum(input_tokens), sum(output_tokens), coalesce(sum(cost_usd), 0),
              count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL), coalesce(sum(latency_ms), 0)
         FROM usage_events GROUP BY 1, 2, 3, 4, 5`,
    );
  // The organization rollups (organization × day or month, with the distinct users of the bucket).
  for (const [table, unit] of [
    ['usage_rollups_org_daily', 'day'],
    ['usage_rollups_org_monthly', 'month'],
  ])
    await db.query(
      `INSERT INTO ${table} (organization_id, bucket, fetches, renders, views, searches, runs, calls, evaluations, errors,
                             input_tokens, output_tokens, cost_usd, cost_unknown, latency_ms_sum, user_ids)
       SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC'),
              coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'view'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'search'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'run'), 0), coalesce(sum(quantity) FILTER (WHERE kind = 'call'), 0),
              coalesce(sum(quantity) FILTER (WHERE kind = 'evaluation'), 0), coalesce(sum(quantity) FILTER (WHERE status = 'error'), 0),
              sum(input_tokens), sum(output_tokens), coalesce(sum(cost_usd), 0),
              count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL), coalesce(sum(latency_ms), 0),
              coalesce(array_agg(DISTINCT user_id ORDER BY user_id) FILTER (WHERE user_id IS NOT NULL), '{}')
         FROM usage_events GROUP BY 1, 2`,
    );
  await db.query(
    `ANALYZE usage_events; ANALYZE usage_rollups_hourly; ANALYZE usage_rollups_daily; ANALYZE usage_rollups_monthly;
     ANALYZE usage_rollups_org_daily; ANALYZE usage_rollups_org_monthly; ANALYZE prompts`,
  );
  const counts = (
    await db.query(
      `SELECT (SELECT count(*) FROM usage_rollups_hourly)::int AS hourly, (SELECT count(*) FROM usage_rollups_daily)::int AS daily,
              (SELECT count(*) FROM usage_rollups_monthly)::int AS monthly,
              (SELECT count(*) FROM usage_rollups_org_daily)::int AS org_daily,
              (SELECT count(*) FROM usage_rollups_org_monthly)::int AS org_monthly`,
    )
  ).rows[0];
  log(
    `seeded in ${Math.round((performance.now() - started) / 1000)} s (rollup rows: ${counts.hourly} hourly, ${counts.daily} daily, ${counts.monthly} monthly, ${counts.org_daily} organization × day, ${counts.org_monthly} organization × month)`,
  );
}

/** What a --keep run left in the database: the events seeded and the measured organization's owner. */
async function keptSeed() {
  const db = new pg.Client({ connectionString: databaseUrl(DB) });
  try {
    await db.connect();
    const { rows } = await db.query(`SELECT events, email FROM bench_analytics_seed`);
    return rows[0] && Number(rows[0].events) === EVENTS ? rows[0] : null;
  } catch {
    return null; // no such database or no note: seed afresh
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function main() {
  const kept = REUSE ? await keptSeed() : null;
  if (REUSE && !kept) log(`no kept database with ${EVENTS} events in ${DB}: seeding afresh`);
  const {
    base,
    databaseUrl: dbUrl,
    redis: redisUp,
  } = await freshApi({
    db: DB,
    port: API_PORT,
    redisUrl: REDIS_URL,
    dataDir: join(WORK_DIR, 'data-analytics'),
    reuse: !!kept,
  });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  let email = kept?.email;
  if (!kept) {
    const owner = await signUpOwner(base, db);
    email = owner.email;
    await seed(db, owner.organizationId, owner.userId);
    await db.query(`CREATE TABLE bench_analytics_seed AS SELECT $1::bigint AS events, $2::text AS email`, [
      EVENTS,
      email,
    ]);
  }
  // Rollups are written in bulk (the seed, or a migration's backfill on --reuse): vacuum them as
  // autovacuum would, so that reads are index-only scans whether or not autovacuum is on (it is off on
  // the benchmark machine) and whenever it would have come by.
  log('vacuuming the rollups');
  await db.query(
    `VACUUM (ANALYZE) usage_rollups_hourly, usage_rollups_daily, usage_rollups_monthly, usage_rollups_org_daily,
                      usage_rollups_org_monthly`,
  );
  // Signed in after the seed: seeding can outlast an access token.
  const { organizationId: org, headers } = await signIn(base, email);
  const promptIds = (
    await db.query(`SELECT id FROM prompts WHERE organization_id = $1 LIMIT 20`, [org])
  ).rows.map((r) => r.id);

  // ---------------------------------------------------------------- dashboard queries
  const today = new Date(Math.floor(Date.now() / DAY) * DAY + DAY).toISOString();
  const year = new Date(Math.floor(Date.now() / DAY) * DAY - 365 * DAY).toISOString();
  const month = new Date(Math.floor(Date.now() / DAY) * DAY - 30 * DAY).toISOString();
  const paths = [];
  for (const [from, to] of [
    [year, today],
    [month, today],
  ]) {
    const r = `from=${from}&to=${to}`;
    paths.push(
      `/analytics/summary?${r}`,
      `/analytics/timeseries?metric=cost&interval=month&groupBy=model&${r}`,
      `/analytics/timeseries?metric=runs&interval=day&${r}`,
      `/analytics/top-prompts?by=cost&${r}`,
      `/analytics/breakdown?by=model&metric=cost&${r}`,
      `/analytics/breakdown?by=category&metric=tokens&${r}`,
    );
  }
  const byPath = new Map(paths.map((p) => [p, []]));
  const all = [];
  for (const p of paths) await fetch(`${base}${p}`, { headers }).then((r) => r.arrayBuffer()); // warm-up
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < QUERIES; i++) {
        const p = paths[next++ % paths.length];
        const started = performance.now();
        const res = await fetch(`${base}${p}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
        const ms = performance.now() - started;
        byPath.get(p).push(ms);
        all.push(ms);
      }
    }),
  );
  const label = (p) => `${p.split(/[?&]from=/)[0]} (${p.includes(`from=${year}`) ? '12 months' : '30 days'})`;
  const dashboard = {
    overall: percentiles(all),
    byPath: Object.fromEntries([...byPath].map(([p, s]) => [label(p), percentiles(s)])),
  };
  log(`dashboard at ${CONCURRENCY} connections: ${JSON.stringify(dashboard.overall)}`);
  for (const [p, s] of Object.entries(dashboard.byPath)) log(`  ${p}: p95 ${s.p95} ms`);

  // ---------------------------------------------------------------- POST /usage
  let events = 0;
  const latencies = [];
  const deadline = performance.now() + SECONDS * 1000;
  const startedIngest = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let b = 0; performance.now() < deadline; b++) {
        const batch = Array.from({ length: BATCH }, (_, i) => ({
          promptId: promptIds[(w + b + i) % promptIds.length],
          model: MODELS[i % MODELS.length],
          inputTokens: 100 + i,
          outputTokens: 50 + i,
          latencyMs: 300,
        }));
        const started = performance.now();
        const body = await postJson(base, '/usage', { events: batch }, headers);
        latencies.push(performance.now() - started);
        if (body.rejected.length) throw new Error(`rejected: ${JSON.stringify(body.rejected[0])}`);
        events += body.accepted;
      }
    }),
  );
  const ingestSeconds = (performance.now() - startedIngest) / 1000;
  const ingest = {
    events,
    seconds: Math.round(ingestSeconds * 10) / 10,
    perSecond: Math.round(events / ingestSeconds),
    batch: percentiles(latencies),
  };
  log(
    `POST /usage: ${ingest.perSecond} events/s (${events} events in ${ingest.seconds} s, batch p95 ${ingest.batch.p95} ms)`,
  );
  await db.end();

  const result = {
    date: new Date().toISOString(),
    events: EVENTS,
    organizations: ORGS,
    promptsPerOrganization: PROMPTS,
    concurrency: CONCURRENCY,
    redis: redisUp,
    machine: machine(),
    dashboard,
    ingest,
  };
  const out = saveResult('analytics', result);
  log(`result written to ${out}`);
}

runBenchmark(main, () => (KEEP ? log(`kept the database ${DB} for --reuse`) : dropDatabase(DB)));
