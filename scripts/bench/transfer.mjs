#!/usr/bin/env node
// `npm run bench:transfer`: bulk import and export, and webhook delivery latency (issue 14
// performance targets: import 100,000 prompts of ~1.5 KB from CSV in under 60 s with the API's RSS
// growing by less than 200 MB; export them as JSON with versions in under 60 s; webhook delivery
// p95 under 2 s from commit at 1,000 events per minute).
//
//  1. creates a fresh database and starts the built API (dist/backend, `npm run build:backend`
//     first) with NODE_ENV=production on loopback, real PostgreSQL (and Redis if reachable; the API
//     runs the jobs itself, WORKERS=inline), the enterprise plan (no prompt limit), uploads up to
//     1 GiB and webhooks to loopback allowed (WEBHOOK_ALLOW_PRIVATE, as a development server has it);
//  2. streams a CSV of N prompts of about 1.5 KB each to a file;
//  3. import: upload (multipart, streamed from the file), wait for the preview, commit with
//     onDuplicate=skip, wait for the job; wall time of each step and of the whole, and the API
//     process's RSS growth (VmRSS of /proc/<pid>/status sampled every 250 ms, peak − before);
//  4. export: JSON with versions, from the request to `done`, then the download, streamed and
//     parsed, checking that it holds N prompts;
//  5. webhooks: a local receiver, an endpoint for prompt.created and prompt.updated, then prompt
//     creates and updates alternating at R events per minute for S seconds; latency = receipt −
//     the event's `timestamp` (the outbox row's time, written in the change's own transaction),
//     p50/p95/p99, and how many arrived;
//  6. prints the figures and the targets' verdicts, writes a JSON result, drops the database.
//
//   node scripts/bench/transfer.mjs [--prompts 100000] [--events-per-minute 1000]
//     [--webhook-seconds 60] [--api-port 4127] [--keep-csv] [--keep-db] [--import-only] [--out file.json]
//     [--memory-detail]
//   (--memory-detail: the API samples its own heap and external memory every 250 ms, and the
//   import's figures add what its RSS growth is made of; see memoryDetail below)
//   (TRANSFER_BENCH_PROMPTS=5000 works as --prompts for a quick run)
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  openAsBlob,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import pg from 'pg';
import streamJson from 'stream-json';
import pickModule from 'stream-json/filters/Pick.js';
import streamArrayModule from 'stream-json/streamers/StreamArray.js';
import { ADMIN_URL, REDIS_URL, ROOT, WORK_DIR, flag, option } from './config.mjs';

const PROMPTS = Number(option('--prompts', process.env.TRANSFER_BENCH_PROMPTS ?? 100_000));
const EVENTS_PER_MINUTE = Number(option('--events-per-minute', 1000));
const WEBHOOK_SECONDS = Number(option('--webhook-seconds', 60));
const API_PORT = Number(option('--api-port', 4127));
/** Only the import (a quick A/B of the import path): no export, no webhooks, no verdicts. */
const IMPORT_ONLY = flag('--import-only');
/** The API samples process.memoryUsage() and its major GCs (a preload), reported with the import. */
const MEMORY_DETAIL = flag('--memory-detail');
const DB = process.env.TRANSFER_BENCH_DB ?? 'prompt_vault_bench_transfer';
const DIST = join(ROOT, 'dist', 'backend');
const CSV_FILE = join(WORK_DIR, `transfer-${PROMPTS}.csv`);
const TARGETS = { importSeconds: 60, rssGrowthMb: 200, exportSeconds: 60, webhookP95Ms: 2000 };
const log = (msg) => console.log(`[bench:transfer] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => Math.round(ms / 100) / 10;

/** The value at percentile `p` (0–100) of ascending `sorted` (nearest rank), or null when empty. */
function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ------------------------------------------------------------------ the CSV, streamed to a file
const WORDS =
  'answer the customer politely and briefly about their ticket summarize the thread list next steps ' +
  'quote the order number keep a friendly tone avoid jargon offer a follow up call thank them'.split(' ');

/** A CSV cell: quoted, inner quotes doubled. */
const cell = (value) => `"${String(value).replaceAll('"', '""')}"`;

/** Content of about 1.5 KB with two variables, different for every row. */
function content(i) {
  let text = `Prompt ${i}: write to {{customer}} about {{topic}}.`;
  for (let w = 0; text.length < 1450; w++) text += ` ${WORDS[(i * 7 + w * 13) % WORDS.length]}`;
  return text;
}

async function writeCsv(file, count) {
  const out = createWriteStream(file);
  const write = async (line) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(
    'slug,title,description,content,tags,category,collection,status,visibility,model,temperature,maxTokens\n',
  );
  for (let i = 1; i <= count; i++) {
    await write(
      [
        `bench-${i}`,
        cell(`Bench prompt ${i}`),
        cell(`Generated prompt number ${i} for the transfer benchmark`),
        cell(content(i)),
        `bench|batch-${i % 20}`,
        '',
        '',
        i % 3 ? 'published' : 'draft',
        'organization',
        'gpt-4o-mini',
        '0.3',
        '500',
      ].join(',') + '\n',
    );
  }
  out.end();
  await once(out, 'finish');
}

// ------------------------------------------------------------------ the API's memory
/** VmRSS of a process in MB (Linux /proc), or null once it is gone. */
function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples the RSS every 250 ms until stopped; answers the figure before, the peak and the last. */
function watchRss(pid) {
  const before = rssMb(pid);
  let peak = before;
  let last = before;
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now === null) return;
    last = now;
    if (now > peak) peak = now;
  }, 250);
  const stop = () => {
    clearInterval(timer);
    return {
      beforeMb: Math.round(before),
      peakMb: Math.round(peak),
      afterMb: Math.round(last),
      growthMb: Math.round(peak - before),
    };
  };
  /** The peak so far (e.g. at the end of validation), sampling on. */
  stop.peakSoFar = () => Math.round(peak);
  return stop;
}

