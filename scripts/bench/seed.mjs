#!/usr/bin/env node
// Seeds the benchmark database: drops and recreates it, applies the app's own migrations with the
// built CLI, then fills it with set-based SQL (generate_series) as the schema owner — 100,000
// prompts in 100 organizations with 10 versions each on average, labels, tags, collections,
// favorites and a few private prompts. Deterministic (hash-based, no random()) so two seeds give
// the same shape. API keys are not made here: the runner creates them through the API per run.
//
//   node scripts/bench/seed.mjs [--dist dist/backend] [--if-needed]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import argon2 from 'argon2';
import pg from 'pg';
import {
  ADMIN_URL,
  BENCH_DB,
  BENCH_PASSWORD,
  ROLES,
  ROOT,
  SHAPE,
  WORK_DIR,
  benchDatabaseUrl,
  option,
} from './config.mjs';
import { freshDatabase, runEntryPoint } from './api-process.mjs';

const log = (msg) => console.log(`[bench:seed] ${msg}`);

/** The shape the database was seeded with, or null when it is missing or was never finished. */
export async function seededShape() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1`,
      [BENCH_DB],
    );
    if (!rows.length || !rows[0].marker?.startsWith('prompt-vault-bench ')) return null;
    return JSON.parse(rows[0].marker.slice('prompt-vault-bench '.length));
  } finally {
    await admin.end();
  }
}

export function sameShape(a, b) {
  return !!a && !!b && JSON.stringify(a) === JSON.stringify(b);
}

/** The migration CLI's environment: the bench database (the runners add their API's settings). */
const migrationEnv = () => ({
  DATABASE_URL: benchDatabaseUrl(),
  DATA_DIR: join(WORK_DIR, 'data'),
  LOG_LEVEL: 'warn',
});

/** Applies the app's migrations to the bench database with the built CLI in `dist`. */
export function migrate(dist, env = migrationEnv()) {
  const cli = join(dist, 'database', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build:backend" first`);
  runEntryPoint('migrations', [cli, 'run'], env);
}

/**
 * Pseudo-random but repeatable numbers come from hashint4 of a row's ordinal, so reseeding gives
 * the same data shape (ids are fresh uuids). `h(x, m)` = a value in 0..m-1.
 */
const h = (expr, mod) => `(abs(hashint4(${expr})::bigint) % ${mod})`;

/**
 * Row triggers that keep derived data current one row at a time (the search migration's tag-name
 * and vocabulary triggers) would turn the bulk inserts into hundreds of thousands of single-row
 * updates (tens of minutes). They are switched off for the load (USER triggers only: foreign keys
 * stay checked) and the derived data is then computed set-based, with the same statements the
 * migration uses for rows that existed before it.
 */
const BULK_TABLES = ['prompts', 'prompt_tags'];

