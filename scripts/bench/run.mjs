#!/usr/bin/env node
// `npm run bench`: the prompt library benchmark, start to finish and bounded in time.
//
//  1. builds the API (`npm run build:backend`) and copies dist/backend to .cache/bench/dist-backend,
//     so another build in the same tree cannot pull files from under the running server;
//  2. seeds the bench database (scripts/bench/seed.mjs) unless it already holds this data shape,
//     otherwise applies pending migrations to it;
//  3. starts the built API (`node main.js`, NODE_ENV=production, real PostgreSQL and Redis) and the
//     floor server (scripts/bench/floor-server.mjs) on loopback ports, with the same pool size;
//  4. signs in seeded users through the API (bearer JWTs) and creates one API key per organization
//     through the API, spread over several organizations and roles;
//  5. per endpoint and server: warm-up, then autocannon at 32 connections for a fixed duration,
//     every request to a different prompt (ids/slugs drawn from many prompts of each organization);
//  6. prints a table, writes a JSON result, revokes the keys and stops everything it started.
//
//   node scripts/bench/run.mjs [--no-build | --dist dir] [--reseed] [--duration 20] [--warmup 5]
//                              [--connections 32] [--out file.json] [--only get,list,runtime]
//                              [--servers api,floor] [--profile] [--rounds 1]
//
// --rounds N measures each endpoint N times on each server, alternating API and floor (and which
// of the two goes first), and reports the API's throughput as a share of the floor's per round, pooled
// over the rounds and their median: on a shared machine the speed drifts between two 20 s windows,
// and alternating short windows cancels most of that drift out of the ratio.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  BENCH_PASSWORD,
  POOL_SIZE,
  REDIS_URL,
  ROLES,
  ROOT,
  SHAPE,
  WORK_DIR,
  ARGS,
  benchDatabaseUrl,
  flag,
  option,
  processCpu,
  usageOnHelp,
  userEmail,
} from './config.mjs';
import { API_SECRETS, apiEnv, startNode, stopStarted, waitForHttp } from './api-process.mjs';
import { percentile, writeResult } from './report.mjs';
import { seedOrMigrate } from './seed.mjs';

usageOnHelp(import.meta.url);
const DURATION = Number(option('--duration', 20));
const WARMUP = Number(option('--warmup', 5));
const CONNECTIONS = Number(option('--connections', 32));
const ROUNDS = Math.max(1, Number(option('--rounds', 1)));
const ONLY = option('--only', 'get,list,runtime').split(',');
const SERVERS = option('--servers', 'api,floor').split(',');
const API_PORT = Number(option('--api-port', 4101));
const FLOOR_PORT = Number(option('--floor-port', 4102));
/** Organizations the load is spread over (of the 100 seeded), with the role of the signed-in user. */
const ORGS = [5, 17, 29, 41, 53, 65, 77, 89];
const TARGETS_PER_ORG = 250;
/** The whole run must end within this; a hung server or database cannot keep the machine busy. */
const HARD_LIMIT_MS = 25 * 60_000;

let DIST = join(WORK_DIR, 'dist-backend');
const RUN_ID = new Date().toISOString().replace(/[:.]/g, '-');
const RUN_DIR = join(WORK_DIR, 'runs', RUN_ID);

