#!/usr/bin/env node
// The benchmark's floor: bare node:http + a pg Pool answering the three benchmarked routes with
// the same SQL the API runs (the scope, the admission's key and membership reads, the
// repositories' statements and the view counters' flush, all imported from the API's build, so
// they cannot drift), under the same rules:
// each request is ONE transaction whose first statement switches to `vault_app` and sets
// app.org_id / app.user_id (row-level security decides what is visible), callers are
// authenticated like the API does it (HS256 JWT + membership, or API key by its sha256 + the
// key user's membership), views are buffered and flushed once a second like PromptStats.
//
// What it leaves out on purpose — that is the framework's share of the cost: routing, DTO
// validation, CASL, pino request logs, helmet headers, request ids, the API-key rate-limit
// counter in Redis. It is not a product; it only tells how fast the SQL path can go here.
//
//   PORT=4100 DATABASE_URL=... JWT_SECRET=... POOL_SIZE=10 [BENCH_DIST=dist/backend] \
//     node scripts/bench/floor-server.mjs
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

// The build the API under test runs (run.mjs passes its copy); the statements come from there.
const DIST = resolve(
  process.env.BENCH_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'backend'),
);
const built = async (file) => (await import(pathToFileURL(join(DIST, file)).href)).default;
const { SET_SCOPE } = await built('database/tenancy/scope.sql.js');
const { KEY_SQL, MEMBERSHIP_SQL } = await built('authz/admission.sql.js');
const { PROMPT_BY_ID_SQL, PROMPT_STATS_FLUSH_SQL, promptListStatement } = await built(
  'modules/prompts/prompts.sql.js',
);
const { RUNTIME_FETCH_BY_LABEL_SQL } = await built('modules/versions/versions.sql.js');
const { toPromptDto } = await built('modules/prompts/prompts.mapper.js');

const PORT = Number(process.env.PORT ?? 4100);
const HOST = process.env.HOST ?? '127.0.0.1';
const JWT_SECRET = process.env.JWT_SECRET;
if (!process.env.DATABASE_URL || !JWT_SECRET) {
  console.error('floor-server: DATABASE_URL and JWT_SECRET are required');
  process.exit(2);
}

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
  application_name: 'prompt-vault-bench-floor',
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class HttpError extends Error {
  constructor(status, title) {
    super(title);
    this.status = status;
  }
}

// ------------------------------------------------------------------ authentication

function verifyJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', JWT_SECRET).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
  if (header.alg !== 'HS256') return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return null;
  if (!claims.sub || !UUID.test(claims.sub)) return null;
  return claims;
}

/**
 * Opens the request's transaction and resolves the caller inside it: for an API key, the key row
 * (visible by its hash only) and then the scope is narrowed to the key's organization and user;
 * for a JWT, the scope is the claimed user in X-Organization-Id. Either way the membership row
 * gives the role; no membership → 404 like the API.
 */
async function openTenant(client, req) {
  const apiKey = req.headers['x-api-key'];
  await client.query('BEGIN');
  let organizationId;
  let userId;
  if (apiKey) {
    const hash = createHash('sha256').update(apiKey).digest('hex');
    await client.query(SET_SCOPE, ['', '', '', hash]);
    const { rows } = await client.query(KEY_SQL, [hash]);
    const key = rows[0];
    if (!key || key.revoked_at || (key.expires_at && key.expires_at.getTime() <= Date.now()))
      throw new HttpError(401, 'The API key is invalid, revoked or expired');
    const header = req.headers['x-organization-id'];
    if (header && header.toLowerCase() !== key.organization_id) throw new HttpError(404, 'Not found');
    organizationId = key.organization_id;
    userId = key.user_id;
  } else {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? verifyJwt(token) : null;
    if (!claims) throw new HttpError(401, 'Send a valid access token or API key');
    organizationId = req.headers['x-organization-id'];
    if (!organizationId || !UUID.test(organizationId)) throw new HttpError(400, 'X-Organization-Id');
    organizationId = organizationId.toLowerCase();
    userId = claims.sub;
  }
  await client.query(SET_SCOPE, [organizationId, userId, '', '']);
  const { rows } = await client.query(MEMBERSHIP_SQL, [organizationId, userId]);
  if (!rows.length) throw new HttpError(404, 'Organization was not found');
  return { organizationId, userId, role: rows[0].role };
}

// ------------------------------------------------------------------ views