async function derivedDataSql(db) {
  const { rows } = await db.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'prompts' AND column_name = 'search_tags'`,
  );
  if (!rows.length) return [];
  return [
    `UPDATE prompts p SET search_tags = s.names FROM (
       SELECT pt.prompt_id, array_agg(t.name ORDER BY lower(t.name)) AS names
         FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id GROUP BY pt.prompt_id) s
      WHERE s.prompt_id = p.id`,
    `INSERT INTO search_words (organization_id, word)
       SELECT DISTINCT p.organization_id, w FROM prompts p, unnest(tsvector_to_array(p.search_vector)) w
        WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
       ON CONFLICT DO NOTHING`,
  ];
}

function seedSql() {
  const s = SHAPE;
  const orgs = s.organizations;
  const perOrg = s.promptsPerOrganization;
  const lorem =
    'Summarize the customer conversation below in three bullet points, keeping names, amounts and dates exact. ' +
    'Then list open questions the support agent still has to answer, and suggest a polite next reply. ' +
    'Write in the tone of the brand guide: friendly, direct, no jargon, no exclamation marks. ' +
    'If the conversation mentions a refund, include the order number and the refund policy section. ' +
    'When information is missing, say so instead of guessing; never invent policy details or prices. ' +
    'Format the answer as Markdown with a heading per section and keep it under two hundred words. ';
  return [
    `CREATE FUNCTION pg_temp.bench_content(n int, v int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
       SELECT format(E'# Prompt %s, revision %s\\n\\nYou are an assistant for {{audience}} working on {{topic}}.\\n\\n', n, v)
         || substr(repeat('${lorem}', 4), 1 + ${h('n', 500)}::int, 250 + ${h('n * 3 + v', 1200)}::int)
         || E'\\n\\nAnswer in {{language}}.'
     $$`,

    `CREATE TEMP TABLE b_org AS
       SELECT n, gen_random_uuid() AS id FROM generate_series(1, ${orgs}) n`,
    `INSERT INTO organizations (id, name, slug, created_at)
       SELECT id, 'Bench Org ' || n, 'bench-org-' || n, now() - interval '400 days' FROM b_org`,

    `CREATE TEMP TABLE b_user AS
       SELECT o.n AS org_n, k, gen_random_uuid() AS id,
              (ARRAY[${ROLES.map((r) => `'${r}'`).join(',')}])[k] AS role
       FROM b_org o CROSS JOIN generate_series(1, ${s.usersPerOrganization}) k`,
    `INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at)
       SELECT id, format('bench-o%s-u%s@bench.local', org_n, k), format('Bench User %s.%s', org_n, k),
              $1, now(), now() - interval '400 days'
       FROM b_user`,
    `INSERT INTO memberships (organization_id, user_id, role)
       SELECT o.id, u.id, u.role FROM b_user u JOIN b_org o ON o.n = u.org_n`,

    // The four default categories came from the organizations trigger; number them per org.
    `CREATE TEMP TABLE b_category AS
       SELECT o.n AS org_n, c.id, row_number() OVER (PARTITION BY o.n ORDER BY c.name) AS k
       FROM categories c JOIN b_org o ON o.id = c.organization_id`,

    `CREATE TEMP TABLE b_collection AS
       SELECT o.n AS org_n, k, gen_random_uuid() AS id FROM b_org o CROSS JOIN generate_series(1, ${s.collectionsPerOrganization}) k`,
    // Three top-level collections; the others nest under one of them.
    `INSERT INTO collections (id, organization_id, parent_id, name, created_by)
       SELECT c.id, o.id, NULL, 'Collection ' || c.k, u.id
       FROM b_collection c JOIN b_org o ON o.n = c.org_n JOIN b_user u ON u.org_n = c.org_n AND u.k = 1
       WHERE c.k <= 3`,
    `INSERT INTO collections (id, organization_id, parent_id, name, created_by)
       SELECT c.id, o.id, p.id, 'Collection ' || c.k, u.id
       FROM b_collection c JOIN b_org o ON o.n = c.org_n
       JOIN b_collection p ON p.org_n = c.org_n AND p.k = 1 + c.k % 3
       JOIN b_user u ON u.org_n = c.org_n AND u.k = 2
       WHERE c.k > 3`,

    `CREATE TEMP TABLE b_tag AS
       SELECT o.n AS org_n, k, gen_random_uuid() AS id FROM b_org o CROSS JOIN generate_series(1, ${s.tagsPerOrganization}) k`,
    `INSERT INTO tags (id, organization_id, name)
       SELECT t.id, o.id,
              (ARRAY['support','sales','marketing','engineering','legal','summaries','email','chat','seo','ads',
                     'onboarding','billing','refunds','translation','code-review','sql','python','tone','brand','faq'])[1 + (t.k - 1) % 20]
              || CASE WHEN t.k > 20 THEN '-v2' ELSE '' END
       FROM b_tag t JOIN b_org o ON o.n = t.org_n`,

    // One row per prompt with its repeatable "dice": r1 status/labels, r2 visibility/staging, r3 age.
    `CREATE TEMP TABLE b_prompt AS
       SELECT p AS n, (p - 1) / ${perOrg} + 1 AS org_n, gen_random_uuid() AS id,
              1 + ${h('p', s.maxVersionsPerPrompt)}::int AS versions,
              ${h('p * 7 + 1', 100)}::int AS r1, ${h('p * 13 + 5', 100)}::int AS r2, ${h('p * 31 + 3', 365)}::int AS r3
       FROM generate_series(1, ${orgs * perOrg}) p`,
    `ALTER TABLE b_prompt ADD PRIMARY KEY (n)`,
    `INSERT INTO prompts (id, organization_id, slug, title, description, content, variables, metadata,
                          category_id, collection_id, author_id, status, visibility, version,
                          views, uses, created_at, updated_at, published_at)
       SELECT p.id, o.id,
              format('prompt-%s-%s', p.n, (ARRAY['summary','reply','outline','translate','classify','extract','rewrite','review'])[1 + p.n % 8]),
              format('Prompt %s: %s', p.n, (ARRAY['Summarize a ticket','Draft a reply','Outline a post','Translate copy','Classify intent','Extract fields','Rewrite for tone','Review code'])[1 + p.n % 8]),
              'Benchmark prompt ' || p.n || ' used by the support and marketing teams.',
              pg_temp.bench_content(p.n, p.versions),
              '[{"name":"audience","type":"text","required":true},{"name":"topic","type":"text","required":true},{"name":"language","type":"select","required":false,"defaultValue":"English","options":["English","German","French"]}]'::jsonb,
              jsonb_build_object('model', (ARRAY['gpt-4o','claude-sonnet-4','gpt-4.1-mini'])[1 + p.n % 3],
                                 'temperature', (p.n % 20) / 10.0, 'maxTokens', 256 * (1 + p.n % 8)),
              c.id, CASE WHEN p.r2 % 2 = 0 THEN col.id END, u.id,
              CASE WHEN p.r1 < 80 THEN 'published' WHEN p.r1 < 95 THEN 'draft' ELSE 'archived' END,
              CASE WHEN p.r2 < ${s.privatePercent} THEN 'private' ELSE 'organization' END,
              p.versions, ${h('p.n * 3', 5000)}, ${h('p.n * 5', 800)},
              now() - make_interval(days => p.r3 + 30),
              now() - make_interval(days => p.r3 + 30) + make_interval(days => p.versions),
              CASE WHEN p.r1 < 80 OR p.r1 >= 95 THEN now() - make_interval(days => p.r3 + 29) END
       FROM b_prompt p
       JOIN b_org o ON o.n = p.org_n
       JOIN b_category c ON c.org_n = p.org_n AND c.k = 1 + p.n % 4
       JOIN b_collection col ON col.org_n = p.org_n AND col.k = 1 + p.n % ${s.collectionsPerOrganization}
       JOIN b_user u ON u.org_n = p.org_n AND u.k = 1 + p.n % 4`,

    `INSERT INTO prompt_versions (organization_id, prompt_id, version, title, description, content, variables,
                                  metadata, change_note, changed_by, created_at)
       SELECT pr.organization_id, pr.id, v, pr.title, pr.description, pg_temp.bench_content(p.n, v), pr.variables,
              pr.metadata, CASE WHEN v = 1 THEN 'Initial version' ELSE 'Revision ' || v END, pr.author_id,
              pr.created_at + make_interval(days => v - 1)
       FROM b_prompt p JOIN prompts pr ON pr.id = p.id CROSS JOIN LATERAL generate_series(1, p.versions) v`,

    // production on most prompts, one or two versions behind head at times; staging on head.
    `INSERT INTO prompt_labels (organization_id, prompt_id, label, version, updated_by, updated_at)
       SELECT pr.organization_id, pr.id, 'production', greatest(1, p.versions - p.r2 % 3), u.id, pr.updated_at
       FROM b_prompt p JOIN prompts pr ON pr.id = p.id JOIN b_user u ON u.org_n = p.org_n AND u.k = 2
       WHERE p.r1 < ${s.productionLabelPercent}`,
    `INSERT INTO prompt_labels (organization_id, prompt_id, label, version, updated_by, updated_at)
       SELECT pr.organization_id, pr.id, 'staging', p.versions, pr.author_id, pr.updated_at
       FROM b_prompt p JOIN prompts pr ON pr.id = p.id
       WHERE p.r2 >= 100 - ${s.stagingLabelPercent}`,
    `INSERT INTO prompt_label_moves (organization_id, prompt_id, label, from_version, to_version, moved_by, moved_at)
       SELECT organization_id, prompt_id, label, NULL, version, updated_by, updated_at FROM prompt_labels`,

    // 0..4 tags per prompt (2 on average); a repeated draw is simply skipped.
    `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
       SELECT pr.organization_id, pr.id, t.id
       FROM b_prompt p JOIN prompts pr ON pr.id = p.id
       CROSS JOIN LATERAL generate_series(1, p.n % 5) j
       JOIN b_tag t ON t.org_n = p.org_n AND t.k = 1 + ${h('p.n * 17 + j', s.tagsPerOrganization)}
       ON CONFLICT DO NOTHING`,

    // Every member favorites a handful of the prompts they can see.
    `INSERT INTO favorites (organization_id, prompt_id, user_id, created_at)
       SELECT pr.organization_id, pr.id, u.id, now() - interval '3 days'
       FROM b_user u CROSS JOIN generate_series(1, ${s.favoritesPerUser}) j
       JOIN b_prompt p ON p.n = (u.org_n - 1) * ${perOrg} + 1 + ${h('u.org_n * 1000 + u.k * 100 + j', perOrg)}
       JOIN prompts pr ON pr.id = p.id
       WHERE pr.visibility = 'organization' OR pr.author_id = u.id
       ON CONFLICT DO NOTHING`,
    `UPDATE prompts pr SET favorites = f.n
       FROM (SELECT prompt_id, count(*) AS n FROM favorites GROUP BY prompt_id) f
       WHERE f.prompt_id = pr.id`,
  ];
}

async function fill() {
  const passwordHash = await argon2.hash(BENCH_PASSWORD, {
    type: argon2.argon2id,
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });
  const db = new pg.Client({ connectionString: benchDatabaseUrl() });
  await db.connect();
  try {
    await db.query('BEGIN');
    // One transaction; nothing else reads this database while it is seeded.
    await db.query('SET LOCAL synchronous_commit = off');
    const statements = [
      ...BULK_TABLES.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER`),
      ...seedSql(),
      ...(await derivedDataSql(db)),
      ...BULK_TABLES.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER`),
    ];
    for (const sql of statements) {
      const started = Date.now();
      const res = await db.query(sql, sql.includes('$1') ? [passwordHash] : []);
      const what = sql.trim().split('\n')[0].slice(0, 80);
      log(
        `${what}${res.rowCount ? ` — ${res.rowCount} rows` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    await db.query('COMMIT');
    log('VACUUM ANALYZE');
    await db.query('VACUUM (ANALYZE)');
    const { rows } = await db.query(`
      SELECT (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM users) AS users,
             (SELECT count(*) FROM prompts) AS prompts, (SELECT count(*) FROM prompt_versions) AS versions,
             (SELECT count(*) FROM prompt_labels WHERE label = 'production') AS production_labels,
             (SELECT count(*) FROM prompt_tags) AS prompt_tags, (SELECT count(*) FROM favorites) AS favorites,
             (SELECT count(*) FROM prompts WHERE visibility = 'private') AS private_prompts,
             pg_size_pretty(pg_database_size(current_database())) AS size`);
    log(`seeded: ${JSON.stringify(rows[0])}`);
    return rows[0];
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

async function mark(counts) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const marker = `prompt-vault-bench ${JSON.stringify(SHAPE)}`;
    await admin.query(`COMMENT ON DATABASE ${BENCH_DB} IS ${pg.escapeLiteral(marker)}`);
    log(`marked ${BENCH_DB} as seeded (${counts.size})`);
  } finally {
    await admin.end();
  }
}

export async function seed({ dist = join(ROOT, 'dist', 'backend') } = {}) {
  const started = Date.now();
  log(`recreating database ${BENCH_DB}`);
  await freshDatabase(BENCH_DB);
  log('applying migrations with the built CLI');
  migrate(dist);
  const counts = await fill();
  await mark(counts);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return counts;
}

/**
 * What a runner does before it measures: seeds the bench database when it does not hold this
 * data shape (or `reseed`), otherwise applies pending migrations only (with `env`, or the default).
 */
export async function seedOrMigrate({ dist, reseed = false, env }) {
  if (reseed || !sameShape(await seededShape(), SHAPE)) {
    await seed({ dist });
    return;
  }
  log(`${BENCH_DB} already holds this data shape; applying pending migrations only`);
  migrate(dist, env);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const dist = resolve(option('--dist', join(ROOT, 'dist', 'backend')));
  const run = async () => {
    if (process.argv.includes('--if-needed') && sameShape(await seededShape(), SHAPE)) {
      log(`${BENCH_DB} is already seeded with this shape; nothing to do`);
      return;
    }
    await seed({ dist });
  };
  run().catch((err) => {
    console.error('[bench:seed] failed:', err);
    process.exit(1);
  });
}
