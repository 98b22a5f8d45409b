#!/usr/bin/env node
// `npm run bench:playground`: what the API adds to a streamed run (issue 12: < 20 ms p95 to the time
// to first token and to the full answer, at 16 concurrent runs, with a provider answering at once).
//
//  1. starts a local OpenAI-compatible server that streams a 20-chunk chat completion at once;
//  2. creates a fresh database and starts the built API (dist/backend, `npm run build:backend`
//     first) with NODE_ENV=production on loopback, real PostgreSQL (and Redis if reachable);
//  3. signs up, adds an OpenAI key pointing at the local server, creates a prompt;
//  4. per mode, warm-up then CONCURRENCY workers × RUNS requests each, every one streamed:
//     - direct: POST {fake}/v1/chat/completions (stream) — what any client pays anyway;
//     - api:    POST /api/v1/prompts/:id/run with Accept: text/event-stream (render, key decrypt,
//               provider call through the AI SDK, SSE relay, run stored in its own transaction);
//     TTFT = first content byte (`delta` event / first content chunk); total = end of the stream;
//     - read:   GET /api/v1/prompts/:id, the floor of any authenticated request, for reference;
//     with --floor, also (scripts/bench/run-floor-server.mjs, bare node:http in its own process):
//     - proxy:  the same stream relayed as the API's events, nothing else — what any Node server
//               that relays a stream adds here;
//     - floor:  the relay plus the API's three round trips with its own statements (opening with
//               the membership, the run's reads with COMMIT, the run's store);
//     - minimal: the same, but the store writes the run's row alone (no usage event or rollups);
//  5. prints p50/p95/p99 of each and the difference api − direct, the API's CPU time, its
//     PostgreSQL backends' CPU time and SQL statements per run (measured phase only), writes a JSON
//     result, drops the database.
//
//   node scripts/bench/playground.mjs [--concurrency 16] [--runs 40] [--warmup 32] [--out file.json]
//                                     [--api-port 4111] [--db prompt_vault_bench_playground]
//                                     [--profile]   (a V8 CPU profile of the API in .cache/bench/profiles)
//                                     [--floor]     (the proxy, floor and minimal modes above)
import { createServer } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import {
  dropDatabase,
  freshApi,
  postJson,
  runBenchmark,
  signUpOwner,
  startNode,
  stopProcess,
  waitForHttp,
} from './api-process.mjs';
import { REDIS_URL, ROOT, WORK_DIR, flag, option, processCpu, usageOnHelp } from './config.mjs';
import { machine, percentile, saveResult } from './report.mjs';

usageOnHelp(import.meta.url);
const CONCURRENCY = Number(option('--concurrency', 16));
const RUNS = Number(option('--runs', 40));
const WARMUP = Number(option('--warmup', 32));
const API_PORT = Number(option('--api-port', 4111));
const DB = option('--db', 'prompt_vault_bench_playground');
const log = (msg) => console.log(`[bench:playground] ${msg}`);

