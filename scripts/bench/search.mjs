#!/usr/bin/env node
// Search benchmark: p50/p95 of GET /api/v1/search at 16 connections on 100,000 prompts, for the
// Postgres engine and for Elasticsearch, plus the time `search:reindex` takes to rebuild the
// Elasticsearch index from them. Writes the figures into docs/benchmarks.md (its own section).
//
//  1. builds the API and copies dist/backend to .cache/bench/search-dist (a build elsewhere in the
//     tree cannot pull files from under the running server);
//  2. seeds its own database (scripts/bench/seed.mjs: 100 organizations × 1,000 prompts) unless it
//     already holds that shape, else applies pending migrations;
//  3. uses ELASTICSEARCH_URL, or starts scripts/services/elasticsearch.sh (and stops it at the end);
//  4. times the rebuild (the real search-reindex entry point) into a fresh index prefix;
//  5. per engine: starts the built API (NODE_ENV=production, real PostgreSQL and Redis), signs in
//     members of 8 organizations through the API, warms up, then autocannon at 16 connections with
//     a mix of queries (words, typos, prefixes, phrases, OR/NOT, filters, sorts);
//  6. stops everything it started.
//
//   node scripts/bench/search.mjs [--no-build | --dist dir] [--reseed] [--duration 20] [--warmup 10] [--connections 16]
//                                 [--engines postgres,elasticsearch] [--cache on,off] [--profile] [--per-query] [--no-docs]
//   --engines: measure only these; --cache: with the result cache (on) and/or without it (off, SEARCH_CACHE_ENTRIES=0);
//   --profile: a V8 CPU profile of the API per run in the run directory;
//   --per-query: also time each query alone (1 connection, median of 20); --no-docs: leave docs/ alone.
//   node scripts/bench/search.mjs --docs-from .cache/bench/search-runs/<run>/results.json
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

process.env.BENCH_DB ??= 'prompt_vault_search_bench';
const {
  BENCH_PASSWORD,
  POOL_SIZE,
  REDIS_URL,
  ROOT,
  WORK_DIR,
  benchDatabaseUrl,
  flag,
  option,
  processCpu,
  usageOnHelp,
  userEmail,
} = await import('./config.mjs');
const { seedOrMigrate } = await import('./seed.mjs');
const { apiEnv, startNode, stopProcess, stopStarted, waitForHttp } = await import('./api-process.mjs');
const { percentile, writeResult } = await import('./report.mjs');

