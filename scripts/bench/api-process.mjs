// The processes and databases the benchmark scripts own (run, search, playground, analytics): the
// built API's environment, starting a process and waiting for its health route, stopping what was
// started, and a fresh database of the benchmark's own. Nothing here is used by the product.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { ADMIN_URL, BENCH_PASSWORD, ROOT } from './config.mjs';

/** Where `npm run build:backend` puts the API (the runners copy it elsewhere before they start it). */
export const BUILT_BACKEND = join(ROOT, 'dist', 'backend');

/**
 * The secrets of the API processes of this benchmark run, made fresh for each run (the floor
 * server of run.mjs verifies the API's JWTs with the same JWT_SECRET).
 */
export const API_SECRETS = Object.freeze({
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64'),
});

/**
 * The environment of the built API as a benchmark runs it: NODE_ENV=production on loopback `port`
 * (omit it for the migration and reindex entry points), the run's secrets, Redis with its own queue
 * prefix when `redisUrl` is given, and a per-key rate limit no benchmark reaches. `extra` adds or
 * overrides variables (pool size, token lifetime, search engine…).
 */
export function apiEnv({ port, databaseUrl, dataDir, redisUrl, queuePrefix, logLevel = 'warn', extra = {} }) {
  return {
    NODE_ENV: 'production',
    ...(port === undefined
      ? {}
      : { HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }),
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix } : {}),
    ...API_SECRETS,
    // The per-key limiter still counts every request (in Redis when there is one); the limit is
    // only set above what a benchmark sends so that it never answers 429.
    API_KEY_RATE_LIMIT: '1000000000',
    DATA_DIR: dataDir,
    LOG_LEVEL: logLevel,
    ...extra,
  };
}

/** Fails with the build command to run when `dist` holds no built API. */
export function requireBuild(dist = BUILT_BACKEND) {
  if (!existsSync(join(dist, 'main.js')))
    throw new Error(`${dist}/main.js is missing: npm run build:backend`);
}

/** Runs a built entry point (e.g. `database/cli.js run`) to its end; throws when it fails. */
export function runEntryPoint(label, args, env) {
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`${label} failed`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = [];

/**
 * Starts `node <args>` from the repository root with `env` added to this process's environment.
 * Its output goes to `logFile` (appended) or to this terminal; `ipc` opens the message channel
 * (count-queries.cjs answers over it). The child carries its `name` and an `exited` promise;
 * `stopStarted()` stops every process started here.
 */
export function startNode(name, args, env, { logFile, ipc = false } = {}) {
  const out = logFile ? openSync(logFile, 'a') : 'inherit';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out, ...(ipc ? ['ipc'] : [])],
  });
  child.name = name;
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  started.push(child);
  return child;
}

/** SIGTERM, and SIGKILL if it has not exited 15 s later. */
export async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!done) child.kill('SIGKILL');
}

/** Stops every process `startNode` started (the runners' cleanup on success, failure and signals). */
export function stopStarted() {
  return Promise.all(started.map(stopProcess));
}

/** Waits until `url` answers 2xx; fails when `child` exits first or after `timeoutMs`. */
export async function waitForHttp(url, child, { timeoutMs = 90_000, logs } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${child.name} exited (${child.exitCode})${logs ? `; see ${logs}` : ''}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Starts the built API on `port` and waits for its health route. */
export async function startApi(name, { dist = BUILT_BACKEND, nodeArgs = [], env, logFile, ipc, timeoutMs }) {
  const port = env.PORT;
  if (env.DATA_DIR) mkdirSync(env.DATA_DIR, { recursive: true });
  const api = startNode(name, [...nodeArgs, join(dist, 'main.js')], env, { logFile, ipc });
  await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, api, { timeoutMs, logs: logFile });
  return api;
}

/** Whether something listens at the Redis URL (benchmarks then run the API with Redis). */
export function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The URL of database `name` on the server of ADMIN_URL. */
export function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(sql) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Drops database `name` if it exists (closing its connections) and creates it empty; answers its URL. */
export async function freshDatabase(name) {
  await dropDatabase(name);
  await onServer(`CREATE DATABASE ${name}`);
  return databaseUrl(name);
}

export async function dropDatabase(name) {
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A POST of JSON to the API at `base` (…/api/v1); answers the parsed body, throws on a status ≥ 300. */
export async function postJson(base, path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Signs up a new owner through the API at `base`, marks the address verified in the benchmark's
 * database (`db`, a connected client) and signs in: answers the user's id, its organization and
 * the headers of its requests (bearer token and organization).
 */
export async function signUpOwner(base, db) {
  const email = `bench-${Date.now()}@bench.local`;
  const signup = await postJson(base, '/auth/signup', { email, password: BENCH_PASSWORD, name: 'Bench' });
  await db
    .query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE email = $1`, [
      email,
    ])
    .catch(() => undefined);
  return { userId: signup.user.id, email, ...(await signIn(base, email)) };
}

/**
 * Signs in a member created by `signUpOwner` (again, e.g. after a seed that outlasted the access
 * token, or against a database kept from an earlier run): headers for their first organization.
 */
export async function signIn(base, email) {
  const { accessToken } = await postJson(base, '/auth/login', { email, password: BENCH_PASSWORD });
  const authorization = `Bearer ${accessToken}`;
  const me = await fetch(`${base}/me`, { headers: { authorization } }).then((r) => r.json());
  const organizationId = me.memberships[0].organizationId;
  return { organizationId, headers: { authorization, 'x-organization-id': organizationId } };
}

/**
 * What playground.mjs and analytics.mjs measure against: a fresh database `db` and the built API on
 * loopback `port` using it, with Redis (under a queue prefix named after the database) when it is
 * reachable. Answers the API's base URL (…/api/v1), the database URL, whether Redis is used and the
 * API's process (`nodeArgs` go before its entry point, e.g. --cpu-prof; `ipc` opens its channel).
 */
export async function freshApi({
  db,
  port,
  redisUrl,
  dataDir,
  extra,
  reuse = false,
  nodeArgs = [],
  ipc = false,
}) {
  requireBuild();
  // reuse: the database of an earlier run (--keep) as it is; the API applies pending migrations.
  const url = reuse ? databaseUrl(db) : await freshDatabase(db);
  const redis = await reachable(redisUrl);
  const api = await startApi('api', {
    nodeArgs,
    ipc,
    env: apiEnv({
      port,
      databaseUrl: url,
      dataDir,
      ...(redis ? { redisUrl, queuePrefix: `pv-${db.replaceAll('_', '-')}` } : {}),
      extra,
    }),
  });
  return { base: `http://127.0.0.1:${port}/api/v1`, databaseUrl: url, redis, api };
}

/**
 * Runs a benchmark's `main`: a failure is printed and sets exit code 1; either way every process
 * started here is stopped, then `cleanUp` runs (e.g. dropping the benchmark's database).
 */
export function runBenchmark(main, cleanUp = async () => undefined) {
  return main()
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      await stopStarted();
      await cleanUp();
    });
}
