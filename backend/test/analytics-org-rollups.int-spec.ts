import { randomBytes, randomUUID } from 'node:crypto';
import { orgRollupBackfillSql } from '../src/database/migrations/1764001300000-usage-rollups-organization';
import { UsageRetention } from '../src/modules/analytics/usage-retention';
import {
  auth,
  bootTestApp,
  redisUrl,
  signUp,
  SignedUpUser,
  TestApp,
  usingRealPostgres,
} from './support/test-app';
import { DAY, HOUR, ingestUsage, midnight, monthStart } from './support/usage';

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;
const iso = (d: unknown) => new Date(d as string).toISOString();

/** The organization rollups per day or month, from the raw events (what the rollups must hold). */
const RAW_ORG_SQL = (unit: 'day' | 'month') => `
  SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC') AS bucket,
         coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0)::int AS fetches,
         coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0)::int AS renders,
         coalesce(sum(quantity) FILTER (WHERE kind = 'call'), 0)::int AS calls,
         coalesce(sum(quantity) FILTER (WHERE status = 'error'), 0)::int AS errors,
         sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens,
         coalesce(sum(cost_usd), 0)::numeric(24, 10)::text AS cost,
         count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL)::int AS cost_unknown,
         coalesce(sum(latency_ms), 0)::int AS latency,
         coalesce(array_agg(DISTINCT user_id::text ORDER BY user_id::text) FILTER (WHERE user_id IS NOT NULL), '{}') AS users
    FROM usage_events WHERE organization_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`;

const ROLLED_ORG_SQL = (table: string) => `
  SELECT organization_id, bucket, fetches::int, renders::int, calls::int, errors::int, input_tokens::int,
         output_tokens::int, cost_usd::text AS cost, cost_unknown::int, latency_ms_sum::int AS latency,
         ARRAY(SELECT u::text FROM unnest(user_ids) u ORDER BY 1) AS users
    FROM ${table} WHERE organization_id = ANY($1) ORDER BY 1, 2`;

/**
 * The organization rollups (migration 1764001300000): organization × day and × month, no prompt,
 * model or user, with the bucket's distinct users. Equal to the raw events (across a price change,
 * with an idempotent replay), equal to what the migration's backfill computes from the other
 * rollups, one organization's only, and the summary and ungrouped time series read from them
 * answer what the raw events say (active users counted distinct over the whole range).
 */