usageOnHelp(import.meta.url);
const DURATION = Number(option('--duration', 20));
const WARMUP = Number(option('--warmup', 10));
const CONNECTIONS = Number(option('--connections', 16));
const API_PORT = Number(option('--api-port', 4111));
const ENGINES = option('--engines', 'postgres,elasticsearch').split(',');
/** `on`: the result cache as deployed (SEARCH_CACHE_ENTRIES default); `off`: every search computed. */
const CACHE_MODES = option('--cache', 'on,off').split(',');
const ORGS = [5, 17, 29, 41, 53, 65, 77, 89];
const INDEX_PREFIX = 'pv-search-bench';
const HARD_LIMIT_MS = 40 * 60_000;
const DIST = join(WORK_DIR, 'search-dist');
const RUN_DIR = join(WORK_DIR, 'search-runs', new Date().toISOString().replace(/[:.]/g, '-'));
const log = (msg) => console.log(`[bench:search] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Earlier measurements at 16 connections, kept for the before/after table: the search as first
 * built (up to commit 3fa61b4, on a machine loaded by other work), and the state at commit e64aa3b
 * measured on a quiet machine before the result cache, inline vectors and prepared search statement.
 */
const BASELINE = [
  {
    engine: 'Postgres',
    run: 'first build (3fa61b4), loaded machine',
    p50: 291,
    p95: 391,
    p99: 453,
    rps: 54,
    loadavg: 4.3,
  },
  {
    engine: 'Elasticsearch',
    run: 'first build (3fa61b4), loaded machine',
    p50: 356,
    p95: 590,
    p99: 800,
    rps: 43,
    loadavg: 5.5,
  },
  {
    engine: 'Postgres',
    run: 'before the cache (e64aa3b), quiet machine',
    p50: 165,
    p95: 261,
    p99: 371,
    rps: 91,
    loadavg: 3.1,
  },
  {
    engine: 'Elasticsearch',
    run: 'before the cache (e64aa3b), quiet machine',
    p50: 268,
    p95: 440,
    p99: 663,
    rps: 57,
    loadavg: 4.2,
  },
];
const ENGINE_NAMES = { postgres: 'Postgres', elasticsearch: 'Elasticsearch' };

/** The query mix: typical words of the seeded prompts, with typos, prefixes and operators. */
const QUERIES = [
  { q: 'summarize ticket' },
  { q: 'sumarize' },
  { q: 'draft reply' },
  { q: 'translat' },
  { q: 'outline post', sort: 'updated' },
  { q: '"rewrite for tone"' },
  { q: 'classify OR extract' },
  { q: 'review -code' },
  { q: 'marketng teams' },
  { q: 'benchmark prompt', status: 'published' },
  { q: 'support', tags: 'email,sales', tagMode: 'or' },
  { sort: 'popularity' },
];

/** A process of this run, its output in the run directory. */
const startProcess = (name, args, env) =>
  startNode(name, args, env, { logFile: join(RUN_DIR, `${name}.log`) });

function build() {
  // --dist <dir>: a backend built elsewhere (e.g. from a clean `git archive HEAD`), used as is.
  const prebuilt = option('--dist', null);
  if (prebuilt) {
    if (!existsSync(join(prebuilt, 'main.js'))) throw new Error(`${prebuilt}/main.js is missing`);
    rmSync(DIST, { recursive: true, force: true });
    cpSync(prebuilt, DIST, { recursive: true });
    return;
  }
  if (!flag('--no-build')) {
    log('npm run build:backend');
    const r = spawnSync('npm', ['run', 'build:backend'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the backend build failed');
  }
  const built = join(ROOT, 'dist', 'backend');
  if (!existsSync(join(built, 'main.js'))) throw new Error('dist/backend/main.js is missing');
  rmSync(DIST, { recursive: true, force: true });
  cpSync(built, DIST, { recursive: true });
}

const baseEnv = () =>
  apiEnv({
    databaseUrl: benchDatabaseUrl(),
    redisUrl: REDIS_URL,
    queuePrefix: 'pv-search-bench',
    dataDir: join(WORK_DIR, 'data'),
  });

async function prepareDatabase() {
  await seedOrMigrate({ dist: DIST, reseed: flag('--reseed'), env: baseEnv() });
}

async function elasticsearch() {
  if (process.env.ELASTICSEARCH_URL)
    return { url: process.env.ELASTICSEARCH_URL, stop: async () => undefined };
  log('starting Elasticsearch (scripts/services/elasticsearch.sh)');
  const r = spawnSync(join(ROOT, 'scripts/services/elasticsearch.sh'), ['start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Elasticsearch did not start:\n${r.stderr}`);
  return {
    url: r.stdout.trim(),
    stop: async () => void spawnSync(join(ROOT, 'scripts/services/elasticsearch.sh'), ['stop']),
  };
}

async function dropIndices(url) {
  const res = await fetch(`${url}/${INDEX_PREFIX}-*?ignore_unavailable=true`);
  const names = res.ok ? Object.keys(await res.json()) : [];
  if (names.length) await fetch(`${url}/${names.join(',')}`, { method: 'DELETE' });
}

async function settleIndex(url) {
  log('force-merging the new index (background merges would compete with the measurement)');
  const res = await fetch(`${url}/${INDEX_PREFIX}-prompts/_forcemerge?max_num_segments=1`, {
    method: 'POST',
  });
  if (!res.ok) throw new Error(`force merge: ${res.status} ${await res.text()}`);
  await fetch(`${url}/${INDEX_PREFIX}-prompts/_refresh`, { method: 'POST' });
}

function reindex(esUrl) {
  log('timing npm run search:reindex (search-reindex.main.js) into a fresh index');
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(DIST, 'modules', 'search', 'search-reindex.main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...baseEnv(), ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: INDEX_PREFIX },
    encoding: 'utf8',
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`reindex failed:\n${r.stderr}`);
  const documents = Number(/(\d+) documents into/.exec(r.stdout)?.[1] ?? NaN);
  return { seconds, documents };
}

