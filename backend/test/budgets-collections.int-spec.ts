import { recordMails } from './support/mailbox';
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
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/**
 * Per-collection budgets (docs/analytics.md, "Collection budgets"): the routes, the spend of a
 * collection's subtree (private prompts of other members included), thresholds notified once per
 * month per budget, and the hard stop that refuses only runs of prompts in the collection.
 */
describe(`Collection budgets (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let other: SignedUpUser;
  let mails: ReturnType<typeof recordMails>['mails'];
  /** Support ⊃ Refunds; Sales beside them. */
  const col = { support: '', refunds: '', sales: '' };
  /** A prompt in each collection, the admin's private one in Refunds, and one outside collections. */
  const pr = { support: '', refunds: '', secret: '', sales: '', loose: '' };
  let otherCollection: string;

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
  const rows = async (sql: string, params: unknown[] = []) => (await t.owner.query(sql, params)).rows;
  const spend = async (promptId: string, usd: number, user = team.editor) => {
    const res = await call('post', '/usage', user, {
      events: [{ promptId, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, costUsd: usd }],
    });
    expect(res.body).toMatchObject({ accepted: 1 });
  };
  const budgets = async () => {
    const res = await call('get', '/budget/collections', team.owner);
    expect(res.status).toBe(200);
    return res.body.items as Array<Record<string, unknown>>;
  };
  const run = (promptId: string) =>
    call('post', `/prompts/${promptId}/run`, team.editor, { model: 'gpt-4o', variables: { x: 'hi' } });

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
    other = await signUp(t, 'Other Owner');
    ({ mails } = recordMails(t.app));
    const collection = async (name: string, parentId?: string) => {
      const res = await call('post', '/collections', team.editor, {
        name,
        ...(parentId ? { parentId } : {}),
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    col.support = await collection('Support');
    col.refunds = await collection('Refunds', col.support);
    col.sales = await collection('Sales');
    const prompt = async (title: string, collectionId: string | null, user = team.editor, extra = {}) => {
      const res = await call('post', '/prompts', user, {
        title,
        content: 'Say {{x}}',
        collectionId,
        ...extra,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    pr.support = await prompt('Greeting', col.support);
    pr.refunds = await prompt('Refund reply', col.refunds);
    pr.secret = await prompt('Secret refund reply', col.refunds, team.admin, { visibility: 'private' });
    pr.sales = await prompt('Pitch', col.sales);
    pr.loose = await prompt('Loose', null);
    const o = await call('post', '/collections', other, { name: 'Theirs' }, other.organizationId);
    expect(o.status).toBe(201);
    otherCollection = o.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets, lists and removes a collection budget (OWNER, ADMIN), audited, with 400/401/403/404', async () => {
    expect(await budgets()).toEqual([]);
    const put = await call('put', `/budget/collections/${col.sales}`, team.admin, { monthlyLimitUsd: 20 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      collectionId: col.sales,
      collectionName: 'Sales',
      monthlyLimitUsd: 20,
      thresholds: [50, 80, 100],
      hardStop: false,
      spentUsd: 0,
      percent: 0,
      crossed: [],
    });
    const replaced = await call('put', `/budget/collections/${col.sales}`, team.owner, {
      monthlyLimitUsd: 30,
      thresholds: [90, 25],
      hardStop: true,
    });
    expect(replaced.body).toMatchObject({ monthlyLimitUsd: 30, thresholds: [25, 90], hardStop: true });
    expect(await budgets()).toEqual([replaced.body]);
    expect(
      await rows(
        `SELECT organization_id, monthly_limit_usd::float8 AS lim, hard_stop, updated_by FROM collection_budgets WHERE collection_id = $1`,
        [col.sales],
      ),
    ).toEqual([{ organization_id: team.org, lim: 30, hard_stop: true, updated_by: team.owner.userId }]);

    for (const body of [
      {},
      { monthlyLimitUsd: 0 },
      { monthlyLimitUsd: 10.001 },
      { monthlyLimitUsd: 10, thresholds: [] },
      { monthlyLimitUsd: 10, thresholds: [50, 50] },
      { monthlyLimitUsd: 10, thresholds: [0] },
      { monthlyLimitUsd: 10, hardStop: 'yes' },
      { monthlyLimitUsd: 10, monthlyReport: true },
    ]) {
      const res = await call('put', `/budget/collections/${col.sales}`, team.owner, body);
      expect([body, res.status, res.body.code]).toEqual([body, 400, 'validation_failed']);
    }
    expect(
      (await call('put', '/budget/collections/not-a-uuid', team.owner, { monthlyLimitUsd: 1 })).status,
    ).toBe(400);
    // Unknown collections and other organizations' ones are 404.
    for (const id of [UNKNOWN, otherCollection])
      expect(
        (await call('put', `/budget/collections/${id}`, team.owner, { monthlyLimitUsd: 1 })).status,
      ).toBe(404);
    for (const user of [team.editor, team.viewer]) {
      expect((await call('get', '/budget/collections', user)).status).toBe(403);
      expect(
        (await call('put', `/budget/collections/${col.sales}`, user, { monthlyLimitUsd: 1 })).status,
      ).toBe(403);
      expect((await call('delete', `/budget/collections/${col.sales}`, user)).status).toBe(403);
    }
    expect((await call('get', '/budget/collections')).status).toBe(401);
    expect(
      (await call('put', `/budget/collections/${col.sales}`, undefined, { monthlyLimitUsd: 1 })).status,
    ).toBe(401);
    expect((await call('delete', `/budget/collections/${col.sales}`)).status).toBe(401);
    // A member of another organization asking with this organization's id.
    expect((await call('get', '/budget/collections', other)).status).toBe(404);
    // The other organization sees none of them.
    expect((await call('get', '/budget/collections', other, undefined, other.organizationId)).body).toEqual({
      items: [],
    });

    expect((await call('delete', `/budget/collections/${col.sales}`, team.admin)).status).toBe(204);
    expect((await call('delete', `/budget/collections/${col.sales}`, team.admin)).status).toBe(404);
    expect((await call('delete', `/budget/collections/${UNKNOWN}`, team.admin)).status).toBe(404);
    expect(await budgets()).toEqual([]);
    const audit = await rows(
      `SELECT action, actor_id, target_type, target_id FROM audit_events
        WHERE organization_id = $1 AND action LIKE 'budget.collection_%' ORDER BY seq`,
      [team.org],
    );
    expect(audit).toEqual([
      {
        action: 'budget.collection_updated',
        actor_id: team.admin.userId,
        target_type: 'collection',
        target_id: col.sales,
      },
      {
        action: 'budget.collection_updated',
        actor_id: team.owner.userId,
        target_type: 'collection',
        target_id: col.sales,
      },
      {
        action: 'budget.collection_removed',
        actor_id: team.admin.userId,
        target_type: 'collection',
        target_id: col.sales,
      },
    ]);
  });

  it('counts the prompts of the collection and its sub-collections, private ones included, and notifies each threshold once', async () => {
    expect(
      (await call('put', `/budget/collections/${col.support}`, team.owner, { monthlyLimitUsd: 10 })).status,
    ).toBe(200);
    expect(
      (await call('put', `/budget/collections/${col.refunds}`, team.owner, { monthlyLimitUsd: 5 })).status,
    ).toBe(200);
    expect(
      (await call('put', `/budget/collections/${col.sales}`, team.owner, { monthlyLimitUsd: 100 })).status,
    ).toBe(200);
    mails.length = 0;
    await spend(pr.support, 1);
    await spend(pr.refunds, 2);
    await spend(pr.secret, 1.5, team.admin);
    await spend(pr.sales, 4);
    await spend(pr.loose, 8);
    // Read by the owner, who cannot see the admin's private prompt: its cost still counts.
    expect(await budgets()).toEqual([
      expect.objectContaining({ collectionName: 'Refunds', spentUsd: 3.5, percent: 70, crossed: [50] }),
      expect.objectContaining({ collectionName: 'Sales', spentUsd: 4, percent: 4, crossed: [] }),
      expect.objectContaining({ collectionName: 'Support', spentUsd: 4.5, percent: 45, crossed: [] }),
    ]);
    await spend(pr.refunds, 2);
    await spend(pr.refunds, 0.25);
    expect(await budgets()).toEqual([
      expect.objectContaining({
        collectionName: 'Refunds',
        spentUsd: 5.75,
        percent: 115,
        crossed: [50, 80, 100],
      }),
      expect.objectContaining({ collectionName: 'Sales', spentUsd: 4, crossed: [] }),
      expect.objectContaining({ collectionName: 'Support', spentUsd: 6.75, percent: 67.5, crossed: [50] }),
    ]);

    const events = await rows(
      `SELECT aggregate_type, aggregate_id, payload FROM outbox_events
        WHERE organization_id = $1 AND type = 'budget.threshold_reached'`,
      [team.org],
    );
    const fired = events.map((e) => `${e.payload.collectionName}:${e.payload.threshold}`).sort();
    expect(fired).toEqual(['Refunds:100', 'Refunds:50', 'Refunds:80', 'Support:50']);
    const refunds100 = events.find(
      (e) => e.payload.collectionId === col.refunds && e.payload.threshold === 100,
    );
    expect(refunds100).toMatchObject({ aggregate_type: 'collection', aggregate_id: col.refunds });
    expect(refunds100.payload).toEqual({
      threshold: 100,
      month: new Date().toISOString().slice(0, 7),
      spentUsd: 5.5,
      monthlyLimitUsd: 5,
      percent: 110,
      hardStop: false,
      collectionId: col.refunds,
      collectionName: 'Refunds',
    });
    expect(
      await rows(
        `SELECT count(*)::int AS n FROM budget_notifications WHERE organization_id = $1 AND collection_id = $2`,
        [team.org, col.refunds],
      ),
    ).toEqual([{ n: 3 }]);
    expect(
      (
        await rows(
          `SELECT target_id FROM audit_events WHERE organization_id = $1 AND action = 'budget.threshold_reached'`,
          [team.org],
        )
      ).length,
    ).toBe(4);

    // More spend fires nothing already fired this month.
    await spend(pr.refunds, 1);
    expect(
      (
        await rows(
          `SELECT 1 FROM outbox_events WHERE organization_id = $1 AND type = 'budget.threshold_reached'`,
          [team.org],
        )
      ).length,
    ).toBe(4);

    // Refunds 50; Refunds 80 + 100 together; Support 50: three mails each to the OWNER and the ADMIN.
    const sent = mails.filter((m) => m.subject.includes('of its monthly budget'));
    expect(sent.map((m) => m.to).sort()).toEqual(
      [team.owner, team.owner, team.owner, team.admin, team.admin, team.admin].map((u) => u.email).sort(),
    );
    expect(sent.map((m) => m.subject)).toContain(
      'The collection "Support" reached 50 % of its monthly budget',
    );
  });

  it('hard stop: refuses runs of the prompts of a spent collection (and its sub-collections) only', async () => {
    // Refunds: spent 6.75 of 5, hard stop on.
    await call('put', `/budget/collections/${col.refunds}`, team.owner, {
      monthlyLimitUsd: 5,
      hardStop: true,
    });
    const refused = await run(pr.refunds);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'budget_exceeded',
      spentUsd: 6.75,
      monthlyLimitUsd: 5,
      collectionId: col.refunds,
      collectionName: 'Refunds',
    });
    expect(refused.body.detail).toContain('"Refunds"');
    expect(
      (
        await call('post', `/prompts/${pr.refunds}/compare`, team.editor, {
          targets: [{ model: 'gpt-4o' }, { model: 'gpt-4o-mini' }],
          variables: { x: 'a' },
        })
      ).body.code,
    ).toBe('budget_exceeded');
    expect((await call('post', `/prompts/${pr.refunds}/test-cases/run`, team.editor, {})).body.code).toBe(
      'budget_exceeded',
    );
    // The parent collection, its sibling, prompts outside collections and unsaved content run on
    // (to the provider-key check: this organization has no key).
    for (const id of [pr.support, pr.sales, pr.loose])
      expect((await run(id)).body.code).toBe('provider_key_missing');
    expect(
      (await call('post', '/playground/run', team.editor, { model: 'gpt-4o', content: 'hi', variables: {} }))
        .body.code,
    ).toBe('provider_key_missing');

    // A spent, hard-stopped parent refuses the prompts of its sub-collections too.
    await call('put', `/budget/collections/${col.support}`, team.owner, {
      monthlyLimitUsd: 5,
      hardStop: true,
    });
    expect((await run(pr.support)).body).toMatchObject({
      code: 'budget_exceeded',
      collectionName: 'Support',
    });
    await call('put', `/budget/collections/${col.refunds}`, team.owner, {
      monthlyLimitUsd: 50,
      hardStop: true,
    });
    expect((await run(pr.refunds)).body).toMatchObject({
      code: 'budget_exceeded',
      collectionName: 'Support',
    });

    // Moving a prompt out of the collection, or removing the budget, lifts it.
    expect(
      (await call('patch', `/prompts/${pr.refunds}`, team.editor, { collectionId: col.sales })).status,
    ).toBe(200);
    expect((await run(pr.refunds)).body.code).toBe('provider_key_missing');
    expect((await call('delete', `/budget/collections/${col.support}`, team.owner)).status).toBe(204);
    expect((await run(pr.support)).body.code).toBe('provider_key_missing');

    // The organization's budget is named without a collection.
    await call('put', '/budget', team.owner, { monthlyLimitUsd: 1, hardStop: true });
    const org = await run(pr.sales);
    expect(org.body).toMatchObject({ code: 'budget_exceeded', monthlyLimitUsd: 1 });
    expect(org.body.collectionId).toBeUndefined();
  });

  it('deleting a collection deletes its budget', async () => {
    const res = await call('post', '/collections', team.editor, { name: 'Short-lived' });
    const id = res.body.id as string;
    expect((await call('put', `/budget/collections/${id}`, team.owner, { monthlyLimitUsd: 3 })).status).toBe(
      200,
    );
    expect((await call('delete', `/collections/${id}`, team.admin)).status).toBe(204);
    expect(await rows(`SELECT 1 FROM collection_budgets WHERE collection_id = $1`, [id])).toEqual([]);
  });
});
