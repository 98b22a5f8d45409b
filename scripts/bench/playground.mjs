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
//  5. prints p50/p95/p99 of each and the difference api − direct, writes a JSON result, drops the database.
//
//   node scripts/bench/playground.mjs [--concurrency 16] [--runs 40] [--warmup 32] [--out file.json]
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ADMIN_URL, REDIS_URL, ROOT, WORK_DIR, option } from './config.mjs';

const CONCURRENCY = Number(option('--concurrency', 16));
const RUNS = Number(option('--runs', 40));
const WARMUP = Number(option('--warmup', 32));
const API_PORT = Number(option('--api-port', 4111));
const DB = 'prompt_vault_bench_playground';
const DIST = join(ROOT, 'dist', 'backend');
const log = (msg) => console.log(`[bench:playground] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

async function load(name, one) {
  for (let i = 0; i < WARMUP; i += CONCURRENCY)
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WARMUP - i) }, one));
  const samples = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < RUNS; i++) samples.push(await one());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const pct = (key, p) => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
  };
  const stats = {
    requests: samples.length,
    perSecond: Math.round(samples.length / seconds),
    ttft: { p50: pct('ttft', 50), p95: pct('ttft', 95), p99: pct('ttft', 99) },
    total: { p50: pct('total', 50), p95: pct('total', 95), p99: pct('total', 99) },
  };
  log(`${name}: ${JSON.stringify(stats)}`);
  return stats;
}

// ------------------------------------------------------------------ main
const admin = new pg.Client({ connectionString: ADMIN_URL });
let api;
let provider;
async function main() {
  if (!existsSync(join(DIST, 'main.js')))
    throw new Error('dist/backend/main.js is missing: npm run build:backend');
  mkdirSync(WORK_DIR, { recursive: true });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${DB}`;
  provider = await startProvider();
  const providerUrl = `http://127.0.0.1:${provider.address().port}/v1`;
  const redisUp = await new Promise((resolve) => {
    const socket = connect(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
    socket.once('connect', () => resolve(true) || socket.destroy());
    socket.once('error', () => resolve(false));
  });

  api = spawn(process.execPath, [join(DIST, 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(API_PORT),
      PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
      DATABASE_URL: dbUrl.toString(),
      ...(redisUp ? { REDIS_URL, QUEUE_PREFIX: 'pv-bench-playground' } : {}),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      PROVIDER_BASE_URL_ALLOW_PRIVATE: 'true',
      API_KEY_RATE_LIMIT: '1000000000',
      DATA_DIR: join(WORK_DIR, 'data-playground'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${API_PORT}/api/v1`;
  for (let i = 0; ; i++) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode})`);
    if (
      await fetch(`http://127.0.0.1:${API_PORT}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 360) throw new Error('the API did not start within 90 s');
    await sleep(250);
  }

  const email = `bench-${Date.now()}@bench.local`;
  const password = 'bench-password-1234';
  const json = async (path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await json('/auth/signup', { email, password, name: 'Bench' });
  await admin.end();
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  await db
    .query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE email = $1`, [
      email,
    ])
    .catch(() => undefined);
  const { accessToken } = await json('/auth/login', { email, password });
  const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) =>
    r.json(),
  );
  const headers = {
    authorization: `Bearer ${accessToken}`,
    'x-organization-id': me.memberships[0].organizationId,
  };
  await json(
    '/provider-keys',
    { provider: 'openai', name: 'Bench', apiKey: 'sk-bench-0123456789', baseUrl: providerUrl },
    headers,
  );
  const prompt = await json(
    '/prompts',
    { title: 'Bench', content: 'Say hello to {{name}} in twenty words.' },
    headers,
  );

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
  const viaApi = await load('api', () =>
    timed(
      `${base}/prompts/${prompt.id}/run`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ model: 'gpt-4o-mini', variables: { name: 'Ann' } }),
      },
      (text) => text.includes('event: delta'),
    ),
  );
  // Reference: an authenticated read of the same prompt (admission, one tenant transaction), the
  // floor of any API request on this machine at this moment.
  const read = await load('read', async () => {
    const started = performance.now();
    const res = await fetch(`${base}/prompts/${prompt.id}`, { headers });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    return { ttft: ms, total: ms };
  });
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
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    direct,
    api: viaApi,
    read,
    added,
  };
  const out = option('--out', join(WORK_DIR, `playground-${result.date.replace(/[:.]/g, '-')}.json`));
  writeFileSync(out, JSON.stringify(result, null, 2));
  log(`result written to ${out}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await Promise.race([new Promise((r) => api.once('exit', r)), sleep(15_000)]);
      if (api.exitCode === null) api.kill('SIGKILL');
    }
    provider?.close();
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await c.end();
  });