// ------------------------------------------------------------------ what the API's memory is made of
/**
 * The preload given to the API with --memory-detail: every 250 ms one JSON line of
 * process.memoryUsage() (MB) with the old space's use and the number of major GCs (mark-compact)
 * so far. Only observes (no flag of V8's changes), so the figures are those of an ordinary run.
 */
const MEMORY_SAMPLER = `'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const fd = fs.openSync(process.env.TRANSFER_BENCH_MEMORY_FILE, 'w');
let majorGcs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if ((e.detail ? e.detail.kind : e.kind) === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
}).observe({ entryTypes: ['gc'] });
const mb = (b) => Math.round(b / 1048576);
setInterval(() => {
  const m = process.memoryUsage();
  const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  fs.writeSync(fd, JSON.stringify({ at: Date.now(), rss: mb(m.rss), heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers),
    oldSpaceUsed: mb(old ? old.space_used_size : 0), majorGcs }) + '\\n');
}, 250).unref();
`;

/**
 * The samples of --memory-detail between two Date.now() times: the last one before `from`, and at
 * the peak of RSS, each split into V8's heap (heapTotal: what V8 holds from the system), external
 * memory (Buffers and other memory V8 is told of; arrayBuffers is part of it) and the rest (code,
 * the native heap, stacks); the peak of each figure; the major GCs in the span.
 */
function memoryDetail(file, from, to) {
  const samples = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const before = samples.filter((s) => s.at < from).at(-1) ?? samples[0];
  const span = samples.filter((s) => s.at >= from && s.at <= to);
  if (!before || !span.length) return null;
  const split = (s) => ({
    rss: s.rss,
    heapTotal: s.heapTotal,
    heapUsed: s.heapUsed,
    oldSpaceUsed: s.oldSpaceUsed,
    external: s.external,
    arrayBuffers: s.arrayBuffers,
    other: s.rss - s.heapTotal - s.external,
  });
  const atPeak = span.reduce((a, b) => (b.rss > a.rss ? b : a));
  const peaks = {};
  for (const key of ['heapTotal', 'heapUsed', 'oldSpaceUsed', 'external', 'arrayBuffers'])
    peaks[key] = Math.max(...span.map((s) => s[key]));
  return {
    beforeMb: split(before),
    atRssPeakMb: split(atPeak),
    peakMb: peaks,
    majorGcs: span.at(-1).majorGcs - before.majorGcs,
  };
}

// ------------------------------------------------------------------ CPU time of the API and the database
/** utime + stime of a process in seconds (Linux /proc, 100 ticks a second), or null once it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds spent by the API process and by the PostgreSQL backends of the bench database
 * (listed every 500 ms from pg_stat_activity; a backend counts from when it is first seen) while
 * running: a figure that the load of other processes on the machine changes much less than wall
 * time (they take turns on the cores; the work done stays the same).
 */