const log = (msg) => console.log(`[bench] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ processes we start (and stop)

/** A process of this run, its output in the run directory. */
const startProcess = (name, args, env, ipc = false) =>
  startNode(name, args, env, { logFile: join(RUN_DIR, `${name}.log`), ipc });
const stopAll = stopStarted;

/** utime + stime of a process, in ms (NaN without /proc). */
const cpuMs = (pid) => processCpu(pid)?.ms ?? NaN;

/** Statements the process sent so far (scripts/bench/count-queries.cjs answers over IPC). */
function queryCount(child) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      resolve(NaN);
    }, 2000);
    const onMessage = (m) => {
      if (typeof m?.benchQueryCount !== 'number') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m.benchQueryCount);
    };
    child.on('message', onMessage);
    child.send('bench:count');
  });
}

// ------------------------------------------------------------------ build, seed, start

function build() {
  if (option('--dist')) {
    // Experiments: measure another build (e.g. a patched copy) as it is.
    DIST = option('--dist');
    log(`using the build in ${DIST}`);
    return;
  }
  if (!flag('--no-build')) {
    log('npm run build:backend');
    const r = spawnSync('npm', ['run', 'build:backend'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0)
      throw new Error('the backend build failed; fix it (or pass --no-build to use dist/ as is)');
  }
  const built = join(ROOT, 'dist', 'backend');
  if (!existsSync(join(built, 'main.js'))) {
    // Another build in this tree may be rewriting dist/ right now; a previous copy will do.
    if (flag('--no-build') && existsSync(join(DIST, 'main.js'))) {
      log('dist/backend is missing; using the previous copy in .cache/bench/dist-backend');
      return;
    }
    throw new Error('dist/backend/main.js is missing');
  }
  rmSync(DIST, { recursive: true, force: true });
  cpSync(built, DIST, { recursive: true });
}

async function prepareDatabase() {
  await seedOrMigrate({ dist: DIST, reseed: flag('--reseed') });
}

function startServers() {
  // --profile: a V8 CPU profile of the API process (written when it stops) to see where time goes.
  const profile = flag('--profile') ? ['--cpu-prof', '--cpu-prof-dir', RUN_DIR] : [];
  // BENCH_API_NODE_ARGS: node options for the API only (e.g. `--single-threaded-gc`), not the floor's.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = startProcess(
    'api',
    [
      ...nodeArgs,
      ...profile,
      '--require',
      join(ROOT, 'scripts/bench/count-queries.cjs'),
      join(DIST, 'main.js'),
    ],
    apiEnv({
      port: API_PORT,
      databaseUrl: benchDatabaseUrl(),
      redisUrl: REDIS_URL,
      queuePrefix: 'pv-bench',
      dataDir: join(WORK_DIR, 'data'),
      logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
      extra: {
        DB_MIGRATIONS_RUN: 'false',
        DB_POOL_SIZE: String(POOL_SIZE),
        JWT_ACCESS_TTL_SECONDS: '3600',
      },
    }),
    true,
  );
  const floor = startProcess(
    'floor',
    [
      '--require',
      join(ROOT, 'scripts/bench/count-queries.cjs'),
      join(ROOT, 'scripts/bench/floor-server.mjs'),
    ],
    {
      HOST: '127.0.0.1',
      PORT: String(FLOOR_PORT),
      DATABASE_URL: benchDatabaseUrl(),
      POOL_SIZE: String(POOL_SIZE),
      JWT_SECRET: API_SECRETS.JWT_SECRET,
      BENCH_DIST: DIST,
    },
    true,
  );
  return { api, floor };
}

// ------------------------------------------------------------------ clients and targets

async function http(method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`http://127.0.0.1:${API_PORT}/api/v1${path}`, {
    method,
    headers: {
      ...headers,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs in one member per organization and creates an API key for them, both through the API. */
async function prepareClients(db) {
  const clients = [];
  for (const [i, org] of ORGS.entries()) {
    // Roles rotate over the organizations: OWNER, EDITOR, VIEWER, ADMIN, …
    const k = [1, 3, 5, 2, 4][i % 5];
    const {
      rows: [o],
    } = await db.query(`SELECT id FROM organizations WHERE slug = $1`, [`bench-org-${org}`]);
    // Plan enforcement stays on: an Enterprise contract whose API allowance the load cannot reach,
    // so every request still resolves and counts its organization's plan limit.
    await db.query(`UPDATE organizations SET plan = 'enterprise' WHERE id = $1`, [o.id]);
    await db.query(
      `INSERT INTO organization_billing (organization_id, custom_limits) VALUES ($1, $2)
       ON CONFLICT (organization_id) DO UPDATE SET custom_limits = EXCLUDED.custom_limits`,
      [o.id, JSON.stringify({ apiRequests: { limit: 1000000000, windowSeconds: 3600 } })],
    );
    const {
      rows: [u],
    } = await db.query(`SELECT id FROM users WHERE lower(email) = $1`, [userEmail(org, k)]);
    const { accessToken } = await http('POST', '/auth/login', {
      body: { email: userEmail(org, k), password: BENCH_PASSWORD },
    });
    const key = await http('POST', `/organizations/${o.id}/api-keys`, {
      token: accessToken,
      body: { name: `bench ${RUN_ID}` },
    });
    // Prompts this member can see (their organization's, private ones only when they wrote them),
    // spread over the whole organization; for runtime fetch, those with a production label.
    const { rows: ids } = await db.query(
      `SELECT id FROM prompts WHERE organization_id = $1 AND (visibility = 'organization' OR author_id = $2)
        ORDER BY hashtext(id::text) LIMIT ${TARGETS_PER_ORG}`,
      [o.id, u.id],
    );
    const { rows: slugs } = await db.query(
      `SELECT p.slug FROM prompts p JOIN prompt_labels l ON l.prompt_id = p.id AND l.label = 'production'
        WHERE p.organization_id = $1 AND (p.visibility = 'organization' OR p.author_id = $2)
        ORDER BY hashtext(p.id::text) LIMIT ${TARGETS_PER_ORG}`,
      [o.id, u.id],
    );
    clients.push({
      org,
      organizationId: o.id,
      role: ROLES[k - 1],
      accessToken,
      apiKey: key.key,
      apiKeyId: key.id,
      ids: ids.map((r) => r.id),
      slugs: slugs.map((r) => r.slug),
    });
  }
  return clients;
}

async function revokeKeys(clients) {
  for (const c of clients) {
    await http('DELETE', `/organizations/${c.organizationId}/api-keys/${c.apiKeyId}`, {
      token: c.accessToken,
    }).catch((err) => log(`could not revoke a bench key: ${err.message}`));
  }
}

/** The three benchmarked requests; each call picks the next target (round-robin over all). */
function endpoints(clients) {
  const bearer = (c) => ({ authorization: `Bearer ${c.accessToken}`, 'x-organization-id': c.organizationId });
  const all = (f) => clients.flatMap((c) => f(c).map((path) => ({ path, headers: f.headers(c) })));
  const get = Object.assign((c) => c.ids.map((id) => `/api/v1/prompts/${id}`), { headers: bearer });
  const list = Object.assign(() => ['/api/v1/prompts'], { headers: bearer });
  const runtime = Object.assign(
    (c) => c.slugs.map((s) => `/api/v1/prompts/by-slug/${encodeURIComponent(s)}?label=production`),
    { headers: (c) => ({ 'x-api-key': c.apiKey }) },
  );
  const shuffle = (xs) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  return [
    {
      key: 'get',
      name: 'GET /api/v1/prompts/:id',
      auth: 'bearer JWT + X-Organization-Id',
      targets: shuffle(all(get)),
    },
    {
      key: 'list',
      name: 'GET /api/v1/prompts (first page)',
      auth: 'bearer JWT + X-Organization-Id',
      targets: shuffle(all(list)),
    },
    {
      key: 'runtime',
      name: 'GET /api/v1/prompts/by-slug/:slug?label=production',
      auth: 'X-API-Key',
      targets: shuffle(all(runtime)),
    },
  ].filter((e) => ONLY.includes(e.key));
}

// ------------------------------------------------------------------ load

/** One autocannon run; latencies of every 2xx/304 response kept exactly (ms, fractional). */
function load(port, endpoint, seconds, connections) {
  let next = Math.floor(Math.random() * endpoint.targets.length);
  const latencies = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const t = endpoint.targets[next++ % endpoint.targets.length];
              return { ...req, path: t.path, headers: t.headers };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies })),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 400) latencies.push(ms);
    });
  });
}