describe(`Organization usage rollups (${driver})`, () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let stranger: SignedUpUser;
  let org: string;
  const prompts: string[] = [];
  const model = `org-rollup-${Date.now().toString(36)}`;
  const now = new Date();
  // Four users besides none (user_id has no foreign key: the events keep a deleted user's id).
  const users: Array<string | null> = [];
  // A price change in the middle of last month: events before it cost 1 $/MTok in, 2 out; after, 3 and 5.
  const priceChange = new Date(monthStart(now, -1).getTime() + 14 * DAY + 12 * HOUR);

  const rows = async (sql: string, params: unknown[] = []) => (await t.owner.query(sql, params)).rows;

  const ingest = (organizationId: string, events: object[]) => ingestUsage(t.owner, organizationId, events);

  const get = (path: string, user = owner, organizationId = org) =>
    t.http().get(`/api/v1${path}`).set(auth(user, organizationId));

  /** Both organization rollups of the two organizations compared with the raw events. */
  async function expectRollupsEqualRaw() {
    const orgs = [org, stranger.organizationId];
    for (const [table, unit] of [
      ['usage_rollups_org_daily', 'day'],
      ['usage_rollups_org_monthly', 'month'],
    ] as const) {
      const want = (await rows(RAW_ORG_SQL(unit), [orgs])).map((r) => ({
        table,
        ...r,
        bucket: iso(r.bucket),
      }));
      const got = (await rows(ROLLED_ORG_SQL(table), [orgs])).map((r) => ({
        table,
        ...r,
        bucket: iso(r.bucket),
      }));
      expect(got.length).toBeGreaterThanOrEqual(unit === 'day' ? 50 : 4);
      expect(got).toEqual(want);
    }
  }

  beforeAll(async () => {
    t = await bootTestApp();
    owner = await signUp(t, 'Org Rollup Owner');
    stranger = await signUp(t, 'Org Rollup Stranger');
    org = owner.organizationId;
    users.push(owner.userId, randomUUID(), null, randomUUID(), randomUUID());
    for (const title of ['Alpha', 'Beta', 'Gamma']) {
      const res = await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(owner, org))
        .send({ title, content: 'Say {{x}}' });
      expect(res.status).toBe(201);
      prompts.push(res.body.id);
    }
    await t.app.get(UsageRetention).ensurePartitions(now);
    await t.owner.query(
      `INSERT INTO model_prices (model, effective_from, input_per_mtok_usd, output_per_mtok_usd)
       VALUES ($1, $2, 1, 2), ($1, $3, 3, 5)`,
      [model, monthStart(now, -6), priceChange],
    );
    // ~100 days of events every 17 hours: calls (priced, some errors, some with a model without
    // price), renders and fetches, three prompts, users cycling so that days and months share some.
    const events: object[] = [];
    for (let i = 0; i < 140; i++) {
      const at = new Date(now.getTime() - 60_000 - i * 17 * HOUR);
      const kind = ['call', 'render', 'fetch', 'call'][i % 4];
      const call = kind === 'call';
      events.push({
        organization_id: org,
        occurred_at: at.toISOString(),
        kind,
        quantity: call ? 1 : 1 + (i % 3),
        prompt_id: prompts[i % 3],
        model: call ? (i % 7 === 0 ? 'no-such-price' : model) : null,
        user_id: users[i % users.length],
        input_tokens: call ? 1000 + i : 0,
        output_tokens: call ? 500 + i : 0,
        latency_ms: call ? 100 + i : null,
        status: call ? (i % 9 === 0 ? 'error' : 'success') : null,
      });
    }
    // Two batches, so that the second one updates rows the first one created.
    await ingest(org, events.slice(0, 70));
    await ingest(org, events.slice(70));
    // Days and months that already have rows get a user they did not have (the array is merged),
    // and users they had (the array is kept).
    const newcomer = randomUUID();
    await ingest(
      org,
      events
        .slice(0, 30)
        .map((e, i) => ({ ...e, user_id: i % 2 ? newcomer : users[(i + 1) % users.length] })),
    );
    await ingest(
      stranger.organizationId,
      [0, 20, 45, 80].map((days) => ({
        organization_id: stranger.organizationId,
        occurred_at: new Date(now.getTime() - 60_000 - days * DAY).toISOString(),
        kind: 'call',
        model,
        user_id: stranger.userId,
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
      })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the organization rollups (counters, cost across the price change, distinct users) equal to the raw events', async () => {
    await expectRollupsEqualRaw();
    // Both prices were applied, and the month of the change holds calls of both.
    const [prices] = await rows(
      `SELECT count(*) FILTER (WHERE occurred_at < $2 AND cost_usd = round((input_tokens * 1 + output_tokens * 2) / 1e6, 10))::int AS before,
              count(*) FILTER (WHERE occurred_at >= $2 AND cost_usd = round((input_tokens * 3 + output_tokens * 5) / 1e6, 10))::int AS after
         FROM usage_events WHERE organization_id = $1 AND kind = 'call' AND model = $3`,
      [org, priceChange, model],
    );
    expect(prices.before).toBeGreaterThan(0);
    expect(prices.after).toBeGreaterThan(0);
    // A month's users are the union of its days' users, not their sum.
    const [month] = await rows(
      `SELECT cardinality(user_ids) AS n FROM usage_rollups_org_monthly WHERE organization_id = $1 AND bucket = $2`,
      [org, monthStart(now, -1)],
    );
    const [days] = await rows(
      `SELECT sum(cardinality(user_ids))::int AS n FROM usage_rollups_org_daily
        WHERE organization_id = $1 AND bucket >= $2 AND bucket < $3`,
      [org, monthStart(now, -1), monthStart(now)],
    );
    const [distinct] = await rows(
      `SELECT count(DISTINCT user_id)::int AS n FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [org, monthStart(now, -1), monthStart(now)],
    );
    expect(month.n).toBe(distinct.n);
    expect(month.n).toBeGreaterThanOrEqual(4);
    expect(days.n).toBeGreaterThan(month.n);
  });

  it('counts a replayed POST /usage batch (idempotency keys) once in the organization rollups', async () => {
    const key = randomBytes(4).toString('hex');
    const batch = [0, 1, 2].map((i) => ({
      promptId: prompts[i],
      model,
      inputTokens: 10 + i,
      outputTokens: 20 + i,
      idempotencyKey: `${key}-${i}`,
    }));
    const today = async () =>
      (
        await rows(
          `SELECT calls::int, input_tokens::int FROM usage_rollups_org_daily WHERE organization_id = $1 AND bucket = $2`,
          [org, midnight(new Date())],
        )
      )[0] ?? { calls: 0, input_tokens: 0 };
    const before = await today();
    const post = () => t.http().post('/api/v1/usage').set(auth(owner, org)).send({ events: batch });
    expect((await post()).body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect((await post()).body).toEqual({ accepted: 3, duplicates: 3, rejected: [] });
    expect(await today()).toEqual({ calls: before.calls + 3, input_tokens: before.input_tokens + 33 });
    await expectRollupsEqualRaw();
  });

  it('is what the migration backfills from the daily and monthly rollups', async () => {
    const client = await t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.system', 'on', true)`);
      const orgs = [[org, stranger.organizationId]];
      const snapshot = async () => [
        (await client.query(ROLLED_ORG_SQL('usage_rollups_org_daily'), orgs)).rows,
        (await client.query(ROLLED_ORG_SQL('usage_rollups_org_monthly'), orgs)).rows,
      ];
      const before = await snapshot();
      expect(before[0].length).toBeGreaterThan(0);
      await client.query(`DELETE FROM usage_rollups_org_daily; DELETE FROM usage_rollups_org_monthly`);
      await client.query(orgRollupBackfillSql('usage_rollups_org_daily', 'usage_rollups_daily'));
      await client.query(orgRollupBackfillSql('usage_rollups_org_monthly', 'usage_rollups_monthly'));
      expect(await snapshot()).toEqual(before);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('answers the summary (and its previous period) and ungrouped series like the raw events', async () => {
    const someday = midnight(new Date(now.getTime() - 40 * DAY));
    const ranges: Array<[string, Date, Date]> = [
      // Midnight to midnight: whole months, whole days at the edges.
      ['days', midnight(new Date(now.getTime() - 95 * DAY)), midnight(new Date(now.getTime() + DAY))],
      // Hours at both edges (hourly rollups), whole days and months between.
      [
        'hours',
        new Date(midnight(new Date(now.getTime() - 80 * DAY)).getTime() + 7 * HOUR),
        new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR),
      ],
      ['whole months', monthStart(now, -3), monthStart(now)],
      // Inside one day: no whole day, the hourly rollups only.
      ['within a day', new Date(someday.getTime() + HOUR), new Date(someday.getTime() + 23 * HOUR)],
      // Across the price change, with no whole month.
      [
        'price change',
        new Date(priceChange.getTime() - 5 * DAY - 3 * HOUR),
        new Date(priceChange.getTime() + 3 * DAY + 5 * HOUR),
      ],
    ];
    const totals = async (from: Date, to: Date) => {
      const [r] = await rows(
        `SELECT coalesce(sum(quantity) FILTER (WHERE kind IN ('run', 'call', 'evaluation')), 0)::int AS runs,
                coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0)::int AS fetches,
                coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0)::int AS renders,
                coalesce(sum(input_tokens), 0)::int AS "inputTokens",
                coalesce(sum(output_tokens), 0)::int AS "outputTokens",
                coalesce(sum(cost_usd), 0)::float8 AS "costUsd",
                count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL)::int AS "costUnknown",
                count(DISTINCT user_id)::int AS "activeUsers"
           FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
        [org, from, to],
      );
      return r as Record<string, number>;
    };
    const close = (got: Record<string, number>, want: Record<string, number>) => {
      expect({ ...got, costUsd: Math.round(got.costUsd * 1e6) }).toEqual({
        ...want,
        costUsd: Math.round(want.costUsd * 1e6),
      });
    };
    for (const [name, from, to] of ranges) {
      const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
      const want = await totals(from, to);
      expect({ name, events: want.fetches + want.renders + want.runs > 0 }).toEqual({ name, events: true });
      const summary = await get(`/analytics/summary?${q}`);
      expect(summary.status).toBe(200);
      const { period, previous, promptsCreated, ...got } = summary.body;
      const [created] = await rows(
        `SELECT count(*)::int AS n FROM prompts WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3`,
        [org, from, to],
      );
      expect({ name, period, promptsCreated }).toEqual({
        name,
        period: { from: from.toISOString(), to: to.toISOString() },
        promptsCreated: created.n,
      });
      close(
        { name, ...got } as Record<string, number>,
        { name, ...want } as unknown as Record<string, number>,
      );
      const span = to.getTime() - from.getTime();
      const wantPrevious = await totals(new Date(from.getTime() - span), from);
      const { promptsCreated: _p, ...gotPrevious } = previous;
      close({ name, ...gotPrevious }, { name, ...wantPrevious } as unknown as Record<string, number>);

      for (const unit of ['day', 'week', 'month'] as const) {
        for (const metric of ['runs', 'cost'] as const) {
          const expr =
            metric === 'runs'
              ? `sum(quantity) FILTER (WHERE kind IN ('run', 'call', 'evaluation'))`
              : 'sum(cost_usd)';
          const wantPoints = new Map(
            (
              await rows(
                `SELECT date_trunc('${unit}', occurred_at, 'UTC') AS t, coalesce(${expr}, 0)::float8 AS v
                   FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY 1`,
                [org, from, to],
              )
            ).map((r) => [iso(r.t), Math.round(r.v * 1e6)]),
          );
          const res = await get(`/analytics/timeseries?metric=${metric}&interval=${unit}&${q}`);
          expect(res.status).toBe(200);
          expect(res.body.series).toHaveLength(1);
          const points: Array<{ t: string; value: number }> = res.body.series[0].points;
          const gotPoints = points.map((p) => [name, unit, metric, p.t, Math.round(p.value * 1e6)]);
          expect(gotPoints).toEqual(points.map((p) => [name, unit, metric, p.t, wantPoints.get(p.t) ?? 0]));
          // Every raw bucket falls on a point of the answer.
          expect([...wantPoints.keys()].filter((k) => !points.some((p) => p.t === k))).toEqual([]);
        }
      }
    }
  });

  it('keeps each organization to its own rows (row-level security) and deletes them with the organization', async () => {
    const client = await t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true)`, [
        stranger.organizationId,
      ]);
      for (const table of ['usage_rollups_org_daily', 'usage_rollups_org_monthly']) {
        const seen = (await client.query(`SELECT DISTINCT organization_id FROM ${table}`)).rows;
        expect(seen).toEqual([{ organization_id: stranger.organizationId }]);
        await client.query('SAVEPOINT s');
        await expect(
          client.query(`INSERT INTO ${table} (organization_id, bucket, calls) VALUES ($1, $2, 1)`, [
            org,
            monthStart(now, 5),
          ]),
        ).rejects.toThrow(/row-level security/);
        await client.query('ROLLBACK TO SAVEPOINT s');
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    const admin = await t.owner.connect();
    try {
      await admin.query('BEGIN');
      await admin.query(`SELECT set_config('app.system', 'on', true)`);
      await admin.query(`DELETE FROM organizations WHERE id = $1`, [stranger.organizationId]);
      for (const table of ['usage_rollups_org_daily', 'usage_rollups_org_monthly']) {
        const [n] = (
          await admin.query(`SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1`, [
            stranger.organizationId,
          ])
        ).rows;
        expect({ table, n: n.n }).toEqual({ table, n: 0 });
      }
    } finally {
      await admin.query('ROLLBACK');
      admin.release();
    }
  });
});