/** Views are counted in memory and written once a second per organization (PromptStats). */
const pendingViews = new Map();
function countView(organizationId, promptId) {
  let org = pendingViews.get(organizationId);
  if (!org) pendingViews.set(organizationId, (org = new Map()));
  org.set(promptId, (org.get(promptId) ?? 0) + 1);
}
async function flushViews() {
  const batch = [...pendingViews];
  pendingViews.clear();
  for (const [organizationId, prompts] of batch) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(SET_SCOPE, [organizationId, '', 'on', '']);
      await client.query(PROMPT_STATS_FLUSH_SQL, [
        organizationId,
        [...prompts.keys()],
        [...prompts.values()],
        [...prompts.keys()].map(() => 0),
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      console.error('floor-server: flushing views failed', err.message);
    } finally {
      client.release();
    }
  }
}
const flushTimer = setInterval(() => void flushViews(), 1000);

/** The API's own mapping to the contract's shape, with the views this process has not flushed yet. */
function toDto(r) {
  const pending = pendingViews.get(r.organization_id)?.get(r.id) ?? 0;
  return toPromptDto(r, { views: pending, uses: 0 });
}

async function getPrompt(client, tenant, id) {
  if (!UUID.test(id)) throw new HttpError(400, 'id must be a UUID');
  const { rows } = await client.query(PROMPT_BY_ID_SQL, [tenant.organizationId, tenant.userId, id]);
  if (!rows.length) throw new HttpError(404, 'Prompt was not found');
  countView(rows[0].organization_id, rows[0].id);
  return { body: toDto(rows[0]) };
}

async function listPrompts(client, tenant, limit = 20) {
  // GET /prompts without filters: the API's default sort (updated) and the same statement.
  const { sql, params } = promptListStatement({}, 'updated', undefined, limit);
  const { rows } = await client.query(sql, [tenant.organizationId, tenant.userId, ...params]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    body: {
      items: page.map(toDto),
      nextCursor:
        rows.length > limit
          ? Buffer.from(JSON.stringify({ k: last.cursor_key, id: last.id })).toString('base64url')
          : null,
    },
  };
}

/**
 * Runtime fetch (VersionsRepository.runtime): one statement resolves slug and label and reads the
 * labelled snapshot; the ETag is a hash of the body; If-None-Match → 304.
 */
async function bySlug(client, tenant, slug, label, ifNoneMatch) {
  // The floor serves the benchmarked form only (?label=…), not ?version= or the current version.
  if (!label) throw new HttpError(400, 'label is required here');
  const { rows } = await client.query(RUNTIME_FETCH_BY_LABEL_SQL, [
    tenant.organizationId,
    slug,
    tenant.userId,
    label,
  ]);
  const row = rows[0];
  if (!row || row.version === null) throw new HttpError(404, `Prompt "${slug}" or its label was not found`);
  const body = {
    id: row.id,
    slug: row.slug,
    version: row.version,
    label,
    title: row.title,
    content: row.content,
    variables: row.variables,
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  };
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (ifNoneMatch === etag) return { status: 304, headers };
  return { headers, body };
}

// ------------------------------------------------------------------ routing

const routes = [
  {
    re: /^\/api\/v1\/prompts\/by-slug\/([^/]+)$/,
    run: (c, t, m, url, req) =>
      bySlug(c, t, decodeURIComponent(m[1]), url.searchParams.get('label'), req.headers['if-none-match']),
  },
  { re: /^\/api\/v1\/prompts\/([^/]+)$/, run: (c, t, m) => getPrompt(c, t, m[1]) },
  {
    re: /^\/api\/v1\/prompts$/,
    run: (c, t, _m, url) => listPrompts(c, t, Number(url.searchParams.get('limit') ?? 20)),
  },
];

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://floor');
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'GET') return send(res, 405, { title: 'Method not allowed' });
  const route = routes.find((r) => r.re.test(url.pathname));
  if (!route) return send(res, 404, { title: 'Not found' });
  const match = route.re.exec(url.pathname);
  void (async () => {
    const client = await pool.connect();
    try {
      const tenant = await openTenant(client, req);
      const result = await route.run(client, tenant, match, url, req);
      await client.query('COMMIT');
      send(res, result.status ?? 200, result.body, result.headers);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (err instanceof HttpError) send(res, err.status, { title: err.message, status: err.status });
      else {
        console.error('floor-server:', err);
        send(res, 500, { title: 'Internal error' });
      }
    } finally {
      client.release();
    }
  })();
});

server.keepAliveTimeout = 65_000;
server.listen(PORT, HOST, () => console.log(`floor-server listening on http://${HOST}:${PORT}`));

async function shutdown() {
  clearInterval(flushTimer);
  server.close();
  await flushViews();
  await pool.end();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