async function measure(server, port, child, endpoint, db, connections = CONNECTIONS) {
  const pid = child.pid;
  await load(port, endpoint, WARMUP, connections);
  // PostgreSQL publishes a backend's counters at most once a second: let the warm-up's arrive.
  await sleep(1200);
  const appName = server === 'api' ? 'prompt-vault' : 'prompt-vault-bench-floor';
  const before = {
    dbCpu: await databaseCpuMs(db, appName),
    cpu: cpuMs(pid),
    queries: await queryCount(child),
    xact: await transactions(db),
    load: loadavg()[0],
  };
  const { result, latencies } = await load(port, endpoint, DURATION, connections);
  await sleep(1200);
  const after = {
    dbCpu: await databaseCpuMs(db, appName),
    cpu: cpuMs(pid),
    queries: await queryCount(child),
    xact: await transactions(db),
  };
  latencies.sort((a, b) => a - b);
  const ok = latencies.length;
  const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    server,
    endpoint: endpoint.key,
    connections,
    requestsPerSecond: round(ok / result.duration, 0),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[ok - 1] ?? NaN),
      mean: round(latencies.reduce((a, b) => a + b, 0) / ok),
    },
    responses: ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    durationSeconds: result.duration,
    // Per request: statements this process sent, transactions the database committed (both
    // servers share nothing else with the database during the run), CPU of the server process.
    queriesPerRequest: round((after.queries - before.queries) / ok),
    transactionsPerRequest: round((after.xact - before.xact) / ok),
    serverCpuMsPerRequest: round((after.cpu - before.cpu) / ok, 3),
    // The pool's backends (the same connections before and after: the pools keep them open).
    databaseCpuMsPerRequest: round((after.dbCpu - before.dbCpu) / ok, 3),
    loadAverageBefore: round(before.load),
    autocannon: { latency: result.latency, requests: result.requests, throughput: result.throughput },
  };
}