function watchCpu(pid, db) {
  const apiBefore = cpuSeconds(pid);
  const backends = new Map(); // pid → { first, last }
  const sample = async () => {
    const { rows } = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    for (const { pid: backend } of rows) {
      const now = cpuSeconds(backend);
      if (now === null) continue;
      const seen = backends.get(backend);
      if (seen) seen.last = now;
      else backends.set(backend, { first: now, last: now });
    }
  };
  let sampling = sample();
  const timer = setInterval(() => {
    sampling = sampling.then(sample, () => undefined);
  }, 500);
  const totals = async () => {
    await sampling.then(sample, () => undefined);
    let database = 0;
    for (const { first, last } of backends.values()) database += last - first;
    return { api: cpuSeconds(pid) - apiBefore, database };
  };
  const round = (s) => Math.round(s * 10) / 10;
  let lapped = { api: 0, database: 0 };
  return {
    /** The CPU seconds since the previous lap (or the start). */
    lap: async () => {
      const now = await totals();
      const since = {
        apiCpuSeconds: round(now.api - lapped.api),
        databaseCpuSeconds: round(now.database - lapped.database),
      };
      lapped = now;
      return since;
    },
    /** The CPU seconds since the start; stops sampling. */
    stop: async () => {
      clearInterval(timer);
      const now = await totals();
      return { apiCpuSeconds: round(now.api), databaseCpuSeconds: round(now.database) };
    },
  };
}

// ------------------------------------------------------------------ the webhook receiver
function startReceiver() {
  const received = new Map(); // webhook-id → { type, latencyMs }
  const server = createServer((req, res) => {
    const at = Date.now();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(204).end();
      const id = req.headers['webhook-id'];
      if (!id || received.has(id)) return;
      try {
        const event = JSON.parse(body);
        received.set(id, { type: event.type, latencyMs: at - Date.parse(event.timestamp) });
      } catch {
        received.set(id, { type: 'unparsable', latencyMs: NaN });
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received })));
}

