import type { EntityManager } from 'typeorm';
import { pipeline } from '../src/database/tenancy/prepared-statements';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { AuditModule } from '../src/modules/audit/audit.module';
import { OutboxModule } from '../src/modules/outbox/outbox.module';
import { ProbeController } from './support/probe.controller';
import { auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('tenancy: row-level security and the tenant transaction', () => {
  let t: TestApp;
  let a: SignedUpUser;
  let b: SignedUpUser;
  let tx: TenantTransactions;

  beforeAll(async () => {
    t = await bootTestApp({ imports: [AuditModule, OutboxModule], controllers: [ProbeController] });
    tx = t.app.get(TenantTransactions);
    a = await signUp(t, 'Alice');
    b = await signUp(t, 'Bob');
  });
  afterAll(() => t?.close());

  it('runs tenant statements as vault_app with the organization and user set', async () => {
    const [row] = await tx.run({ organizationId: a.organizationId, userId: a.userId }, (em) =>
      em.query(`SELECT current_user AS role, app_org_id() AS org, app_user_id() AS uid`),
    );
    expect(row).toEqual({ role: 'vault_app', org: a.organizationId, uid: a.userId });
    // Settings are transaction-local: the pooled connection is clean afterwards.
    const [after] = await t.owner.query(`SELECT current_user AS role`).then((r) => r.rows);
    expect(after.role).not.toBe('vault_app');
  });

  it('returns nothing of organization B to a query under organization A, even without a WHERE', async () => {
    const seen = await tx.run({ organizationId: a.organizationId, userId: a.userId }, async (em) => ({
      orgs: await em.query(`SELECT id FROM organizations`),
      audit: await em.query(`SELECT DISTINCT organization_id FROM audit_events`),
      members: await em.query(`SELECT DISTINCT organization_id FROM memberships`),
      bAudit: await em.query(`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1`, [
        b.organizationId,
      ]),
    }));
    expect(seen.orgs).toEqual([{ id: a.organizationId }]);
    expect(seen.audit).toEqual([{ organization_id: a.organizationId }]);
    expect(seen.members).toEqual([{ organization_id: a.organizationId }]);
    expect(seen.bAudit).toEqual([{ n: 0 }]);
    // The owner sees both: the rows exist, RLS hid them.
    const { rows } = await t.owner.query(
      `SELECT count(DISTINCT organization_id)::int AS n FROM audit_events`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('moves an opening into another scope in the same message only when its move says so', async () => {
    const where = `SELECT app_org_id() AS org, app_user_id() AS uid`;
    // One row: moved into B; none: nothing set, the transaction stays in A.
    const opening = (move: boolean) => ({
      sql: `SELECT $1::text AS opened`,
      params: ['first'],
      then: {
        move: {
          sql: `SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true) WHERE $3::boolean`,
          params: [b.organizationId, b.userId, String(move)],
        },
        read: { sql: where, params: [] },
      },
    });
    const scopeA = { organizationId: a.organizationId, userId: a.userId };
    const moved = await tx.run(
      scopeA,
      async (em, opened) => ({ opened, now: await em.query(where) }),
      opening(true),
    );
    expect(moved).toEqual({
      opened: { rows: [{ opened: 'first' }], next: [{ org: b.organizationId, uid: b.userId }] },
      now: [{ org: b.organizationId, uid: b.userId }],
    });
    const stayed = await tx.run(
      scopeA,
      async (em, opened) => ({ opened, now: await em.query(where) }),
      opening(false),
    );
    expect(stayed).toEqual({
      opened: { rows: [{ opened: 'first' }], next: undefined },
      now: [{ org: a.organizationId, uid: a.userId }],
    });
  });

  it('commits with a final read, in scope, and refuses any statement after it', async () => {
    const scope = { organizationId: a.organizationId, userId: a.userId };
    const marker = `final-${Date.now()}`;
    const after = await tx.run(scope, async (em) => {
      await em.query(
        `INSERT INTO outbox_events (organization_id, type, aggregate_type, aggregate_id) VALUES ($1, $2, 'x', 'x')`,
        [a.organizationId, marker],
      );
      const rows = await tx.finalRead<{ role: string; org: string; n: number }>(
        `SELECT current_user AS role, app_org_id() AS org, count(*)::int AS n
           FROM outbox_events WHERE organization_id = $1 AND aggregate_id = $2`,
        [a.organizationId, 'x'],
      );
      expect(rows[0]).toEqual({ role: 'vault_app', org: a.organizationId, n: expect.any(Number) });
      // The connection went back to the pool with the COMMIT: nothing may run outside the scope.
      return tx.prepared(`SELECT current_user AS role`, []).then(
        () => 'ran',
        (err: Error) => err.name,
      );
    });
    expect(after).toBe('QueryRunnerProviderAlreadyReleasedError');
    const { rows } = await t.owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = $1`, [
      marker,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('commits a final read whatever its parameters, and rolls back when the final read fails', async () => {
    const scope = { organizationId: a.organizationId, userId: a.userId };
    const insert = (em: EntityManager, marker: string) =>
      em.query(
        `INSERT INTO outbox_events (organization_id, type, aggregate_type, aggregate_id) VALUES ($1, $2, 'x', 'x')`,
        [a.organizationId, marker],
      );
    const count = async (marker: string) =>
      (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = $1`, [marker])).rows[0]
        .n;
    // Parameters are bound, not inlined: quotes, NUL-free text of any kind, dates and nulls.
    const kept = `final-text-${Date.now()}`;
    const at = new Date('2026-01-02T03:04:05.678Z');
    const row = await tx.run(scope, async (em) => {
      await insert(em, kept);
      const [r] = await tx.finalRead<{ v: string; at: Date; none: null }>(
        `SELECT $1::text AS v, $2::timestamptz AS at, $3::text AS none`,
        ["it's; COMMIT; --", at, null],
      );
      return r;
    });
    expect(row).toEqual({ v: "it's; COMMIT; --", at, none: null });
    expect(await count(kept)).toBe(1);
    // A final read that fails takes the transaction's earlier writes with it.
    const lost = `final-failed-${Date.now()}`;
    await expect(
      tx.run(scope, async (em) => {
        await insert(em, lost);
        return tx.finalRead(`SELECT 1 / $1::int AS v`, [0]);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await count(lost)).toBe(0);
    // The connection went back to the pool usable.
    for (let i = 0; i < 12; i++)
      expect(
        await tx.run(scope, () => tx.finalRead<{ org: string }>(`SELECT app_org_id() AS org`, [])),
      ).toEqual([{ org: a.organizationId }]);
  });

  it('prepares what a pipeline needs once per connection, also when one of its statements fails to prepare', async () => {
    const client = await t.owner.connect();
    try {
      const good = { sql: `SELECT $1::int + 1 AS n`, params: [41] };
      const bad = { sql: `SELECT n FROM pv_no_such_table`, params: [] };
      await expect(pipeline(client, [good, bad])).rejects.toThrow(/pv_no_such_table/);
      // `good` was prepared by the failed message; the connection knows it and does not prepare again.
      const [first] = await pipeline(client, [good]);
      expect(first.rows).toEqual([{ n: 42 }]);
      const names = await client.query(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%$1::int + 1%'`,
      );
      expect(names.rows[0].n).toBe(1);
      // One round trip, one result per step; an error inside skips the rest of it.
      const results = await pipeline(client, [
        'BEGIN',
        good,
        { sql: 'SELECT 2 AS two', params: [] },
        'COMMIT',
      ]);
      expect(results.map((r) => r.rows)).toEqual([[], [{ n: 42 }], [{ two: 2 }], []]);
      await expect(
        pipeline(client, ['BEGIN', { sql: 'SELECT 1 / $1::int AS v', params: [0] }, good]),
      ).rejects.toThrow(/division by zero/);
      await client.query('ROLLBACK');
      expect((await pipeline(client, [good]))[0].rows).toEqual([{ n: 42 }]);
    } finally {
      client.release();
    }
  });

  it("refuses to insert organization B's row under organization A", async () => {
    await expect(
      tx.run({ organizationId: a.organizationId, userId: a.userId }, (em) =>
        em.query(
          `INSERT INTO outbox_events (organization_id, type, aggregate_type, aggregate_id) VALUES ($1, 'x', 'x', 'x')`,
          [b.organizationId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const { rows } = await t.owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'x'`);
    expect(rows[0].n).toBe(0);
  });

  it('cannot update or delete audit rows as vault_app (append-only)', async () => {
    await expect(
      tx.run({ organizationId: a.organizationId, userId: a.userId }, (em) =>
        em.query(`UPDATE audit_events SET action = 'x'`),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      tx.run({ organizationId: a.organizationId, userId: a.userId }, (em) =>
        em.query(`DELETE FROM audit_events`),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('commits a tenant request that succeeds, with its audit and outbox rows', async () => {
    await t.http().post('/api/v1/test-probe').set(auth(a)).send({ marker: 'kept', fail: false }).expect(201);
    const audit = await t.owner.query(
      `SELECT organization_id, actor_id FROM audit_events WHERE target_id = 'kept'`,
    );
    expect(audit.rows).toEqual([{ organization_id: a.organizationId, actor_id: a.userId }]);
    const outbox = await t.owner.query(
      `SELECT organization_id FROM outbox_events WHERE aggregate_id = 'kept'`,
    );
    expect(outbox.rows).toEqual([{ organization_id: a.organizationId }]);
  });

  it('leaves nothing behind when the handler throws after writing', async () => {
    const res = await t
      .http()
      .post('/api/v1/test-probe')
      .set(auth(a))
      .send({ marker: 'rolled-back', fail: true })
      .expect(409);
    expect(res.body.code).toBe('conflict');
    const audit = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE target_id = 'rolled-back'`,
    );
    const outbox = await t.owner.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = 'rolled-back'`,
    );
    expect(audit.rows[0].n).toBe(0);
    expect(outbox.rows[0].n).toBe(0);
  });

  it('answers 404 for an organization the caller is not a member of, and 400 without the header', async () => {
    const res = await t
      .http()
      .post('/api/v1/test-probe')
      .set(auth(a, b.organizationId))
      .send({ marker: 'x', fail: false })
      .expect(404);
    expect(res.body.code).toBe('not_found');
    const missing = await t
      .http()
      .post('/api/v1/test-probe')
      .set('Authorization', `Bearer ${a.token}`)
      .send({ marker: 'x', fail: false })
      .expect(400);
    expect(missing.body.errors).toEqual([
      { field: 'X-Organization-Id', message: 'X-Organization-Id header is required' },
    ]);
    await t
      .http()
      .post('/api/v1/test-probe')
      .set(auth(a, 'not-a-uuid'))
      .send({ marker: 'x', fail: false })
      .expect(400);
    await t.http().post('/api/v1/test-probe').send({ marker: 'x', fail: false }).expect(401);
  });
});