async function clients(db) {
  const out = [];
  for (const [i, org] of ORGS.entries()) {
    const k = [1, 3, 5, 2, 4][i % 5];
    const {
      rows: [o],
    } = await db.query(`SELECT id FROM organizations WHERE slug = $1`, [`bench-org-${org}`]);
    const res = await fetch(`http://127.0.0.1:${API_PORT}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: userEmail(org, k), password: BENCH_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const { accessToken } = await res.json();
    out.push({ organizationId: o.id, accessToken });
  }
  return out;
}

function targets(cs) {
  return cs.flatMap((c) =>
    QUERIES.map((query) => ({
      method: 'GET',
      path: `/api/v1/search?${new URLSearchParams(query)}`,
      headers: { authorization: `Bearer ${c.accessToken}`, 'x-organization-id': c.organizationId },
    })),
  );
}

/**
 * CPU seconds used so far by the processes that share the machine during a run, from /proc (user +
 * system time): the API (its pid), PostgreSQL's backends, Elasticsearch's JVM, and this runner (the
 * load generator). Empty where /proc is missing.
 */
function cpuSeconds(apiPid) {
  const out = { api: 0, postgres: 0, elasticsearch: 0, loadgen: 0 };
  for (const pid of existsSync('/proc/self/stat')
    ? readdirSync('/proc').filter((d) => /^\d+$/.test(d))
    : []) {
    const cpu = processCpu(pid);
    if (!cpu) continue; // exited meanwhile
    const group =
      Number(pid) === apiPid
        ? 'api'
        : Number(pid) === process.pid
          ? 'loadgen'
          : cpu.name.startsWith('postgres')
            ? 'postgres'
            : cpu.name === 'java'
              ? 'elasticsearch'
              : null;
    if (group) out[group] += cpu.ms / 1000;
  }
  return out;
}

/**
 * Waits (up to a minute) until Elasticsearch's JVM is idle: after its first queries it compiles hot
 * code in background threads for a while, CPU that would otherwise be charged to the measurement.
 */
async function quietJvm() {
  const started = Date.now();
  let last = cpuSeconds(0).elasticsearch;
  while (Date.now() - started < 60_000) {
    await sleep(2000);
    const now = cpuSeconds(0).elasticsearch;
    if (now - last < 0.1) break; // under 5 % of a core
    last = now;
  }
  const waited = (Date.now() - started) / 1000;
  if (waited > 2.5) log(`waited ${waited.toFixed(0)} s for Elasticsearch's JVM to go idle`);
}

async function load(requests, seconds) {
  const latencies = [];
  let non2xx = 0;
  const instance = autocannon({
    url: `http://127.0.0.1:${API_PORT}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    if (status < 200 || status >= 300) non2xx++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: Math.round(result.requests.average),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx,
  };
}

/** Each query alone, one at a time: the median of 20 runs (what a request costs without a queue). */
async function timeEachQuery(requests) {
  const out = {};
  for (const r of requests) {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${API_PORT}${r.path}`, { headers: r.headers });
      await res.arrayBuffer();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out[decodeURIComponent(r.path.replace('/api/v1/search?', ''))] = Number(times[10].toFixed(1));
  }
  console.table(out);
  return out;
}

async function runEngine(engine, cache, esUrl, db) {
  const name = `${engine}-cache-${cache}`;
  const env = {
    ...baseEnv(),
    ...(cache === 'off' ? { SEARCH_CACHE_ENTRIES: '0' } : {}),
    HOST: '127.0.0.1',
    PORT: String(API_PORT),
    PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
    DB_MIGRATIONS_RUN: 'false',
    DB_POOL_SIZE: String(POOL_SIZE),
    JWT_ACCESS_TTL_SECONDS: '3600',
    // Empty for the Postgres runs: an ELASTICSEARCH_URL in the runner's own environment must not
    // turn them into Elasticsearch runs answering from the Postgres fallback.
    ...(engine === 'elasticsearch'
      ? { ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: INDEX_PREFIX }
      : { ELASTICSEARCH_URL: '' }),
  };
  const profile = flag('--profile') ? ['--cpu-prof', '--cpu-prof-dir', join(RUN_DIR, `profile-${name}`)] : [];
  const api = startProcess(`api-${name}`, [...profile, join(DIST, 'main.js')], env);
  try {
    await waitForHttp(`http://127.0.0.1:${API_PORT}/api/v1/health`, api, {
      timeoutMs: 120_000,
      logs: RUN_DIR,
    });
    const requests = targets(await clients(db));
    // Every query must answer from the intended engine before anything is measured.
    for (const r of requests.slice(0, QUERIES.length)) {
      const res = await fetch(`http://127.0.0.1:${API_PORT}${r.path}`, { headers: r.headers });
      const body = await res.json();
      if (!res.ok || body.engine !== engine)
        throw new Error(`${r.path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    log(`${name}: warm-up ${WARMUP} s`);
    await load(requests, WARMUP);
    await quietJvm();
    const perQuery = flag('--per-query') ? await timeEachQuery(requests.slice(0, QUERIES.length)) : undefined;
    log(`${name}: ${DURATION} s at ${CONNECTIONS} connections`);
    const loadBefore = loadavg()[0];
    const cpuBefore = cpuSeconds(api.pid);
    const result = await load(requests, DURATION);
    const cpuAfter = cpuSeconds(api.pid);
    // CPU milliseconds per request of each process group during the measured window.
    const cpu = Object.fromEntries(
      Object.keys(cpuAfter).map((k) => [
        k,
        Number((((cpuAfter[k] - cpuBefore[k]) * 1000) / result.requests).toFixed(2)),
      ]),
    );
    return {
      cpu,
      engine,
      cache,
      ...result,
      loadavg: Number(((loadBefore + loadavg()[0]) / 2).toFixed(1)),
      perQuery,
    };
  } finally {
    await stopProcess(api);
  }
}

function writeDocs(results) {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const start = '<!-- search-benchmark:start -->';
  const end = '<!-- search-benchmark:end -->';
  const ms = (v) => Math.round(v);
  const cpu = (r) =>
    r.cpu ? `${r.cpu.api} / ${r.cpu.postgres} / ${r.cpu.elasticsearch} / ${r.cpu.loadgen}` : 'n/a';
  const row = (r) =>
    `| ${ENGINE_NAMES[r.engine]} | ${r.cache} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.rps} | ${r.requests} | ${r.non2xx} | ${cpu(r)} | ${r.loadavg} |`;
  const section = [
    start,
    '## Search',
    '',
    `Measured ${results.date} with \`node scripts/bench/search.mjs\` on this machine (${cpus().length} cores,`,
    `${Math.round(totalmem() / 2 ** 30)} GB RAM, PostgreSQL ${results.postgresVersion}, Elasticsearch 9.3.2 with a 512 MB heap, Redis 7), all on loopback;`,
    'the load generator (autocannon), the API, PostgreSQL and Elasticsearch share the two cores.',
    `Data: the seeded bench database (\`scripts/bench/seed.mjs\`), ${results.prompts.toLocaleString('en-US')} prompts in 100 organizations.`,
    `Load: \`GET /api/v1/search\` at ${CONNECTIONS} connections for ${DURATION} s after a ${WARMUP} s warm-up, as members of 8 organizations (bearer JWT),`,
    `cycling through ${QUERIES.length} queries: plain words, typos (\`sumarize\`, \`marketng\`), a prefix, a phrase, OR/NOT, tag and status filters, sorts.`,
    'Each request is a first page: hits with highlights, facets over the whole filtered result, `total`, and the write of a recent search.',
    '',
    'Result cache `on` is the product as deployed (`SEARCH_CACHE_ENTRIES` default): the mix repeats 96 (member, query) pairs and',
    'nothing changes the data during the run, so after the warm-up every request is a cache hit — this row measures a repeated',
    'search (the API, the tenant transaction, the generation check and the recent-search write). `off` (`SEARCH_CACHE_ENTRIES=0`)',
    'computes every search in the engine: what a search nobody ran since the organization last changed costs.',
    "The CPU column is each process group's user + system time during the measured window (from `/proc`) divided by the",
    'requests answered; with two cores, a p95 under 50 ms at 16 connections needs roughly 400 req/s, i.e. about 5 ms of CPU',
    'per request for all of them together.',
    '',
    '| engine | result cache | p50 ms | p95 ms | p99 ms | req/s | requests | non-2xx | CPU ms per request: API / PostgreSQL / Elasticsearch / load generator | load average (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.runs.map(row),
    '',
    `Full rebuild into a new Elasticsearch index and alias swap (\`npm run search:reindex\`): ${results.reindex.documents.toLocaleString('en-US')} prompts in ${results.reindex.seconds.toFixed(1)} s (whole process, including boot).`,
    'Targets (issue 5): p95 under 50 ms for both engines, and a full rebuild of 100,000 prompts in under 2 minutes.',
    'The load average column is the machine-wide 1-minute load during the measurement (2 cores);',
    'figures taken above a load of 2 measure contention more than the engines. The Elasticsearch client times out after',
    '5 s and then answers from Postgres, so latencies near or above 5 s mean Elasticsearch was starved.',
    '',
    '### Before and after the search performance work',
    '',
    `Same data, query mix and ${CONNECTIONS} connections.`,
    '',
    '| engine | run | p50 ms | p95 ms | p99 ms | req/s | load average (1 min) |',
    '|---|---|---|---|---|---|---|',
    ...BASELINE.map(
      (b) => `| ${b.engine} | ${b.run} | ${b.p50} | ${b.p95} | ${b.p99} | ${b.rps} | ${b.loadavg} |`,
    ),
    ...results.runs.map(
      (r) =>
        `| ${ENGINE_NAMES[r.engine]} | now, result cache ${r.cache} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.rps} | ${r.loadavg} |`,
    ),
    '',
    'What was slow and why, and what changed: the notes below this section (hand-written; a re-run of this script leaves them alone).',
    end,
  ].join('\n');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const next = before.includes(start)
    ? before.replace(new RegExp(`${start}[\\s\\S]*${end}`), section)
    : `${before.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  log(`wrote the search section of ${file}`);
}

async function main() {
  // --docs-from <results.json>: rewrite the docs section from a previous run without measuring again.
  const from = option('--docs-from', null);
  if (from) return writeDocs(JSON.parse(readFileSync(from, 'utf8')));
  const hardLimit = setTimeout(() => {
    console.error('[bench:search] hard time limit reached; stopping');
    void stopStarted().then(() => process.exit(1));
  }, HARD_LIMIT_MS);
  hardLimit.unref();
  mkdirSync(RUN_DIR, { recursive: true });
  build();
  await prepareDatabase();
  const es = ENGINES.includes('elasticsearch')
    ? await elasticsearch()
    : { url: '', stop: async () => undefined };
  const db = new pg.Client({ connectionString: benchDatabaseUrl() });
  await db.connect();
  try {
    if (es.url) await dropIndices(es.url);
    const reindexed = es.url ? reindex(es.url) : undefined;
    // A freshly built index merges segments in the background for a while (CPU the runs would
    // share); measure the steady state, as a deployment would be after its rebuild.
    if (es.url) await settleIndex(es.url);
    const {
      rows: [{ n, v }],
    } = await db.query(`SELECT count(*)::int AS n, current_setting('server_version') AS v FROM prompts`);
    const runs = [];
    for (const engine of ENGINES) {
      for (const cache of CACHE_MODES) runs.push(await runEngine(engine, cache, es.url, db));
    }
    const results = {
      date: new Date().toISOString().slice(0, 10),
      postgresVersion: v,
      prompts: n,
      reindex: reindexed,
      runs,
    };
    writeResult(join(RUN_DIR, 'results.json'), results);
    console.table(runs.map(({ perQuery, ...r }) => r));
    if (reindexed) log(`reindex: ${reindexed.documents} documents in ${reindexed.seconds.toFixed(1)} s`);
    // The docs table is written only from a complete run (both engines, both cache modes).
    const complete = runs.length === 4;
    if (!flag('--no-docs') && complete && reindexed) writeDocs(results);
    if (es.url) await dropIndices(es.url);
  } finally {
    await db.end();
    await stopStarted();
    await es.stop();
  }
}

main().catch(async (err) => {
  console.error(`[bench:search] ${err.stack ?? err}`);
  await stopStarted();
  process.exit(1);
});
