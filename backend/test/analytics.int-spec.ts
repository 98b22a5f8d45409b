import { randomBytes } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import { MonthlyReportJob } from '../src/modules/analytics/monthly-report.job';
import { UsageRecorder } from '../src/modules/analytics/usage-recorder';
import { UsageRetention } from '../src/modules/analytics/usage-retention';
import { recordMails } from './support/mailbox';
import {
  addMember,
  auth,
  bootTestApp,
  redisUrl,
  signUp,
  signUpTeam,
  SignedUpUser,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

describe(`Usage analytics (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let other: SignedUpUser;
  let mails: ReturnType<typeof recordMails>['mails'];
  let promptId: string;
  let slug: string;
  let otherPromptId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
    other = await signUp(t, 'Other Org Owner');
    ({ mails } = recordMails(t.app));
    const p = await call('post', '/prompts', team.editor, {
      title: 'Support reply',
      content: 'Answer {{q}}',
    });
    expect(p.status).toBe(201);
    promptId = p.body.id;
    slug = p.body.slug;
    expect(
      (await call('patch', `/prompts/${promptId}`, team.editor, { content: 'Answer {{q}} kindly' })).status,
    ).toBe(200);
    expect(
      (await call('put', `/prompts/${promptId}/labels/production`, team.owner, { version: 1 })).status,
    ).toBe(200);
    const o = await call('post', '/prompts', other, { title: 'Theirs', content: 'x' }, other.organizationId);
    expect(o.status).toBe(201);
    otherPromptId = o.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  function call(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    user?: SignedUpUser,
    body?: object,
    org = team.org,
  ) {
    let req = t.http()[method](`/api/v1${path}`);
    if (user) req = req.set(auth(user, org));
    return body ? req.send(body) : req;
  }
  const report = (events: object[], user: SignedUpUser = team.editor, org = team.org) =>
    call('post', '/usage', user, { events }, org);
  const flush = () => t.app.get(UsageRecorder).flush();
  const rows = async (sql: string, params: unknown[] = []) => (await t.owner.query(sql, params)).rows;

  // ------------------------------------------------------------------ ingestion

  describe('POST /usage', () => {
    it('accepts valid events by id or slug, with an API key too, and writes them before answering', async () => {
      const res = await report([
        { promptId, version: 2, model: 'gpt-4o', inputTokens: 1000, outputTokens: 500, latencyMs: 120 },
        { slug, label: 'production', model: 'gpt-4o', inputTokens: 10, outputTokens: 0, status: 'error' },
      ]);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      const events = await rows(
        `SELECT kind, version, label, model, user_id, input_tokens::int, cost_usd::float8 AS cost, cost_source, status
           FROM usage_events WHERE organization_id = $1 AND kind = 'call' ORDER BY input_tokens DESC`,
        [team.org],
      );
      expect(events).toEqual([
        expect.objectContaining({
          version: 2,
          label: null,
          input_tokens: 1000,
          cost: (1000 * 2.5 + 500 * 10) / 1e6,
          cost_source: 'catalogue',
          user_id: team.editor.userId,
          status: 'success',
        }),
        // The label resolves to the version it points at.
        expect.objectContaining({ version: 1, label: 'production', input_tokens: 10, status: 'error' }),
      ]);

      const key = await t
        .http()
        .post(`/api/v1/organizations/${team.org}/api-keys`)
        .set({ Authorization: `Bearer ${team.viewer.token}` })
        .send({ name: 'usage' })
        .expect(201);
      const byKey = await t
        .http()
        .post('/api/v1/usage')
        .set('X-API-Key', key.body.key)
        .send({ events: [{ slug, model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1 }] });
      expect(byKey.status).toBe(202);
      expect(byKey.body.accepted).toBe(1);
      const [row] = await rows(
        `SELECT api_key_id FROM usage_events WHERE model = 'gpt-4o-mini' AND organization_id = $1`,
        [team.org],
      );
      expect(row.api_key_id).toBe(key.body.id);
    });

    it('rejects invalid events one by one, naming the field, and keeps the valid ones', async () => {
      const before = await rows(`SELECT count(*)::int AS n FROM usage_events WHERE organization_id = $1`, [
        team.org,
      ]);
      const res = await report([
        { promptId, model: 'gpt-4o', inputTokens: -1, outputTokens: 0 },
        {
          promptId,
          model: 'gpt-4o',
          inputTokens: 1,
          outputTokens: 1,
          occurredAt: new Date(Date.now() + DAY).toISOString(),
        },
        { promptId, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, occurredAt: ago(45) }, // Free keeps 30 days
        { promptId, slug, model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { promptId, version: 9, model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { promptId, label: 'nope', model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { promptId: otherPromptId, model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { promptId, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, surprise: true },
        { model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { promptId, inputTokens: 1, outputTokens: 1 },
        { promptId, model: 'gpt-4o', inputTokens: 3, outputTokens: 4, occurredAt: ago(2) },
      ]);
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(1);
      const fields = Object.fromEntries(
        res.body.rejected.map((r: { index: number; errors: Array<{ field: string }> }) => [
          r.index,
          [...new Set(r.errors.map((e) => e.field))],
        ]),
      );
      expect(fields).toEqual({
        0: ['inputTokens'],
        1: ['occurredAt'],
        2: ['occurredAt'],
        3: ['slug'],
        4: ['version'],
        5: ['label'],
        6: ['promptId'],
        7: ['surprise'],
        8: ['promptId'],
        9: ['model'],
      });
      const after = await rows(`SELECT count(*)::int AS n FROM usage_events WHERE organization_id = $1`, [
        team.org,
      ]);
      expect(after[0].n).toBe(before[0].n + 1);
      // Nothing was written for the other organization's prompt.
      expect(await rows(`SELECT 1 FROM usage_events WHERE prompt_id = $1`, [otherPromptId])).toEqual([]);
    });

    it('counts an idempotency key once per organization, across requests and within a batch', async () => {
      const key = `k-${randomBytes(4).toString('hex')}`;
      const event = { promptId, model: 'gpt-4o', inputTokens: 7, outputTokens: 7, idempotencyKey: key };
      expect((await report([event, event])).body).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
      expect((await report([event])).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      const [n] = await rows(`SELECT count(*)::int AS n FROM usage_events WHERE idempotency_key = $1`, [key]);
      expect(n.n).toBe(1);
      // The same key in another organization is another event.
      const theirs = { ...event, promptId: otherPromptId };
      expect((await report([theirs], other, other.organizationId)).body.duplicates).toBe(0);
    });

    it('answers 400 for batches that are empty, too large or not a list, and 401 without credentials', async () => {
      expect((await report([])).status).toBe(400);
      const many = Array.from({ length: 1001 }, () => ({
        promptId,
        model: 'm',
        inputTokens: 0,
        outputTokens: 0,
      }));
      const big = await report(many);
      expect(big.status).toBe(400);
      expect(big.body.errors[0].field).toBe('events');
      expect((await call('post', '/usage', team.editor, { events: 'nope' })).status).toBe(400);
      expect((await call('post', '/usage', team.editor, { events: [1] })).status).toBe(400);
      expect((await t.http().post('/api/v1/usage').send({ events: [] })).status).toBe(401);
      expect(
        (await report([{ promptId, model: 'gpt-4o', inputTokens: 1, outputTokens: 1 }], team.outsider))
          .status,
      ).toBe(404);
    });
  });

  // ------------------------------------------------------------------ hot path, rollups, partitions

  describe('counters, rollups and partitions', () => {
    it('buffers fetches, renders and views in memory and writes them on the flush', async () => {
      await flush();
      const count = async (kind: string) =>
        (
          await rows(
            `SELECT coalesce(sum(quantity), 0)::int AS n FROM usage_events WHERE organization_id = $1 AND kind = $2`,
            [team.org, kind],
          )
        )[0].n;
      const [f0, r0, v0] = [await count('fetch'), await count('render'), await count('view')];
      const [{ since }] = await rows(`SELECT clock_timestamp() AS since`);
      for (let i = 0; i < 3; i++)
        expect((await call('get', `/prompts/by-slug/${slug}?label=production`, team.viewer)).status).toBe(
          200,
        );
      expect(
        (await call('post', `/prompts/${promptId}/render`, team.viewer, { variables: { q: 'x' } })).status,
      ).toBe(200);
      expect((await call('get', `/prompts/${promptId}`, team.viewer)).status).toBe(200);
      await flush();
      expect([await count('fetch'), await count('render'), await count('view')]).toEqual([
        f0 + 3,
        r0 + 1,
        v0 + 1,
      ]);
      // The three fetches are counted together, unless the 1-second interval flush fell between them.
      const fetches = await rows(
        `SELECT label, version, sum(quantity)::int AS quantity FROM usage_events
          WHERE organization_id = $1 AND kind = 'fetch' AND user_id = $2 AND recorded_at > $3
          GROUP BY label, version`,
        [team.org, team.viewer.userId, since],
      );
      expect(fetches).toEqual([{ label: 'production', version: 1, quantity: 3 }]);
    });

    it('counts a search made with an API key for that key, and one made in the console for no key', async () => {
      const key = await t
        .http()
        .post(`/api/v1/organizations/${team.org}/api-keys`)
        .set({ Authorization: `Bearer ${team.viewer.token}` })
        .send({ name: 'search usage' })
        .expect(201);
      await flush();
      const [{ since }] = await rows(`SELECT clock_timestamp() AS since`);
      await t.http().get('/api/v1/search?q=anything').set('X-API-Key', key.body.key).expect(200);
      expect((await call('get', '/search?q=anything', team.viewer)).status).toBe(200);
      await flush();
      const searches = await rows(
        `SELECT api_key_id, sum(quantity)::int AS quantity FROM usage_events
          WHERE organization_id = $1 AND kind = 'search' AND user_id = $2 AND recorded_at > $3
          GROUP BY api_key_id ORDER BY api_key_id NULLS LAST`,
        [team.org, team.viewer.userId, since],
      );
      expect(searches).toEqual([
        { api_key_id: key.body.id, quantity: 1 },
        { api_key_id: null, quantity: 1 },
      ]);
    });

    it('keeps the hourly, daily, monthly and organization rollups equal to the raw events', async () => {
      await flush();
      for (const [table, unit] of [
        ['usage_rollups_hourly', 'hour'],
        ['usage_rollups_daily', 'day'],
        ['usage_rollups_monthly', 'month'],
      ]) {
        const raw = await rows(
          `SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC') AS bucket, prompt_id, model, user_id,
                  sum(quantity) FILTER (WHERE kind = 'fetch')::int AS fetches, sum(quantity) FILTER (WHERE kind = 'call')::int AS calls,
                  sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens, coalesce(sum(cost_usd), 0)::float8 AS cost
             FROM usage_events GROUP BY 1, 2, 3, 4, 5`,
        );
        const rolled = await rows(
          `SELECT organization_id, bucket, prompt_id, model, user_id, nullif(fetches, 0)::int AS fetches, nullif(calls, 0)::int AS calls,
                  input_tokens::int, output_tokens::int, cost_usd::float8 AS cost FROM ${table}`,
        );
        const key = (r: Record<string, unknown>) =>
          [r.organization_id, new Date(r.bucket as string).toISOString(), r.prompt_id, r.model, r.user_id]
            .map(String)
            .join('|');
        const sort = (list: Array<Record<string, unknown>>) =>
          list
            .map((r) => ({ ...r, bucket: new Date(r.bucket as string).toISOString(), k: key(r) }))
            .sort((a, b) => a.k.localeCompare(b.k));
        expect(rolled.length).toBeGreaterThan(0);
        expect(sort(rolled)).toEqual(sort(raw));
      }
      // The organization rollups: the same sums per organization × bucket, and its distinct users.
      for (const [table, unit] of [
        ['usage_rollups_org_daily', 'day'],
        ['usage_rollups_org_monthly', 'month'],
      ]) {
        const raw = await rows(
          `SELECT organization_id, date_trunc('${unit}', occurred_at, 'UTC') AS bucket,
                  coalesce(sum(quantity) FILTER (WHERE kind = 'fetch'), 0)::int AS fetches,
                  coalesce(sum(quantity) FILTER (WHERE kind = 'view'), 0)::int AS views,
                  coalesce(sum(quantity) FILTER (WHERE kind = 'run'), 0)::int AS runs,
                  coalesce(sum(quantity) FILTER (WHERE kind = 'call'), 0)::int AS calls,
                  sum(input_tokens)::int AS input_tokens, coalesce(sum(cost_usd), 0)::float8 AS cost,
                  coalesce(array_agg(DISTINCT user_id::text ORDER BY user_id::text) FILTER (WHERE user_id IS NOT NULL), '{}') AS users
             FROM usage_events GROUP BY 1, 2 ORDER BY 1, 2`,
        );
        const rolled = await rows(
          `SELECT organization_id, bucket, fetches::int, views::int, runs::int, calls::int, input_tokens::int,
                  cost_usd::float8 AS cost, ARRAY(SELECT u::text FROM unnest(user_ids) u ORDER BY 1) AS users
             FROM ${table} ORDER BY 1, 2`,
        );
        expect(rolled.length).toBeGreaterThan(0);
        expect(rolled).toEqual(raw);
      }
    });

    it('creates monthly partitions ahead, and row-level security of the parent applies to them', async () => {
      const parts = async () =>
        (
          await rows(
            `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass`,
          )
        ).map((r) => r.relname as string);
      const now = new Date();
      const name = (d: Date) =>
        `usage_events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 1));
      expect(await parts()).toEqual(expect.arrayContaining([name(now), name(ahead)]));
      // The job run from a date two years on creates the months around it.
      const later = new Date(Date.UTC(now.getUTCFullYear() + 2, now.getUTCMonth(), 15));
      expect(await t.app.get(UsageRetention).ensurePartitions(later)).toBeGreaterThan(0);
      expect(await parts()).toContain(name(later));
      // Queried through the parent as the runtime role: only the organization's own rows.
      const client = await t.owner.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true)`,
          [other.organizationId],
        );
        const seen = (await client.query(`SELECT DISTINCT organization_id FROM usage_events`)).rows;
        expect(seen).toEqual([{ organization_id: other.organizationId }]);
        await client.query('SAVEPOINT direct');
        // A partition itself is out of the runtime role's reach.
        await expect(client.query(`SELECT count(*) FROM ${name(now)}`)).rejects.toThrow(/permission denied/);
        await client.query('ROLLBACK TO SAVEPOINT direct');
        await expect(
          client.query(
            `INSERT INTO usage_events (organization_id, occurred_at, kind) VALUES ($1, now(), 'view')`,
            [team.org],
          ),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('deletes raw events past the plan retention and keeps the rollups', async () => {
      const user = await signUp(t, 'Retention');
      const p = await call('post', '/prompts', user, { title: 'Old', content: 'x' }, user.organizationId);
      await t.app.get(UsageRetention).ensurePartitions(new Date(Date.now() - 40 * DAY));
      await t.owner.query(
        `INSERT INTO usage_events (organization_id, occurred_at, kind, prompt_id, model, input_tokens)
         VALUES ($1, $2, 'call', $3, 'gpt-4o', 5), ($1, now(), 'call', $3, 'gpt-4o', 6)`,
        [user.organizationId, ago(40), p.body.id],
      );
      await t.owner.query(
        `INSERT INTO usage_rollups_daily (organization_id, bucket, prompt_id, model, user_id, calls, input_tokens) VALUES ($1, $2, $3, 'gpt-4o', NULL, 1, 5)`,
        [user.organizationId, midnight(new Date(Date.now() - 40 * DAY)), p.body.id],
      );
      expect(await t.app.get(UsageRetention).pruneAll()).toBeGreaterThanOrEqual(1);
      const left = await rows(`SELECT input_tokens::int FROM usage_events WHERE organization_id = $1`, [
        user.organizationId,
      ]);
      expect(left).toEqual([{ input_tokens: 6 }]);
      const kept = await rows(
        `SELECT count(*)::int AS n FROM usage_rollups_daily WHERE organization_id = $1`,
        [user.organizationId],
      );
      expect(kept[0].n).toBe(1);
    });
  });

  // ------------------------------------------------------------------ costs

  it('prices events at the price in effect when they happened; client costs win; unknown models are flagged', async () => {
    const user = await signUp(t, 'Prices');
    const org = user.organizationId;
    const p = await call('post', '/prompts', user, { title: 'Priced', content: 'x' }, org);
    // gpt-4.1-nano costs 0.1/0.4 per MTok in the catalogue; from 5 days ago it costs 1/4.
    await t.owner.query(
      `INSERT INTO model_prices (model, effective_from, input_per_mtok_usd, output_per_mtok_usd) VALUES ('gpt-4.1-nano', $1, 1, 4)`,
      [ago(5)],
    );
    const e = { promptId: p.body.id, model: 'gpt-4.1-nano', inputTokens: 1_000_000, outputTokens: 1_000_000 };
    const res = await report(
      [
        { ...e, occurredAt: ago(10) },
        { ...e, occurredAt: ago(1) },
        { ...e, occurredAt: ago(1), costUsd: 0.25 },
        { ...e, model: 'my-own-finetune', occurredAt: ago(1) },
      ],
      user,
      org,
    );
    expect(res.body).toEqual({ accepted: 4, duplicates: 0, rejected: [] });
    const priced = await rows(
      `SELECT model, cost_usd::float8 AS cost, cost_source, unknown_model FROM usage_events WHERE organization_id = $1 ORDER BY occurred_at, cost_usd NULLS LAST`,
      [org],
    );
    expect(priced).toEqual([
      { model: 'gpt-4.1-nano', cost: 0.5, cost_source: 'catalogue', unknown_model: false },
      { model: 'gpt-4.1-nano', cost: 0.25, cost_source: 'client', unknown_model: false },
      { model: 'gpt-4.1-nano', cost: 5, cost_source: 'catalogue', unknown_model: false },
      { model: 'my-own-finetune', cost: null, cost_source: null, unknown_model: true },
    ]);
    const summary = await call(
      'get',
      `/analytics/summary?from=${ago(20)}&to=${new Date().toISOString()}`,
      user,
      undefined,
      org,
    );
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ runs: 4, costUsd: 5.75, costUnknown: 1, inputTokens: 4_000_000 });
  });

  // ------------------------------------------------------------------ queries

  describe('GET /analytics/*', () => {
    const range = () =>
      `from=${midnight(new Date(Date.now() - 7 * DAY)).toISOString()}&to=${midnight(new Date(Date.now() + DAY)).toISOString()}`;

    it('answers summary, timeseries, top prompts and breakdowns from the rollups', async () => {
      await flush();
      const summary = await call('get', `/analytics/summary?${range()}`, team.admin);
      expect(summary.status).toBe(200);
      const [raw] = await rows(
        `SELECT sum(quantity) FILTER (WHERE kind IN ('run', 'call', 'evaluation'))::int AS runs, sum(quantity) FILTER (WHERE kind = 'fetch')::int AS fetches,
                sum(cost_usd)::float8 AS cost FROM usage_events WHERE organization_id = $1 AND occurred_at >= $2`,
        [team.org, midnight(new Date(Date.now() - 7 * DAY))],
      );
      expect(summary.body).toMatchObject({
        runs: raw.runs,
        fetches: raw.fetches,
        promptsCreated: 1,
        previous: expect.objectContaining({ runs: 0 }),
      });
      expect(summary.body.costUsd).toBeCloseTo(raw.cost, 6);
      expect(summary.body.activeUsers).toBeGreaterThanOrEqual(2);

      const ts = await call(
        'get',
        `/analytics/timeseries?metric=runs&interval=day&groupBy=model&${range()}`,
        team.owner,
      );
      expect(ts.status).toBe(200);
      expect(ts.body.interval).toBe('day');
      expect(ts.body.series[0].points).toHaveLength(8);
      const total = ts.body.series.reduce(
        (s: number, x: { points: Array<{ value: number }> }) => s + x.points.reduce((a, p) => a + p.value, 0),
        0,
      );
      expect(total).toBe(raw.runs);
      expect(ts.body.series.map((s: { key: string }) => s.key)).toContain('gpt-4o');

      const top = await call('get', `/analytics/top-prompts?by=cost&${range()}`, team.owner);
      expect(top.body.items[0]).toMatchObject({ promptId, slug, title: 'Support reply' });
      const byModel = await call('get', `/analytics/breakdown?by=model&metric=tokens&${range()}`, team.owner);
      expect(byModel.body.items.find((i: { key: string }) => i.key === 'gpt-4o').value).toBeGreaterThan(1000);
      const byUser = await call('get', `/analytics/breakdown?by=user&metric=runs&${range()}`, team.owner);
      expect(byUser.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: team.editor.userId, label: 'Editor' })]),
      );
      expect(
        (await call('get', `/analytics/breakdown?by=category&${range()}`, team.owner)).body.items[0].label,
      ).toBe('Uncategorized');
    });

    it('refuses EDITORs and VIEWERs (403), strangers (404), no credentials (401) and bad periods (400)', async () => {
      for (const path of [
        'summary',
        'timeseries?metric=cost',
        'top-prompts',
        'breakdown?by=model',
        'report?format=csv',
      ]) {
        expect([path, (await call('get', `/analytics/${path}`, team.editor)).status]).toEqual([path, 403]);
        expect([path, (await call('get', `/analytics/${path}`, team.viewer)).status]).toEqual([path, 403]);
        expect([path, (await call('get', `/analytics/${path}`, team.outsider)).status]).toEqual([path, 404]);
        expect([path, (await call('get', `/analytics/${path}`)).status]).toEqual([path, 401]);
      }
      const bad = [
        `summary?from=${ago(1)}&to=${ago(2)}`,
        `summary?from=${ago(500)}&to=${ago(1)}`,
        'summary?from=yesterday',
        'timeseries?metric=nope',
        'timeseries?metric=cost&interval=year',
        'top-prompts?limit=0',
        'breakdown?by=planet',
        'report?format=xls',
      ];
      for (const path of bad)
        expect([path, (await call('get', `/analytics/${path}`, team.owner)).status]).toEqual([path, 400]);
    });

    it('shows a prompt its usage to every member who sees it, and 404 otherwise', async () => {
      const res = await call('get', `/prompts/${promptId}/usage?${range()}`, team.viewer);
      expect(res.status).toBe(200);
      expect(res.body.points).toHaveLength(8);
      expect(res.body.runs).toBeGreaterThan(0);
      expect(res.body.fetches).toBeGreaterThanOrEqual(3);
      const priv = await call('post', '/prompts', team.editor2, {
        title: 'Secret',
        content: 'x',
        visibility: 'private',
      });
      expect((await call('get', `/prompts/${priv.body.id}/usage`, team.editor2)).status).toBe(200);
      expect((await call('get', `/prompts/${priv.body.id}/usage`, team.admin)).status).toBe(404);
      expect((await call('get', `/prompts/${otherPromptId}/usage`, team.owner)).status).toBe(404);
      expect((await call('get', `/prompts/${promptId}/usage`)).status).toBe(401);
      expect((await call('get', `/prompts/not-a-uuid/usage`, team.viewer)).status).toBe(400);
    });
  });

  // ------------------------------------------------------------------ library and search

  it('sorts the library and search by 30-day cost and filters the top 10 % (highCost)', async () => {
    const user = await signUp(t, 'Costs');
    const org = user.organizationId;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await call(
        'post',
        '/prompts',
        user,
        { title: `Costly ${i}`, content: `Costly prompt ${i}` },
        org,
      );
      ids.push(p.body.id);
    }
    // Prompt i costs i dollars over the last 30 days (prompt 0 nothing); prompt 11 also cost a lot 40 days ago.
    const events = ids.slice(1).map((promptId, i) => ({
      promptId,
      model: 'gpt-4o',
      inputTokens: 1,
      outputTokens: 1,
      costUsd: i + 1,
      occurredAt: ago(2),
    }));
    expect((await report(events, user, org)).body.accepted).toBe(11);
    await t.owner.query(
      `INSERT INTO usage_rollups_daily (organization_id, bucket, prompt_id, model, user_id, calls, cost_usd) VALUES ($1, $2, $3, 'gpt-4o', NULL, 1, 1000)`,
      [org, midnight(new Date(Date.now() - 40 * DAY)), ids[1]],
    );
    const page1 = await call('get', '/prompts?sort=cost&limit=5', user, undefined, org);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((p: { title: string }) => p.title)).toEqual([
      'Costly 11',
      'Costly 10',
      'Costly 9',
      'Costly 8',
      'Costly 7',
    ]);
    const page3 = await call(
      'get',
      `/prompts?sort=cost&limit=5&cursor=${encodeURIComponent((await call('get', `/prompts?sort=cost&limit=5&cursor=${encodeURIComponent(page1.body.nextCursor)}`, user, undefined, org)).body.nextCursor)}`,
      user,
      undefined,
      org,
    );
    expect(page3.body.items.map((p: { title: string }) => p.title)).toEqual(['Costly 1', 'Costly 0']);
    // Top 10 % of the 11 prompts that cost anything: at or above the 90th percentile (10 dollars).
    const high = await call('get', '/prompts?highCost=true', user, undefined, org);
    expect(high.body.items.map((p: { title: string }) => p.title).sort()).toEqual(['Costly 10', 'Costly 11']);
    expect((await call('get', '/prompts?highCost=maybe', user, undefined, org)).status).toBe(400);

    const search = await call('get', '/search?q=costly&sort=cost&limit=3', user, undefined, org);
    expect(search.status).toBe(200);
    expect(search.body.items.map((p: { title: string }) => p.title)).toEqual([
      'Costly 11',
      'Costly 10',
      'Costly 9',
    ]);
    const next = await call(
      'get',
      `/search?q=costly&sort=cost&limit=3&cursor=${encodeURIComponent(search.body.nextCursor)}`,
      user,
      undefined,
      org,
    );
    expect(next.body.items.map((p: { title: string }) => p.title)).toEqual([
      'Costly 8',
      'Costly 7',
      'Costly 6',
    ]);
    const highSearch = await call('get', '/search?q=costly&highCost=true', user, undefined, org);
    expect(highSearch.body.items.map((p: { title: string }) => p.title).sort()).toEqual([
      'Costly 10',
      'Costly 11',
    ]);
  });

  // ------------------------------------------------------------------ reports

  describe('GET /analytics/report', () => {
    it('exports CSV with the totals and neutralized formula cells', async () => {
      const p = await call('post', '/prompts', team.editor, {
        title: '=HYPERLINK("http://evil")',
        content: 'x',
      });
      await report([{ promptId: p.body.id, model: 'gpt-4o', inputTokens: 100, outputTokens: 100 }]);
      const from = ago(3);
      const to = new Date().toISOString();
      const res = await call('get', `/analytics/report?format=csv&from=${from}&to=${to}`, team.admin);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="usage-.*\.csv"/);
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe('section,date,key,label,metric,value');
      const summary = await call('get', `/analytics/summary?from=${from}&to=${to}`, team.admin);
      expect(lines).toContain(`summary,${from}/${to},costUsd,Cost (USD),costUsd,${summary.body.costUsd}`);
      expect(lines).toContain(`summary,${from}/${to},runs,Runs,runs,${summary.body.runs}`);
      expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(res.text).not.toMatch(/,=HYPERLINK/);
    });

    it('exports a PDF that holds the totals and tables', async () => {
      const from = ago(3);
      const to = new Date().toISOString();
      const res = await call('get', `/analytics/report?format=pdf&from=${from}&to=${to}`, team.owner)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const summary = await call('get', `/analytics/summary?from=${from}&to=${to}`, team.owner);
      const parser = new PDFParse({ data: res.body as Buffer });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('Usage report');
      expect(text).toContain(`Runs: ${summary.body.runs}`);
      expect(text).toContain(`Cost (USD): $${summary.body.costUsd.toFixed(2)}`);
      expect(text).toContain('Cost by model');
      expect(text).toContain('Support reply');
    });
  });

  // ------------------------------------------------------------------ budgets

  describe('budgets', () => {
    let owner: SignedUpUser;
    let admin: SignedUpUser;
    let editor: SignedUpUser;
    let org: string;
    let pid: string;
    beforeAll(async () => {
      owner = await signUp(t, 'Budget Owner');
      admin = await signUp(t, 'Budget Admin');
      editor = await signUp(t, 'Budget Editor');
      org = owner.organizationId;
      await addMember(t, org, admin.userId, 'ADMIN');
      await addMember(t, org, editor.userId, 'EDITOR');
      pid = (await call('post', '/prompts', owner, { title: 'Spend', content: 'Say {{x}}' }, org)).body.id;
    });
    const spend = (usd: number) =>
      report(
        [{ promptId: pid, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, costUsd: usd }],
        editor,
        org,
      );

    it('reads and validates the budget (OWNER, ADMIN only)', async () => {
      const empty = await call('get', '/budget', admin, undefined, org);
      expect(empty.body).toEqual({
        monthlyLimitUsd: null,
        thresholds: [50, 80, 100],
        hardStop: false,
        monthlyReport: false,
        spentUsd: 0,
        percent: null,
        crossed: [],
      });
      for (const body of [
        {},
        { monthlyLimitUsd: 0 },
        { monthlyLimitUsd: 10, thresholds: [] },
        { monthlyLimitUsd: 10, thresholds: [50, 50] },
        { monthlyLimitUsd: 10, hardStop: 'yes' },
        { monthlyLimitUsd: 10, extra: 1 },
      ])
        expect([body, (await call('put', '/budget', owner, body, org)).status]).toEqual([body, 400]);
      expect((await call('put', '/budget', editor, { monthlyLimitUsd: 10 }, org)).status).toBe(403);
      expect((await call('get', '/budget', editor, undefined, org)).status).toBe(403);
      expect((await call('get', '/budget', team.owner, undefined, org)).status).toBe(404);
      expect((await call('get', '/budget')).status).toBe(401);
    });

    it('notifies each threshold once per month: mail to OWNERs and ADMINs, audit event, webhook outbox row', async () => {
      const put = await call(
        'put',
        '/budget',
        admin,
        { monthlyLimitUsd: 10, thresholds: [50, 80, 100] },
        org,
      );
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ monthlyLimitUsd: 10, spentUsd: 0, percent: 0, crossed: [] });
      mails.length = 0;
      await spend(6);
      expect((await call('get', '/budget', owner, undefined, org)).body).toMatchObject({
        spentUsd: 6,
        percent: 60,
        crossed: [50],
      });
      await spend(0.5);
      await spend(4);
      expect((await call('get', '/budget', owner, undefined, org)).body).toMatchObject({
        spentUsd: 10.5,
        percent: 105,
        crossed: [50, 80, 100],
      });
      await spend(1);
      const outbox = await rows(
        `SELECT payload->>'threshold' AS threshold FROM outbox_events WHERE organization_id = $1 AND type = 'budget.threshold_reached' ORDER BY created_at, payload->>'threshold'`,
        [org],
      );
      expect(outbox.map((r) => Number(r.threshold)).sort((a, b) => a - b)).toEqual([50, 80, 100]);
      const audit = await rows(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'budget.threshold_reached'`,
        [org],
      );
      expect(audit[0].n).toBe(3);
      expect(
        (
          await rows(`SELECT 1 FROM audit_events WHERE organization_id = $1 AND action = 'budget.updated'`, [
            org,
          ])
        ).length,
      ).toBe(1);
      const recipients = mails.filter((m) => m.subject.includes('monthly budget')).map((m) => m.to);
      // Two notifications (50, then 80+100 together), each to the owner and the admin, never to the editor.
      expect(recipients.sort()).toEqual([admin.email, admin.email, owner.email, owner.email].sort());
    });

    it('e-mails the PDF report of last month to the OWNERs once when the monthly report is on', async () => {
      expect(
        (await call('put', '/budget', owner, { monthlyLimitUsd: 10, monthlyReport: true }, org)).status,
      ).toBe(200);
      mails.length = 0;
      const now = new Date();
      const firstOfNextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 6));
      const job = t.app.get(MonthlyReportJob);
      expect(await job.run(firstOfNextMonth)).toBeGreaterThanOrEqual(1);
      const sent = mails.filter((m) => m.subject.includes('usage report'));
      expect(sent.map((m) => m.to)).toEqual([owner.email]);
      const attachment = sent[0].attachments![0];
      expect(attachment.contentType).toBe('application/pdf');
      const parser = new PDFParse({ data: attachment.content });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('Usage report: ');
      expect(text).toContain('Cost (USD): $11.50');
      // Once per organization and month.
      mails.length = 0;
      await job.run(firstOfNextMonth);
      expect(mails.filter((m) => m.to === owner.email && m.subject.includes('usage report'))).toEqual([]);
    });

    it('refuses runs, comparisons and test runs with 403 budget_exceeded once a hard stop budget is spent', async () => {
      expect((await call('put', '/budget', owner, { monthlyLimitUsd: 10, hardStop: true }, org)).status).toBe(
        200,
      );
      const run = await call(
        'post',
        `/prompts/${pid}/run`,
        editor,
        { model: 'gpt-4o', variables: { x: 'hi' } },
        org,
      );
      expect(run.status).toBe(403);
      expect(run.body).toMatchObject({ code: 'budget_exceeded', spentUsd: 11.5, monthlyLimitUsd: 10 });
      expect(
        (
          await call(
            'post',
            '/playground/run',
            editor,
            { model: 'gpt-4o', content: 'hi', variables: {} },
            org,
          )
        ).body.code,
      ).toBe('budget_exceeded');
      expect(
        (
          await call(
            'post',
            `/prompts/${pid}/compare`,
            editor,
            { targets: [{ model: 'gpt-4o' }, { model: 'gpt-4o-mini' }], variables: { x: 'a' } },
            org,
          )
        ).body.code,
      ).toBe('budget_exceeded');
      expect((await call('post', `/prompts/${pid}/test-cases/run`, editor, {}, org)).body.code).toBe(
        'budget_exceeded',
      );
      // A higher budget lifts it: the run goes on to the provider-key check.
      await call('put', '/budget', owner, { monthlyLimitUsd: 100, hardStop: true }, org);
      const after = await call(
        'post',
        `/prompts/${pid}/run`,
        editor,
        { model: 'gpt-4o', variables: { x: 'hi' } },
        org,
      );
      expect(after.body.code).toBe('provider_key_missing');
    });
  });
});
