#!/usr/bin/env node
// The floor of a streamed run (issue 12's benchmark, `playground.mjs --floor`): bare node:http
// relaying a provider's streamed chat completion as the API's server-sent events, with or without
// the database work the API does for a run. It answers one question: how much can ANY Node server
// add to the time to first token and to the full answer on this machine at a given concurrency,
// when it does at least this much per run?
//
// With DATABASE_URL (the "floor" mode) each run makes the API's three round trips, with the API's
// own statements from its build, over the API's own pipeline (prepared statements, one socket
// write each): [BEGIN, scope, membership], [the run's reads, COMMIT], and after the stream
// [BEGIN, scope, the run's store, COMMIT]. With STORE=row (the "minimal" mode) the store writes the
// run's row alone (RUN_INSERT_SQL: no usage event, no rollups, no budget flag), the least issue 12
// asks ("every run is stored"). Without DATABASE_URL (the "proxy" mode) it only relays.
//
// What it leaves out on purpose (the API's share): routing, validation, JWT verification, CASL,
// request logs, the key's decryption, the AI SDK's provider model and stream, cost arithmetic,
// the budget thresholds. It is not a product.
//
//   PORT=4112 PROVIDER_URL=http://127.0.0.1:PORT/v1 [DATABASE_URL=... ORGANIZATION_ID=... USER_ID=...
//     PROMPT_ID=... KEY_ID=... [STORE=row]] [BENCH_DIST=dist/backend] node scripts/bench/run-floor-server.mjs
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Agent, request } from 'undici';

const DIST = resolve(
  process.env.BENCH_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'backend'),
);
const built = async (file) => (await import(pathToFileURL(join(DIST, file)).href)).default;

const PORT = Number(process.env.PORT ?? 4112);
const PROVIDER_URL = process.env.PROVIDER_URL;
if (!PROVIDER_URL) {
  console.error('run-floor-server: PROVIDER_URL is required');
  process.exit(2);
}
const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 });

// ------------------------------------------------------------------ the database side (optional)
let db;
if (process.env.DATABASE_URL) {
  const { SET_SCOPE } = await built('database/tenancy/scope.sql.js');
  const { MEMBERSHIP_SQL } = await built('authz/admission.sql.js');
  const { pipeline } = await built('database/tenancy/prepared-statements.js');
  const { runReadsStatement } = await built('modules/playground/run-reads.repository.js');
  const { RUN_INSERT_SQL, RUN_STORE_SQL } = await built('modules/playground/runs.repository.js');
  const rowOnly = process.env.STORE === 'row';
  const { ORGANIZATION_ID, USER_ID, PROMPT_ID, KEY_ID } = process.env;
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
    application_name: 'prompt-vault-bench-run-floor',
  });
  const scope = [ORGANIZATION_ID, USER_ID, '', ''];
  const READS = runReadsStatement('current', 'id');
  const monthStart = () => new Date(`${new Date().toISOString().slice(0, 7)}-01T00:00:00Z`);

  db = {
    pool,
    /** The request transaction: opening with the membership, then the run's reads with COMMIT. */
    async reads() {
      const client = await pool.connect();
      try {
        const opened = await pipeline(client, [
          'BEGIN',
          { sql: SET_SCOPE, params: scope },
          { sql: MEMBERSHIP_SQL, params: [ORGANIZATION_ID, USER_ID] },
        ]);
        if (!opened[2].rows.length) throw new Error('no membership');
        const [read] = await pipeline(client, [
          {
            sql: READS,
            params: [ORGANIZATION_ID, PROMPT_ID, monthStart(), USER_ID, 'gpt-4o-mini', KEY_ID],
          },
          'COMMIT',
        ]);
        const row = read.rows[0];
        if (!row?.content || !row.id) throw new Error('the run reads found no prompt or key');
        return row;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    /** The run's store in one round trip, as `RunsRepository.storeAlone` sends it. */
    async store(row, output, usage, latencyMs) {
      const client = await pool.connect();
      try {
        await pipeline(client, [
          'BEGIN',
          { sql: SET_SCOPE, params: scope },
          {
            sql: rowOnly ? RUN_INSERT_SQL : RUN_STORE_SQL,
            params: [
              ORGANIZATION_ID,
              PROMPT_ID,
              row.version,
              'gpt-4o-mini',
              'openai',
              row.id,
              JSON.stringify({ name: 'Ann' }),
              row.content,
              output,
              usage.prompt_tokens,
              usage.completion_tokens,
              '0.000015',
              latencyMs,
              'success',
              null,
              USER_ID,
              ...(rowOnly ? [] : [null]),
            ],
          },
          'COMMIT',
        ]);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

// ------------------------------------------------------------------ one run
const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function run(req, res) {
  const started = performance.now();
  let body = '';
  for await (const chunk of req) body += chunk;
  const variables = JSON.parse(body).variables ?? {};
  const row = db ? await db.reads() : { content: 'Say hello to {{name}} in twenty words.', version: 1 };
  const input = row.content.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => variables[name] ?? '');
  const upstream = await request(`${PROVIDER_URL}/chat/completions`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-0123456789' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: input }],
    }),
  });
  if (upstream.statusCode !== 200) throw new Error(`provider answered ${upstream.statusCode}`);
  // The provider's events, parsed as they come; each piece's deltas leave in one write.
  let buffered = '';
  let output = '';
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  let headersSent = false;
  for await (const piece of upstream.body) {
    buffered += piece.toString('utf8');
    let out = '';
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.usage) usage = chunk.usage;
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) {
        output += text;
        out += sse('delta', { text });
      }
    }
    if (out) {
      if (!headersSent) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        headersSent = true;
      }
      res.write(out);
    }
  }
  const latencyMs = Math.round(performance.now() - started);
  if (db) await db.store(row, output, usage, latencyMs);
  if (!headersSent) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.end(
    sse('done', { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, latencyMs }),
  );
}

const server = createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.method !== 'POST' || req.url !== '/run') {
    res.writeHead(404);
    return res.end();
  }
  run(req, res).catch((err) => {
    console.error('run-floor-server:', err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, '127.0.0.1', () => console.log(`run-floor-server listening on http://127.0.0.1:${PORT}`));

async function shutdown() {
  server.close();
  await db?.pool.end();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