/** CPU (ms) used so far by the database backends serving one server's pool (Linux /proc). */
async function databaseCpuMs(db, applicationName) {
  const { rows } = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [applicationName],
  );
  return rows.reduce((sum, r) => sum + cpuMs(r.pid), 0);
}

async function transactions(db) {
  const { rows } = await db.query(
    `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  // pg_stat_database is refreshed when a backend reports; make the counters current.
  return Number(rows[0].n);
}

/** Both servers must answer each endpoint with 200 and the same fields before anything is timed. */
async function checkAnswers(endpoint) {
  const t = endpoint.targets[0];
  const shapes = [];
  for (const port of [API_PORT, FLOOR_PORT].filter((_, i) => SERVERS.includes(['api', 'floor'][i]))) {
    const res = await fetch(`http://127.0.0.1:${port}${t.path}`, { headers: t.headers });
    const body = await res.json();
    if (res.status !== 200)
      throw new Error(`${port} ${t.path} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    const item = Array.isArray(body.items) ? body.items[0] : body;
    shapes.push(Object.keys(item).sort().join(','));
  }
  if (shapes[0] !== shapes[1])
    log(`note: ${endpoint.key} answers differ in fields:\n  api:   ${shapes[0]}\n  floor: ${shapes[1]}`);
}

// ------------------------------------------------------------------ report

function table(results, endpointsList) {
  const rows = [
    [
      'endpoint',
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'SQL/req',
      'tx/req',
      'CPU ms/req',
      'DB CPU ms/req',
    ],
  ];
  for (const e of endpointsList) {
    for (const r of results.filter((x) => x.endpoint === e.key)) {
      rows.push([
        r.connections === CONNECTIONS ? e.name : `${e.name} (1 connection)`,
        r.server,
        String(r.requestsPerSecond),
        r.latencyMs.p50.toFixed(2),
        r.latencyMs.p99.toFixed(2),
        String(r.non2xx + r.errors + r.timeouts),
        String(r.queriesPerRequest),
        String(r.transactionsPerRequest),
        String(r.serverCpuMsPerRequest),
        String(r.databaseCpuMsPerRequest),
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

const pct = (x) => `${Math.round(x * 100)} %`;

/**
 * Per endpoint at full concurrency: the API's throughput as a share of the floor's, per round
 * (paired windows), pooled (all API responses over all floor responses, equal durations) and the
 * median of the rounds.
 */
function ratios(results, endpointsList) {
  const out = {};
  for (const e of endpointsList) {
    const of = (server) =>
      results.filter((r) => r.endpoint === e.key && r.server === server && r.connections === CONNECTIONS);
    const [api, floor] = [of('api'), of('floor')];
    if (!api.length || api.length !== floor.length) continue;
    const rounds = api.map((a, i) => a.requestsPerSecond / floor[i].requestsPerSecond);
    const sorted = [...rounds].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const sum = (xs) => xs.reduce((n, r) => n + r.responses / r.durationSeconds, 0);
    out[e.key] = {
      rounds: rounds.map((x) => Math.round(x * 1000) / 1000),
      pooled: Math.round((sum(api) / sum(floor)) * 1000) / 1000,
      median:
        Math.round((sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2) * 1000) / 1000,
    };
  }
  return out;
}

function verdict(results, shares) {
  const runs = results.filter(
    (r) => r.server === 'api' && r.endpoint === 'runtime' && r.connections === CONNECTIONS,
  );
  const share = shares.runtime?.pooled;
  if (!runs.length || share === undefined) return null;
  const p99 = Math.max(...runs.map((r) => r.latencyMs.p99));
  return {
    runtimeP99Ms: p99,
    runtimeP99Under10ms: p99 < 10,
    runtimeThroughputVsFloor: Math.round(share * 100) / 100,
    runtimeAtLeastHalfOfFloor: share >= 0.5,
  };
}

// ------------------------------------------------------------------ main

async function main() {
  mkdirSync(RUN_DIR, { recursive: true });
  build();
  await prepareDatabase();
  const db = new pg.Client({ connectionString: benchDatabaseUrl() });
  await db.connect();
  let clients = [];
  try {
    const { api, floor } = startServers();
    log(`starting the API (:${API_PORT}) and the floor server (:${FLOOR_PORT}); logs in ${RUN_DIR}`);
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${API_PORT}/api/v1/health`, api, { logs: RUN_DIR }),
      waitForHttp(`http://127.0.0.1:${FLOOR_PORT}/health`, floor, { logs: RUN_DIR }),
    ]);
    clients = await prepareClients(db);
    const list = endpoints(clients);
    for (const e of list) await checkAnswers(e);

    const results = [];
    const servers = [
      ['api', API_PORT, api],
      ['floor', FLOOR_PORT, floor],
    ].filter(([server]) => SERVERS.includes(server));
    for (const e of list) {
      for (let round = 1; round <= ROUNDS; round++) {
        // Even rounds start with the floor, so neither server always gets the later window.
        for (const [server, port, child] of round % 2 ? servers : [...servers].reverse()) {
          const of = ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : '';
          log(`${e.name} → ${server}${of}: ${WARMUP} s warm-up, ${DURATION} s at ${CONNECTIONS} connections`);
          const r = await measure(server, port, child, e, db);
          log(`  ${r.requestsPerSecond} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`);
          results.push(ROUNDS > 1 ? { ...r, round } : r);
        }
      }
    }
    // What one client alone sees: runtime fetch at a single connection (latency without queueing).
    const runtime = list.find((e) => e.key === 'runtime');
    if (runtime && !flag('--no-single')) {
      for (const [server, port, child] of [
        ['api', API_PORT, api],
        ['floor', FLOOR_PORT, floor],
      ].filter(([s]) => SERVERS.includes(s))) {
        log(`${runtime.name} → ${server}: ${WARMUP} s warm-up, ${DURATION} s at 1 connection`);
        const r = await measure(server, port, child, runtime, db, 1);
        log(`  ${r.requestsPerSecond} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`);
        results.push(r);
      }
    }

    const shares = ratios(results, list);
    const { rows: counts } = await db.query(
      `SELECT (SELECT count(*) FROM prompts) AS prompts, (SELECT count(*) FROM prompt_versions) AS versions,
              (SELECT count(*) FROM organizations) AS organizations`,
    );
    const report = {
      runId: RUN_ID,
      command: `node scripts/bench/run.mjs ${ARGS.join(' ')}`.trim(),
      gitCommit: spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        postgres: (await db.query('SHOW server_version')).rows[0].server_version,
        loadAverageAtEnd: loadavg(),
      },
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        warmupSeconds: WARMUP,
        poolSize: POOL_SIZE,
        organizationsUnderLoad: ORGS.length,
        targetsPerEndpoint: Object.fromEntries(list.map((e) => [e.key, e.targets.length])),
        apiLogLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
      },
      data: { shape: SHAPE, counts: counts[0] },
      clients: clients.map((c) => ({ org: c.org, role: c.role })),
      results,
      ratios: shares,
      verdict: verdict(results, shares),
    };
    const out = writeResult(option('--out', join(RUN_DIR, 'result.json')), report);
    console.log(`\n${table(results, list)}\n`);
    for (const [key, r] of Object.entries(report.ratios))
      log(
        `${key}: API at ${pct(r.pooled)} of the floor` +
          (r.rounds.length > 1
            ? ` pooled over ${r.rounds.length} rounds, median ${pct(r.median)} (rounds: ${r.rounds.map(pct).join(', ')})`
            : ''),
      );
    if (report.verdict) log(`runtime fetch: ${JSON.stringify(report.verdict)}`);
    log(`result: ${out}`);
  } finally {
    if (clients.length) await revokeKeys(clients);
    await db.end().catch(() => undefined);
    await stopAll();
  }
}

const hardLimit = setTimeout(() => {
  console.error(`[bench] still running after ${HARD_LIMIT_MS / 60_000} min; stopping`);
  void stopAll().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
hardLimit.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error('[bench] failed:', err.message ?? err);
    await stopAll();
    process.exit(1);
  },
);