// ------------------------------------------------------------------ main
const admin = new pg.Client({ connectionString: ADMIN_URL });
let api;
let receiver;
async function main() {
  if (!existsSync(join(DIST, 'main.js')))
    throw new Error('dist/backend/main.js is missing: npm run build:backend');
  if (!Number.isInteger(PROMPTS) || PROMPTS < 1) throw new Error('--prompts must be a positive integer');
  mkdirSync(WORK_DIR, { recursive: true });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${DB}`;
  const redisUp = await new Promise((resolve) => {
    const socket = connect(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
    socket.once('connect', () => resolve(true) || socket.destroy());
    socket.once('error', () => resolve(false));
  });

  let started = performance.now();
  await writeCsv(CSV_FILE, PROMPTS);
  const csvBytes = statSync(CSV_FILE).size;
  log(
    `wrote ${PROMPTS} rows, ${Math.round(csvBytes / 1024 / 1024)} MB (${Math.round(csvBytes / PROMPTS)} bytes a row) in ${seconds(performance.now() - started)} s`,
  );

  // TRANSFER_API_NODE_ARGS: node options for the API only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
  const nodeArgs = (process.env.TRANSFER_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const memoryFile = join(WORK_DIR, `transfer-memory-${API_PORT}.jsonl`);
  if (MEMORY_DETAIL) {
    const sampler = join(WORK_DIR, 'transfer-memory-sampler.cjs');
    writeFileSync(sampler, MEMORY_SAMPLER);
    nodeArgs.unshift('--require', sampler);
  }
  api = spawn(process.execPath, [...nodeArgs, join(DIST, 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(API_PORT),
      PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
      DATABASE_URL: dbUrl.toString(),
      // Per database: two runs at once (an A/B pair) must not take each other's jobs from Redis.
      ...(redisUp
        ? {
            REDIS_URL,
            QUEUE_PREFIX: `pv-bench-transfer-${createHash('sha1').update(DB).digest('hex').slice(0, 8)}`,
          }
        : {}),
      WORKERS: 'inline',
      DEFAULT_PLAN: 'enterprise',
      IMPORT_MAX_BYTES: String(1024 * 1024 * 1024),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      API_KEY_RATE_LIMIT: '1000000000',
      DATA_DIR: join(WORK_DIR, 'data-transfer'),
      LOG_LEVEL: 'warn',
      ...(MEMORY_DETAIL ? { TRANSFER_BENCH_MEMORY_FILE: memoryFile } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${API_PORT}/api/v1`;
  for (let i = 0; ; i++) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode})`);
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 360) throw new Error('the API did not start within 90 s');
    await sleep(250);
  }

  // An account and its organization (verified directly in the database: no mail server here).
  const email = `bench-${Date.now()}@bench.local`;
  const password = 'bench-password-1234';
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  await call('POST', '/auth/signup', { email, password, name: 'Bench' });
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  await db.query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE email = $1`, [
    email,
  ]);
  const { accessToken } = await call('POST', '/auth/login', { email, password });
  const me = await call('GET', '/me', undefined, { authorization: `Bearer ${accessToken}` });
  const headers = {
    authorization: `Bearer ${accessToken}`,
    'x-organization-id': me.memberships[0].organizationId,
  };
  const poll = async (path, done, what) => {
    let lastLog = performance.now();
    for (;;) {
      const view = await call('GET', path, undefined, headers);
      if (done(view)) return view;
      if (view.status === 'failed') throw new Error(`${what} failed: ${view.error}`);
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(
          `  ${what}: ${view.status}${view.progress ? ` ${view.progress.done}/${view.progress.total}` : ''}`,
        );
      }
      await sleep(250);
    }
  };

  // ---------------------------------------------------------------- import
  log(`import: ${PROMPTS} prompts (redis: ${redisUp ? 'yes' : 'no, inline queue'})`);
  const stopRss = watchRss(api.pid);
  const importStartedAt = Date.now();
  const cpuWatch = watchCpu(api.pid, db);
  const importStart = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(CSV_FILE, { type: 'text/csv' }), 'bench.csv');
  const uploadRes = await fetch(`${base}/imports`, { method: 'POST', headers, body: form });
  if (uploadRes.status !== 201) throw new Error(`upload: ${uploadRes.status} ${await uploadRes.text()}`);
  const { id: importId } = await uploadRes.json();
  const uploadMs = performance.now() - importStart;
  const ready = await poll(`/imports/${importId}`, (v) => v.status === 'ready', 'validation');
  const validateMs = performance.now() - importStart - uploadMs;
  const validationCpu = await cpuWatch.lap();
  const validationPeakMb = stopRss.peakSoFar();
  if (ready.counts.valid !== PROMPTS)
    throw new Error(
      `the preview found ${ready.counts.valid} valid rows of ${PROMPTS}: ${JSON.stringify(ready.preview.slice(0, 3))}`,
    );
  const commitStart = performance.now();
  await call('POST', `/imports/${importId}/commit`, { onDuplicate: 'skip' }, headers);
  const doneImport = await poll(`/imports/${importId}`, (v) => v.status === 'done', 'commit');
  const commitMs = performance.now() - commitStart;
  const importMs = performance.now() - importStart;
  const rss = stopRss();
  const commitCpu = await cpuWatch.lap();
  const cpu = await cpuWatch.stop();
  const stored = Number((await db.query(`SELECT count(*) AS n FROM prompts`)).rows[0].n);
  if (doneImport.counts.created !== PROMPTS || stored !== PROMPTS)
    throw new Error(`created ${doneImport.counts.created}, ${stored} prompts stored, expected ${PROMPTS}`);
  const imported = {
    prompts: PROMPTS,
    csvBytes,
    uploadSeconds: seconds(uploadMs),
    validateSeconds: seconds(validateMs),
    commitSeconds: seconds(commitMs),
    totalSeconds: seconds(importMs),
    promptsPerSecond: Math.round(PROMPTS / (importMs / 1000)),
    rss: { ...rss, validationPeakMb },
    cpu,
    // The same, split: upload and validation, then commit.
    cpuValidation: validationCpu,
    cpuCommit: commitCpu,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
  };
  if (MEMORY_DETAIL) {
    // One more sample past the end of the commit.
    await sleep(300);
    imported.memory = memoryDetail(memoryFile, importStartedAt, importStartedAt + importMs);
    rmSync(memoryFile, { force: true });
  }
  log(`import: ${JSON.stringify(imported)}`);
  if (IMPORT_ONLY) {
    await db.end();
    const out = option(
      '--out',
      join(WORK_DIR, `transfer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    );
    writeFileSync(
      out,
      JSON.stringify({ date: new Date().toISOString(), redis: redisUp, import: imported }, null, 2),
    );
    log(`result written to ${out}`);
    return;
  }

  // ---------------------------------------------------------------- export
  log('export: JSON with versions');
  const exportStart = performance.now();
  const requested = await call('POST', '/exports', { format: 'json', includeVersions: true }, headers);
  const doneExport = await poll(`/exports/${requested.id}`, (v) => v.status === 'done', 'export');
  const exportMs = performance.now() - exportStart;
  const downloadStart = performance.now();
  const download = await fetch(`${base}/exports/${requested.id}/download`, { headers });
  if (download.status !== 200) throw new Error(`download: ${download.status}`);
  let exportedPrompts = 0;
  let withVersions = 0;
  const pipeline = Readable.fromWeb(download.body)
    .pipe(streamJson.parser())
    .pipe(pickModule.pick({ filter: 'prompts' }))
    .pipe(streamArrayModule.streamArray());
  for await (const { value } of pipeline) {
    exportedPrompts++;
    if (Array.isArray(value.versions) && value.versions.length) withVersions++;
  }
  const downloadMs = performance.now() - downloadStart;
  if (doneExport.count !== PROMPTS || exportedPrompts !== PROMPTS || withVersions !== PROMPTS)
    throw new Error(
      `export: count ${doneExport.count}, ${exportedPrompts} in the file (${withVersions} with versions), expected ${PROMPTS}`,
    );
  const exported = {
    prompts: exportedPrompts,
    sizeBytes: doneExport.sizeBytes,
    exportSeconds: seconds(exportMs),
    downloadSeconds: seconds(downloadMs),
  };
  log(`export: ${JSON.stringify(exported)}`);

  // ---------------------------------------------------------------- webhooks
  receiver = await startReceiver();
  await call(
    'POST',
    '/webhooks',
    {
      url: `http://127.0.0.1:${receiver.server.address().port}/hook`,
      events: ['prompt.created', 'prompt.updated'],
      description: 'bench',
    },
    headers,
  );
  const total = Math.round((EVENTS_PER_MINUTE * WEBHOOK_SECONDS) / 60);
  const interval = 60_000 / EVENTS_PER_MINUTE;
  log(`webhooks: ${total} changes at ${EVENTS_PER_MINUTE}/min for ${WEBHOOK_SECONDS} s`);
  const created = [];
  let sent = 0;
  let refused = 0;
  const inFlight = new Set();
  started = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    // Alternate: create a prompt, then update the one created before (prompt.updated).
    const change =
      i % 2 === 0 || !created.length
        ? call('POST', '/prompts', { title: `Hook ${i}`, content: `Event ${i} for {{name}}` }, headers).then(
            (p) => created.push(p.id),
          )
        : call(
            'PATCH',
            `/prompts/${created[created.length - 1]}`,
            { content: `Event ${i} changed for {{name}}` },
            headers,
          );
    const tracked = change.then(
      () => sent++,
      () => refused++,
    );
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }
  await Promise.all(inFlight);
  const generatedSeconds = seconds(performance.now() - started);
  const drainStart = performance.now();
  while (receiver.received.size < sent && performance.now() - drainStart < 60_000) await sleep(250);
  const latencies = [...receiver.received.values()]
    .map((r) => r.latencyMs)
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  const webhooks = {
    changes: sent,
    refused,
    delivered: receiver.received.size,
    generatedSeconds,
    eventsPerMinute: Math.round((sent / generatedSeconds) * 60),
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
    },
  };
  log(`webhooks: ${JSON.stringify(webhooks)}`);
  await db.end();

  const verdict = {
    importUnder60s: imported.totalSeconds < TARGETS.importSeconds,
    rssGrowthUnder200Mb: rss.growthMb < TARGETS.rssGrowthMb,
    exportUnder60s: exported.exportSeconds < TARGETS.exportSeconds,
    webhookP95Under2s:
      webhooks.latencyMs.p95 !== null &&
      webhooks.latencyMs.p95 < TARGETS.webhookP95Ms &&
      webhooks.delivered === sent,
  };
  log(
    `verdict${PROMPTS === 100_000 ? '' : ` (targets are for 100,000 prompts; this run had ${PROMPTS})`}: ${JSON.stringify(verdict)}`,
  );
  const result = {
    date: new Date().toISOString(),
    redis: redisUp,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    targets: TARGETS,
    import: imported,
    export: exported,
    webhooks,
    verdict,
  };
  const out = option('--out', join(WORK_DIR, `transfer-${result.date.replace(/[:.]/g, '-')}.json`));
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
      await Promise.race([once(api, 'exit'), sleep(15_000)]);
      if (api.exitCode === null) api.kill('SIGKILL');
    }
    receiver?.server.close();
    if (!flag('--keep-csv')) rmSync(CSV_FILE, { force: true });
    if (flag('--keep-db')) {
      log(`database ${DB} kept (--keep-db)`);
      return;
    }
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await c.end();
  });