// ------------------------------------------------------------------ the provider, answering at once
const WORDS = Array.from({ length: 20 }, (_, i) => `word${i} `);
function startProvider() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const base = {
        id: 'chatcmpl-bench',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4o-mini',
      };
      const chunk = (choices, extra = {}) => `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let out = chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (const w of WORDS) out += chunk([{ index: 0, delta: { content: w }, finish_reason: null }]);
      out += chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
      if (JSON.parse(body).stream_options?.include_usage)
        out += chunk([], { usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } });
      res.end(`${out}data: [DONE]\n\n`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ------------------------------------------------------------------ one streamed request, timed
async function timed(url, init, isContent) {
  const started = performance.now();
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let ttft;
  let text = '';
  for await (const piece of res.body) {
    if (ttft === undefined) {
      text += decoder.decode(piece, { stream: true });
      if (isContent(text)) ttft = performance.now() - started;
    }
  }
  if (ttft === undefined) throw new Error(`${url}: no content in the stream`);
  return { ttft, total: performance.now() - started };
}

/**
 * CPU (ms) used so far by the PostgreSQL backends of the API's pool (Linux /proc; the pool keeps
 * its connections open, so the same backends before and after a phase).
 */
async function databaseCpuMs(db, application = 'prompt-vault') {
  const { rows } = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [application],
  );
  return rows.reduce((sum, r) => sum + (processCpu(r.pid)?.ms ?? 0), 0);
}

/**
 * The API's CPU time (ms), its database backends' CPU time and SQL statements so far
 * (scripts/bench/count-queries.cjs over IPC).
 */
async function apiCounters(api, db) {
  if (api.floor)
    return {
      cpuMs: processCpu(api.pid)?.ms ?? NaN,
      dbCpuMs: await databaseCpuMs(db, 'prompt-vault-bench-run-floor'),
      statements: NaN,
    };
  const statements = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      api.off('message', onMessage);
      resolve(NaN);
    }, 2000);
    const onMessage = (m) => {
      if (typeof m?.benchQueryCount !== 'number') return;
      clearTimeout(timer);
      api.off('message', onMessage);
      resolve(m.benchQueryCount);
    };
    api.on('message', onMessage);
    api.send('bench:count');
  });
  return { cpuMs: processCpu(api.pid)?.ms ?? NaN, dbCpuMs: await databaseCpuMs(db), statements };
}

async function load(name, one, api, db) {
  for (let i = 0; i < WARMUP; i += CONCURRENCY)
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WARMUP - i) }, one));
  const before = api ? await apiCounters(api, db) : undefined;
  const samples = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < RUNS; i++) samples.push(await one());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = api ? await apiCounters(api, db) : undefined;
  const pct = (key, p) => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    return Math.round(percentile(sorted, p) * 10) / 10;
  };
  const stats = {
    requests: samples.length,
    perSecond: Math.round(samples.length / seconds),
    ttft: { p50: pct('ttft', 50), p95: pct('ttft', 95), p99: pct('ttft', 99) },
    total: { p50: pct('total', 50), p95: pct('total', 95), p99: pct('total', 99) },
    ...(api
      ? {
          apiCpuMsPerRequest: Math.round(((after.cpuMs - before.cpuMs) / samples.length) * 10) / 10,
          databaseCpuMsPerRequest: Math.round(((after.dbCpuMs - before.dbCpuMs) / samples.length) * 10) / 10,
          ...(api.floor
            ? {}
            : {
                statementsPerRequest:
                  Math.round(((after.statements - before.statements) / samples.length) * 10) / 10,
              }),
        }
      : {}),
  };
  log(`${name}: ${JSON.stringify(stats)}`);
  return stats;
}

// ------------------------------------------------------------------ main
let provider;
async function main() {
  provider = await startProvider();
  const providerUrl = `http://127.0.0.1:${provider.address().port}/v1`;
  const {
    base,
    databaseUrl: dbUrl,
    redis: redisUp,
    api,
  } = await freshApi({
    nodeArgs: [
      ...(flag('--profile') ? ['--cpu-prof', '--cpu-prof-dir', join(WORK_DIR, 'profiles')] : []),
      '--require',
      join(ROOT, 'scripts/bench/count-queries.cjs'),
    ],
    ipc: true,
    db: DB,
    port: API_PORT,
    redisUrl: REDIS_URL,
    dataDir: join(WORK_DIR, 'data-playground'),
    extra: { PROVIDER_BASE_URL_ALLOW_PRIVATE: 'true' },
  });

  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const { headers } = await signUpOwner(base, db);
  const json = (path, body) => postJson(base, path, body, headers);
  const key = await json('/provider-keys', {
    provider: 'openai',
    name: 'Bench',
    apiKey: 'sk-bench-0123456789',
    baseUrl: providerUrl,
  });
  const prompt = await json('/prompts', {
    title: 'Bench',
    content: 'Say hello to {{name}} in twenty words.',
  });

  const direct = await load('direct', () =>
    timed(
      `${providerUrl}/chat/completions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0123456789' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'Say hello to Ann in twenty words.' }],
        }),
      },
      (text) => text.includes('"content":"word'),
    ),
  );
  const viaApi = await load(
    'api',
    () =>
      timed(
        `${base}/prompts/${prompt.id}/run`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ model: 'gpt-4o-mini', variables: { name: 'Ann' } }),
        },
        (text) => text.includes('event: delta'),
      ),
    api,
    db,
  );
  // Reference: an authenticated read of the same prompt (admission, one tenant transaction), the
  // floor of any API request on this machine at this moment.
  const read = await load(
    'read',
    async () => {
      const started = performance.now();
      const res = await fetch(`${base}/prompts/${prompt.id}`, { headers });
      await res.arrayBuffer();
      const ms = performance.now() - started;
      return { ttft: ms, total: ms };
    },
    api,
    db,
  );
  // The floors of a run (--floor): the relay alone, then with the API's database work.
  const floors = {};
  if (flag('--floor')) {
    const {
      rows: [member],
    } = await db.query(`SELECT organization_id, user_id FROM memberships LIMIT 1`);
    for (const [i, [name, withDb, store]] of [
      ['proxy', false],
      ['floor', true, 'all'],
      ['minimal', true, 'row'],
    ].entries()) {
      const port = API_PORT + 1 + i;
      const server = startNode(`run-${name}`, [join(ROOT, 'scripts/bench/run-floor-server.mjs')], {
        PORT: String(port),
        PROVIDER_URL: providerUrl,
        ...(withDb
          ? {
              DATABASE_URL: dbUrl,
              ORGANIZATION_ID: member.organization_id,
              USER_ID: member.user_id,
              PROMPT_ID: prompt.id,
              KEY_ID: key.id,
              STORE: store,
            }
          : { DATABASE_URL: '' }),
      });
      await waitForHttp(`http://127.0.0.1:${port}/health`, server);
      server.floor = true;
      floors[name] = await load(
        name,
        () =>
          timed(
            `http://127.0.0.1:${port}/run`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
              body: JSON.stringify({ variables: { name: 'Ann' } }),
            },
            (text) => text.includes('event: delta'),
          ),
        server,
        db,
      );
      await stopProcess(server);
      floors[name].added = {
        ttftP95: Math.round((floors[name].ttft.p95 - direct.ttft.p95) * 10) / 10,
        totalP95: Math.round((floors[name].total.p95 - direct.total.p95) * 10) / 10,
      };
      log(
        `the ${name} adds ${floors[name].added.ttftP95} ms p95 to the time to first token and ${floors[name].added.totalP95} ms p95 to the full answer`,
      );
    }
  }
  const stored = await db.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'success')::int AS ok FROM runs`,
  );
  await db.end();
  const added = {
    ttftP95: Math.round((viaApi.ttft.p95 - direct.ttft.p95) * 10) / 10,
    totalP95: Math.round((viaApi.total.p95 - direct.total.p95) * 10) / 10,
  };
  log(
    `the API adds ${added.ttftP95} ms p95 to the time to first token and ${added.totalP95} ms p95 to the full answer`,
  );
  log(`runs stored: ${stored.rows[0].ok} of ${stored.rows[0].n} successful`);
  const result = {
    date: new Date().toISOString(),
    concurrency: CONCURRENCY,
    runsPerWorker: RUNS,
    redis: redisUp,
    machine: machine(),
    direct,
    api: viaApi,
    read,
    added,
    ...floors,
  };
  const out = saveResult('playground', result);
  log(`result written to ${out}`);
}

runBenchmark(main, async () => {
  provider?.close();
  await dropDatabase(DB);
});
