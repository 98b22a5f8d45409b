import { randomBytes } from 'node:crypto';
import { ModelPricesService } from '../src/modules/playground/model-prices.service';
import { catalogueModel, PRICES_AS_OF } from '../src/modules/playground/models.catalogue';
import { FakeProviders, startFakeProviders } from './support/fake-providers';
import {
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
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const secret = (prefix: string) => `${prefix}-${randomBytes(24).toString('hex')}`;
const cost = (price: { in: number; out: number }, input: number, output: number) =>
  Math.round(((input * price.in + output * price.out) / 1e6) * 1e10) / 1e10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// gpt-4o-mini's list price (the catalogue) and the prices the organization sets in these tests.
const LIST = { in: 0.15, out: 0.6 };
const FIRST = { in: 1, out: 2 };
const SECOND = { in: 3, out: 7 };

describe(`Model prices of an organization (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let other: SignedUpUser;
  let fake: FakeProviders;
  let promptId: string;
  let otherPromptId: string;
  const keys = { openai: secret('sk-proj'), local: secret('sk-local') };
  const keyIds: Record<string, string> = {};

  beforeAll(async () => {
    fake = await startFakeProviders();
    fake.validKeys.add(keys.openai);
    fake.validKeys.add(keys.local);
    fake.reply = () => 'one two three four five';
    t = await bootTestApp({ env: { ENCRYPTION_KEY } });
    team = await signUpTeam(t);
    other = await signUp(t, 'Other Org Owner');
    for (const [name, provider, apiKey] of [
      ['OpenAI', 'openai', keys.openai],
      ['Local', 'openai-compatible', keys.local],
    ] as const) {
      const res = await call('post', '/provider-keys', team.owner, {
        provider,
        name,
        apiKey,
        baseUrl: fake.baseUrl('openai'),
      });
      expect(res.status).toBe(201);
      keyIds[name] = res.body.id;
    }
    const p = await call('post', '/prompts', team.editor, {
      title: 'Priced reply',
      content: 'Reply to {{customer}} about the invoice.',
      metadata: { maxTokens: 200 },
    });
    expect(p.status).toBe(201);
    promptId = p.body.id;
    const o = await call('post', '/prompts', other, { title: 'Theirs', content: 'x' }, other.organizationId);
    expect(o.status).toBe(201);
    otherPromptId = o.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  function call(
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    user?: SignedUpUser,
    body?: object,
    org = team.org,
  ) {
    let req = t.http()[method](`/api/v1${path}`);
    if (user) req = req.set(auth(user, org));
    return body ? req.send(body) : req;
  }
  const prices = (org = team.org) => `/organizations/${org}/model-prices`;
  const rows = async (sql: string, params: unknown[] = []) => (await t.owner.query(sql, params)).rows;
  const modelOf = async (user: SignedUpUser, id: string, org = team.org) =>
    ((await call('get', '/models', user, undefined, org)).body as Array<Record<string, unknown>>).find(
      (m) => m.id === id,
    );
  const report = (events: object[], user: SignedUpUser = team.editor, org = team.org) =>
    call('post', '/usage', user, { events }, org);

  describe('access', () => {
    it('answers 401 without credentials on every route', async () => {
      await t.http().get(`/api/v1${prices()}`).expect(401);
      await t
        .http()
        .put(`/api/v1${prices()}/gpt-4o`)
        .send({ inputPerMTokUsd: 1, outputPerMTokUsd: 1 })
        .expect(401);
      await t.http().delete(`/api/v1${prices()}/gpt-4o`).expect(401);
    });

    it('answers 403 to EDITOR and VIEWER, and changes nothing', async () => {
      for (const user of [team.editor, team.viewer]) {
        expect((await call('get', prices(), user)).status).toBe(403);
        const put = await call('put', `${prices()}/gpt-4o`, user, {
          inputPerMTokUsd: 0,
          outputPerMTokUsd: 0,
        });
        expect(put.status).toBe(403);
        expect(put.body.code).toBe('forbidden');
        expect((await call('delete', `${prices()}/gpt-4o`, user)).status).toBe(403);
      }
      expect(
        await rows(`SELECT * FROM organization_model_prices WHERE organization_id = $1`, [team.org]),
      ).toEqual([]);
    });

    it('answers 404 for an organization the caller is not a member of, 400 for a malformed id', async () => {
      expect((await call('get', prices(team.org), other, undefined, team.org)).status).toBe(404);
      const put = await call(
        'put',
        `${prices(team.org)}/gpt-4o`,
        other,
        { inputPerMTokUsd: 0, outputPerMTokUsd: 0 },
        team.org,
      );
      expect(put.status).toBe(404);
      expect((await call('delete', `${prices(team.org)}/gpt-4o`, other, undefined, team.org)).status).toBe(
        404,
      );
      expect((await call('get', '/organizations/not-a-uuid/model-prices', team.owner)).status).toBe(400);
    });

    it('answers 400 for bad prices and model ids, naming the field', async () => {
      const bad: Array<[string, object, string]> = [
        ['gpt-4o', { inputPerMTokUsd: -0.01, outputPerMTokUsd: 1 }, 'inputPerMTokUsd'],
        ['gpt-4o', { inputPerMTokUsd: 1, outputPerMTokUsd: 1_000_000.01 }, 'outputPerMTokUsd'],
        ['gpt-4o', { inputPerMTokUsd: '1', outputPerMTokUsd: 1 }, 'inputPerMTokUsd'],
        ['gpt-4o', { inputPerMTokUsd: 1 }, 'outputPerMTokUsd'],
        ['gpt-4o', { inputPerMTokUsd: 1, outputPerMTokUsd: null }, 'outputPerMTokUsd'],
        ['gpt-4o', { inputPerMTokUsd: 1, outputPerMTokUsd: 1, currency: 'EUR' }, 'currency'],
        ['a'.repeat(201), { inputPerMTokUsd: 1, outputPerMTokUsd: 1 }, 'model'],
        ['has%20space', { inputPerMTokUsd: 1, outputPerMTokUsd: 1 }, 'model'],
      ];
      for (const [model, body, field] of bad) {
        const res = await call('put', `${prices()}/${model}`, team.owner, body);
        expect([model, res.status]).toEqual([model, 400]);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await call('delete', `${prices()}/${'a'.repeat(201)}`, team.owner)).status).toBe(400);
      expect(
        await rows(`SELECT * FROM organization_model_prices WHERE organization_id = $1`, [team.org]),
      ).toEqual([]);
    });

    it('keeps the table under row-level security, enabled and forced', async () => {
      const [rls] = await rows(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'organization_model_prices'`,
      );
      expect(rls).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    });
  });

  describe('setting, changing and removing a price', () => {
    it('starts with no prices of its own, and GET /models shows the catalogue', async () => {
      expect((await call('get', prices(), team.owner)).body).toEqual([]);
      expect(await modelOf(team.viewer, 'gpt-4o-mini')).toEqual({
        provider: 'openai',
        id: 'gpt-4o-mini',
        name: 'GPT-4o mini',
        contextWindow: 128000,
        inputPerMTokUsd: LIST.in,
        outputPerMTokUsd: LIST.out,
        pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        priceSource: 'catalogue',
      });
    });

    it('sets a price (OWNER), audited, shown by GET /models to every member of this organization only', async () => {
      const res = await call('put', `${prices()}/gpt-4o-mini`, team.owner, {
        inputPerMTokUsd: FIRST.in,
        outputPerMTokUsd: FIRST.out,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        model: 'gpt-4o-mini',
        inputPerMTokUsd: FIRST.in,
        outputPerMTokUsd: FIRST.out,
        effectiveFrom: expect.any(String),
        catalogue: { inputPerMTokUsd: LIST.in, outputPerMTokUsd: LIST.out },
      });
      expect((await call('get', prices(), team.admin)).body).toEqual([res.body]);
      expect(await modelOf(team.viewer, 'gpt-4o-mini')).toMatchObject({
        inputPerMTokUsd: FIRST.in,
        outputPerMTokUsd: FIRST.out,
        priceSource: 'organization',
      });
      expect(await modelOf(team.viewer, 'gpt-4o')).toMatchObject({
        inputPerMTokUsd: 2.5,
        priceSource: 'catalogue',
      });
      // Another organization keeps the list price.
      expect(await modelOf(other, 'gpt-4o-mini', other.organizationId)).toMatchObject({
        inputPerMTokUsd: LIST.in,
        priceSource: 'catalogue',
      });
      expect(
        (await call('get', prices(other.organizationId), other, undefined, other.organizationId)).body,
      ).toEqual([]);
      const audit = await rows(
        `SELECT actor_id, target_type, changes FROM audit_events
          WHERE organization_id = $1 AND action = 'organization.model_price_set'`,
        [team.org],
      );
      expect(audit).toEqual([
        {
          actor_id: team.owner.userId,
          target_type: 'model_price',
          changes: {
            model: 'gpt-4o-mini',
            before: null,
            after: { inputPerMTokUsd: FIRST.in, outputPerMTokUsd: FIRST.out },
            effectiveFrom: res.body.effectiveFrom,
          },
        },
      ]);
    });

    it('prices estimates and runs at the organization price; usage events say where the price came from', async () => {
      const est = await call('post', `/prompts/${promptId}/estimate`, team.viewer, {
        model: 'gpt-4o-mini',
        variables: { customer: 'Ann' },
      });
      expect(est.status).toBe(200);
      expect(est.body.estimatedOutputTokens).toBe(200);
      expect(est.body.costUsd).toBe(cost(FIRST, est.body.inputTokens, 200));
      expect(est.body.costUsd).not.toBe(cost(LIST, est.body.inputTokens, 200));

      const run = await call('post', `/prompts/${promptId}/run`, team.editor, {
        model: 'gpt-4o-mini',
        variables: { customer: 'Ann' },
      });
      expect(run.status).toBe(200);
      const { inputTokens, outputTokens } = run.body.usage;
      expect(outputTokens).toBe(5);
      expect(run.body.costUsd).toBe(cost(FIRST, inputTokens, outputTokens));
      const [stored] = await rows(`SELECT cost_usd::float8 AS cost FROM runs WHERE id = $1`, [run.body.id]);
      expect(stored.cost).toBe(run.body.costUsd);
      const [event] = await rows(
        `SELECT cost_usd::float8 AS cost, cost_source FROM usage_events
          WHERE organization_id = $1 AND kind = 'run' AND model = 'gpt-4o-mini'`,
        [team.org],
      );
      expect(event).toEqual({ cost: run.body.costUsd, cost_source: 'organization' });
    });

    it('prices a model outside the catalogue (an OpenAI-compatible one) once the organization sets a price', async () => {
      const model = 'meta/llama-3.1-8b';
      const free = await call('post', `/prompts/${promptId}/run`, team.editor, {
        model,
        providerKeyId: keyIds.Local,
        variables: { customer: 'Ann' },
      });
      expect(free.status).toBe(200);
      expect(free.body.costUsd).toBe(0);

      const set = await call('put', `${prices()}/${encodeURIComponent(model)}`, team.admin, {
        inputPerMTokUsd: 0.5,
        outputPerMTokUsd: 1.5,
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ model, catalogue: null });
      const priced = await call('post', `/prompts/${promptId}/run`, team.editor, {
        model,
        providerKeyId: keyIds.Local,
        variables: { customer: 'Ann' },
      });
      expect(priced.status).toBe(200);
      expect(priced.body.costUsd).toBe(
        cost({ in: 0.5, out: 1.5 }, priced.body.usage.inputTokens, priced.body.usage.outputTokens),
      );
      expect(priced.body.costUsd).toBeGreaterThan(0);
      const events = await rows(
        `SELECT cost_usd::float8 AS cost, cost_source, unknown_model FROM usage_events
          WHERE organization_id = $1 AND model = $2 ORDER BY occurred_at`,
        [team.org, model],
      );
      expect(events).toEqual([
        { cost: null, cost_source: null, unknown_model: true },
        { cost: priced.body.costUsd, cost_source: 'organization', unknown_model: false },
      ]);
      expect((await call('delete', `${prices()}/${encodeURIComponent(model)}`, team.owner)).status).toBe(204);
    });

    it('a change in the middle of a period applies from then on: earlier events keep their cost', async () => {
      const e = { promptId, model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 1_000_000 };
      const first = (await call('get', prices(), team.owner)).body.find(
        (p: { model: string }) => p.model === 'gpt-4o-mini',
      );
      const before = new Date(new Date(first.effectiveFrom).getTime() - 60_000).toISOString();
      const duringFirst = new Date(new Date(first.effectiveFrom).getTime() + 1).toISOString();
      expect((await report([{ ...e, occurredAt: duringFirst, idempotencyKey: 'a' }])).body.accepted).toBe(1);
      await sleep(20);

      const second = await call('put', `${prices()}/gpt-4o-mini`, team.admin, {
        inputPerMTokUsd: SECOND.in,
        outputPerMTokUsd: SECOND.out,
      });
      expect(second.status).toBe(200);
      expect(new Date(second.body.effectiveFrom) > new Date(first.effectiveFrom)).toBe(true);
      await sleep(20);
      // Reported late, but priced at the price in force when each happened.
      expect(
        (
          await report([
            { ...e, occurredAt: before, idempotencyKey: 'b' },
            { ...e, occurredAt: duringFirst, idempotencyKey: 'c' },
            { ...e, idempotencyKey: 'd' },
          ])
        ).body.accepted,
      ).toBe(3);
      const costs = async () =>
        Object.fromEntries(
          (
            await rows(
              `SELECT idempotency_key AS k, cost_usd::float8 AS cost, cost_source FROM usage_events
                WHERE organization_id = $1 AND idempotency_key IS NOT NULL`,
              [team.org],
            )
          ).map((r) => [r.k, [r.cost, r.cost_source]]),
        );
      expect(await costs()).toEqual({
        a: [FIRST.in + FIRST.out, 'organization'],
        b: [LIST.in + LIST.out, 'catalogue'],
        c: [FIRST.in + FIRST.out, 'organization'],
        d: [SECOND.in + SECOND.out, 'organization'],
      });
      expect((await call('get', prices(), team.owner)).body).toEqual([
        expect.objectContaining({
          model: 'gpt-4o-mini',
          inputPerMTokUsd: SECOND.in,
          outputPerMTokUsd: SECOND.out,
        }),
      ]);

      // Back to the catalogue from now on: history (rows and costs) stays.
      const removed = await call('delete', `${prices()}/gpt-4o-mini`, team.owner);
      expect(removed.status).toBe(204);
      expect((await call('get', prices(), team.owner)).body).toEqual([]);
      expect(await modelOf(team.viewer, 'gpt-4o-mini')).toMatchObject({
        inputPerMTokUsd: LIST.in,
        priceSource: 'catalogue',
      });
      await sleep(20);
      expect(
        (
          await report([
            { ...e, idempotencyKey: 'e' },
            { ...e, occurredAt: duringFirst, idempotencyKey: 'f' },
          ])
        ).body.accepted,
      ).toBe(2);
      expect(await costs()).toMatchObject({
        a: [FIRST.in + FIRST.out, 'organization'],
        d: [SECOND.in + SECOND.out, 'organization'],
        e: [LIST.in + LIST.out, 'catalogue'],
        f: [FIRST.in + FIRST.out, 'organization'],
      });
      const history = await rows(
        `SELECT input_per_mtok_usd::float8 AS input, output_per_mtok_usd::float8 AS output
           FROM organization_model_prices WHERE organization_id = $1 AND model = 'gpt-4o-mini' ORDER BY effective_from`,
        [team.org],
      );
      expect(history).toEqual([
        { input: FIRST.in, output: FIRST.out },
        { input: SECOND.in, output: SECOND.out },
        { input: null, output: null },
      ]);
      const [audit] = await rows(
        `SELECT actor_id, changes FROM audit_events
          WHERE organization_id = $1 AND action = 'organization.model_price_removed' AND target_id = 'gpt-4o-mini'`,
        [team.org],
      );
      expect(audit).toMatchObject({
        actor_id: team.owner.userId,
        changes: {
          model: 'gpt-4o-mini',
          before: { inputPerMTokUsd: SECOND.in, outputPerMTokUsd: SECOND.out },
          after: null,
        },
      });
      // Nothing of its own left to remove.
      const again = await call('delete', `${prices()}/gpt-4o-mini`, team.owner);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('not_found');
    });

    it('leaves another organization’s costs alone', async () => {
      expect(
        (
          await report(
            [{ promptId: otherPromptId, model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }],
            other,
            other.organizationId,
          )
        ).body.accepted,
      ).toBe(1);
      const theirs = await rows(
        `SELECT cost_usd::float8 AS cost, cost_source FROM usage_events WHERE organization_id = $1`,
        [other.organizationId],
      );
      expect(theirs).toEqual([{ cost: LIST.in, cost_source: 'catalogue' }]);
    });
  });

  describe('the catalogue in model_prices', () => {
    const listed = (model: string) =>
      rows(
        `SELECT input_per_mtok_usd::float8 AS input, output_per_mtok_usd::float8 AS output FROM model_prices
          WHERE model = $1 AND effective_from = $2::timestamptz`,
        [model, PRICES_AS_OF],
      );

    it('adds the catalogue prices as of PRICES_AS_OF where missing at boot, and never changes a row', async () => {
      const mini = catalogueModel('gpt-4o-mini')!;
      const big = catalogueModel('gpt-4o')!;
      expect(await listed('gpt-4o-mini')).toEqual([
        { input: mini.inputPerMTokUsd, output: mini.outputPerMTokUsd },
      ]);
      await t.owner.query(
        `DELETE FROM model_prices WHERE model = 'gpt-4o-mini' AND effective_from = $1::timestamptz`,
        [PRICES_AS_OF],
      );
      await t.owner.query(
        `UPDATE model_prices SET input_per_mtok_usd = 99 WHERE model = 'gpt-4o' AND effective_from = $1::timestamptz`,
        [PRICES_AS_OF],
      );
      try {
        // What every process runs at boot (ModelPricesService.onApplicationBootstrap).
        await t.app.get(ModelPricesService).syncCatalogue();
        expect(await listed('gpt-4o-mini')).toEqual([
          { input: mini.inputPerMTokUsd, output: mini.outputPerMTokUsd },
        ]);
        expect(await listed('gpt-4o')).toEqual([{ input: 99, output: big.outputPerMTokUsd }]);
      } finally {
        await t.owner.query(
          `UPDATE model_prices SET input_per_mtok_usd = $2 WHERE model = 'gpt-4o' AND effective_from = $1::timestamptz`,
          [PRICES_AS_OF, big.inputPerMTokUsd],
        );
      }
    });
  });
});
