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

/**
 * The monthly rollups (migration 1764001100000): equal to the raw events per month, and the
 * dashboard queries that read whole months from them and the edges from the daily or hourly
 * rollups answer exactly what the raw events say, for ranges with partial months, across a price
 * change, and for one organization only.
 */
describe(`Monthly usage rollups (${driver})`, () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let stranger: SignedUpUser;
  let org: string;
  const prompts: string[] = [];
  const model = `monthly-${Date.now().toString(36)}`;
  const now = new Date();
  // A price change in the middle of last month: events before it cost 1 $/MTok in, 2 out; after, 3 and 5.
  const priceChange = new Date(monthStart(now, -1).getTime() + 14 * DAY + 12 * HOUR);

  const rows = async (sql: string, params: unknown[] = []) => (await t.owner.query(sql, params)).rows;

  const ingest = (organizationId: string, events: object[]) => ingestUsage(t.owner, organizationId, events);

  const get = (path: string, user = owner, organizationId = org) =>
    t.http().get(`/api/v1${path}`).set(auth(user, organizationId));

  beforeAll(async () => {
    t = await bootTestApp();
    owner = await signUp(t, 'Monthly Owner');
    stranger = await signUp(t, 'Monthly Stranger');
    org = owner.organizationId;
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
    // ~100 days of events every 17 hours: calls (priced from the catalogue), renders and fetches,
    // over three prompts, the owner or no user; the last events are just before now.
    const events: object[] = [];
    for (let i = 0; i < 140; i++) {
      const at = new Date(now.getTime() - 60_000 - i * 17 * HOUR);
      const kind = ['call', 'render', 'fetch', 'call'][i % 4];
      events.push({
        organization_id: org,
        occurred_at: at.toISOString(),
        kind,
        quantity: kind === 'call' ? 1 : 1 + (i % 3),
        prompt_id: prompts[i % 3],
        model: kind === 'call' ? model : null,
        user_id: i % 5 === 0 ? null : owner.userId,
        input_tokens: kind === 'call' ? 1000 + i : 0,
        output_tokens: kind === 'call' ? 500 + i : 0,
      });
    }
    await ingest(org, events);
    // The stranger's organization: the same model and months, never in the owner's figures.
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

  interface RawSums {
    runs: number;
    fetches: number;
    renders: number;
    input_tokens: number;
    output_tokens: number;
    cost: number;
    users: number;
    perPrompt: Array<{ prompt_id: string; cost: number; uses: number | null }>;
    perMonth: Array<{ t: Date; cost: number }>;
  }

  /** The raw events' sums of [from, to) in the owner's organization. */
  async function raw(from: Date, to: Date): Promise<RawSums> {
    const [r] = await rows(
      `SELECT coalesce(sum(quantity) FILTER (WHERE kind IN ('run', 'call', 'evaluation')), 0)::int AS runs,
              coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0)::int AS fetches,
              coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0)::int AS renders,
              sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens,
              coalesce(sum(cost_usd), 0)::float8 AS cost, count(DISTINCT user_id)::int AS users
         FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [org, from, to],
    );
    const perPrompt = await rows(
      `SELECT prompt_id, sum(cost_usd)::float8 AS cost,
              sum(quantity) FILTER (WHERE kind IN ('render', 'run', 'call', 'evaluation'))::int AS uses
         FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY 1`,
      [org, from, to],
    );
    const perMonth = await rows(
      `SELECT date_trunc('month', occurred_at, 'UTC') AS t, coalesce(sum(cost_usd), 0)::float8 AS cost
         FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY 1`,
      [org, from, to],
    );
    return { ...(r as Omit<RawSums, 'perPrompt' | 'perMonth'>), perPrompt, perMonth };
  }

  it('keeps the monthly rollups equal to the raw events, across the price change', async () => {
    const fromRaw = await rows(
      `SELECT organization_id, date_trunc('month', occurred_at, 'UTC') AS bucket, prompt_id, model, user_id,
              coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0)::int AS fetches,
              coalesce(sum(quantity) FILTER (WHERE kind = 'render'), 0)::int AS renders,
              coalesce(sum(quantity) FILTER (WHERE kind = 'call'), 0)::int AS calls,
              sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens,
              coalesce(sum(cost_usd), 0)::numeric(24, 10)::text AS cost,
              count(*) FILTER (WHERE kind IN ('run', 'call', 'evaluation') AND cost_usd IS NULL)::int AS cost_unknown
         FROM usage_events WHERE organization_id = ANY($1) GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      [[org, stranger.organizationId]],
    );
    const rolled = await rows(
      `SELECT organization_id, bucket, prompt_id, model, user_id, fetches::int, renders::int, calls::int,
              input_tokens::int, output_tokens::int, cost_usd::text AS cost, cost_unknown::int
         FROM usage_rollups_monthly WHERE organization_id = ANY($1) ORDER BY 1, 2, 3, 4, 5`,
      [[org, stranger.organizationId]],
    );
    expect(rolled.length).toBeGreaterThanOrEqual(4 * 3);
    expect(rolled).toEqual(fromRaw);
    // Both prices were applied: calls before the change at 1/2 $ per MTok, after it at 3/5.
    const [prices] = await rows(
      `SELECT count(*) FILTER (WHERE occurred_at < $2 AND cost_usd = round((input_tokens * 1 + output_tokens * 2) / 1e6, 10))::int AS before,
              count(*) FILTER (WHERE occurred_at >= $2 AND cost_usd = round((input_tokens * 3 + output_tokens * 5) / 1e6, 10))::int AS after,
              count(*)::int AS calls
         FROM usage_events WHERE organization_id = $1 AND kind = 'call'`,
      [org, priceChange],
    );
    expect(prices.before).toBeGreaterThan(0);
    expect(prices.after).toBeGreaterThan(0);
    expect(prices.before + prices.after).toBe(prices.calls);
  });

  it('answers every query like the raw events for ranges with partial months (daily and hourly edges)', async () => {
    const ranges: Array<[string, Date, Date]> = [
      // Midnight to midnight: whole months from the monthly rollups, the edge days from the daily ones.
      [
        'partial months, days',
        midnight(new Date(now.getTime() - 95 * DAY)),
        midnight(new Date(now.getTime() + DAY)),
      ],
      // Hours: the edges from the hourly rollups; the price change lies inside the range.
      [
        'partial months, hours',
        new Date(midnight(new Date(now.getTime() - 80 * DAY)).getTime() + 7 * HOUR),
        new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR),
      ],
      // Exactly whole months (no edges), and a range inside one month (edges only).
      ['whole months', monthStart(now, -3), monthStart(now)],
      [
        'within one month',
        new Date(priceChange.getTime() - 5 * DAY),
        new Date(priceChange.getTime() + 3 * DAY),
      ],
    ];
    for (const [name, from, to] of ranges) {
      const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
      const want = await raw(from, to);
      expect({ name, runs: want.runs > 0 }).toEqual({ name, runs: true });

      const summary = await get(`/analytics/summary?${q}`);
      expect(summary.status).toBe(200);
      expect({ name, ...summary.body, costUsd: undefined, previous: undefined, period: undefined }).toEqual({
        name,
        runs: want.runs,
        fetches: want.fetches,
        renders: want.renders,
        inputTokens: want.input_tokens,
        outputTokens: want.output_tokens,
        costUsd: undefined,
        costUnknown: 0,
        activeUsers: want.users,
        promptsCreated: expect.any(Number),
        previous: undefined,
        period: undefined,
      });
      expect(summary.body.costUsd).toBeCloseTo(want.cost, 6);

      const top = await get(`/analytics/top-prompts?by=cost&${q}`);
      expect(top.status).toBe(200);
      const wantTop = want.perPrompt
        .filter((p) => p.cost > 0)
        .sort((a, b) => b.cost - a.cost || String(a.prompt_id).localeCompare(String(b.prompt_id)));
      expect({ name, top: top.body.items.map((i: { promptId: string }) => i.promptId) }).toEqual({
        name,
        top: wantTop.map((p) => p.prompt_id),
      });
      top.body.items.forEach((i: { value: number }, n: number) =>
        expect(i.value).toBeCloseTo(wantTop[n].cost, 6),
      );
      const uses = await get(`/analytics/top-prompts?by=uses&limit=1&${q}`);
      const most = Math.max(...want.perPrompt.map((p) => p.uses ?? 0));
      expect({ name, value: uses.body.items[0].value }).toEqual({ name, value: most });

      for (const by of ['category', 'collection', 'user']) {
        const res = await get(`/analytics/breakdown?by=${by}&metric=runs&${q}`);
        expect({ name, by, status: res.status }).toEqual({ name, by, status: 200 });
        expect(res.body.items.reduce((s: number, i: { value: number }) => s + i.value, 0)).toBe(want.runs);
      }
      const byModel = await get(`/analytics/breakdown?by=model&metric=tokens&${q}`);
      expect(byModel.body.items).toEqual([
        { key: model, label: model, value: want.input_tokens + want.output_tokens },
      ]);

      const ts = await get(`/analytics/timeseries?metric=cost&interval=month&groupBy=model&${q}`);
      expect(ts.status).toBe(200);
      const points = ts.body.series.find((s: { key: string }) => s.key === model).points;
      for (const m of want.perMonth) {
        const p = points.find((x: { t: string }) => x.t === new Date(m.t).toISOString());
        expect(p.value).toBeCloseTo(m.cost, 6);
      }
      const perDay = await get(`/analytics/timeseries?metric=runs&interval=day&${q}`);
      expect(perDay.body.series[0].points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(
        want.runs,
      );
    }
  });

  it('keeps each organization to its own monthly rollups (row-level security)', async () => {
    const client = await t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true)`, [
        stranger.organizationId,
      ]);
      const seen = (await client.query(`SELECT DISTINCT organization_id FROM usage_rollups_monthly`)).rows;
      expect(seen).toEqual([{ organization_id: stranger.organizationId }]);
      await expect(
        client.query(
          `INSERT INTO usage_rollups_monthly (organization_id, bucket, calls) VALUES ($1, $2, 1)`,
          [org, monthStart(now)],
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    // The stranger's 4,000,000 tokens of a year are theirs only.
    const q = `from=${monthStart(now, -11).toISOString()}&to=${midnight(new Date(now.getTime() + DAY)).toISOString()}`;
    const mine = await get(`/analytics/summary?${q}`);
    const theirs = await get(`/analytics/summary?${q}`, stranger, stranger.organizationId);
    expect(theirs.body).toMatchObject({ runs: 4, inputTokens: 4_000_000, activeUsers: 1 });
    expect(mine.body.inputTokens).toBe(
      (await raw(monthStart(now, -11), new Date(now.getTime() + DAY))).input_tokens,
    );
    expect((await get(`/analytics/summary?${q}`, stranger)).status).toBe(404);
  });
});
