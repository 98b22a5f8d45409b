import { AuditService } from '../src/modules/audit/audit.service';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { addMember, auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('audit trail', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let viewer: SignedUpUser;
  let editor: SignedUpUser;
  let admin: SignedUpUser;
  let outsider: SignedUpUser;

  beforeAll(async () => {
    t = await bootTestApp();
    owner = await signUp(t, 'Owner');
    [viewer, editor, admin, outsider] = await Promise.all([
      signUp(t, 'Viewer'),
      signUp(t, 'Editor'),
      signUp(t, 'Admin'),
      signUp(t, 'Outsider'),
    ]);
    await addMember(t, owner.organizationId, viewer.userId, 'VIEWER');
    await addMember(t, owner.organizationId, editor.userId, 'EDITOR');
    await addMember(t, owner.organizationId, admin.userId, 'ADMIN');
    // 30 more events in the owner's organization, recorded the way services record them.
    const audit = t.app.get(AuditService);
    await t.app
      .get(TenantTransactions)
      .run({ organizationId: owner.organizationId, userId: owner.userId }, async () => {
        for (let i = 0; i < 30; i++) {
          await audit.record({
            action: i % 2 ? 'prompt.updated' : 'prompt.created',
            target: { type: 'prompt', id: `p${i}` },
            changes: { title: { from: `t${i}`, to: `t${i + 1}` }, n: i },
            actor: { type: 'user', id: owner.userId, email: owner.email },
          });
        }
      });
  });
  afterAll(() => t?.close());

  const list = (u: SignedUpUser, query = '') =>
    t.http().get(`/api/v1/audit-events${query}`).set(auth(u, owner.organizationId));

  it('records sign-up and organization creation with the request context', async () => {
    const res = await list(owner, '?action=organization.created').expect(200);
    expect(res.body.items).toHaveLength(1);
    const [e] = res.body.items;
    expect(e).toMatchObject({
      seq: 2,
      action: 'organization.created',
      actor: { type: 'user', id: owner.userId, email: owner.email },
      target: { type: 'organization', id: owner.organizationId },
      ip: expect.stringMatching(/127\.0\.0\.1/),
      requestId: expect.any(String),
      changes: { name: "Owner's organization" },
    });
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pages newest first with an opaque cursor and filters', async () => {
    const first = await list(owner, '?limit=10').expect(200);
    expect(first.body.items).toHaveLength(10);
    const seqs: number[] = first.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(owner, `?limit=10&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(
      200,
    );
    expect(second.body.items[0].seq).toBe(seqs[9] - 1);

    let all: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ seq: number }>; nextCursor: string | null } } = await list(
        owner,
        `?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ).expect(200);
      all = all.concat(page.body.items.map((e) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1`,
      [owner.organizationId],
    );
    const total: number = rows[0].n;
    expect(total).toBeGreaterThanOrEqual(33); // sign-up, organization, sign-in and the 30 above
    expect(all).toEqual(Array.from({ length: total }, (_, i) => total - i));

    const updated = await list(owner, '?action=prompt.updated&limit=100').expect(200);
    expect(updated.body.items).toHaveLength(15);
    const family = await list(owner, '?action=prompt.*&limit=100').expect(200);
    expect(family.body.items).toHaveLength(30);
    const byTarget = await list(owner, '?targetType=prompt&targetId=p3').expect(200);
    expect(byTarget.body.items.map((e: { target: { id: string } }) => e.target.id)).toEqual(['p3']);
    const future = await list(owner, `?from=${new Date(Date.now() + 60_000).toISOString()}`).expect(200);
    expect(future.body).toEqual({ items: [], nextCursor: null });
    const byActor = await list(owner, `?actor=${owner.userId}&limit=100`).expect(200);
    expect(byActor.body.items).toHaveLength(total);
    const logins = await list(owner, '?action=auth.login').expect(200);
    expect(logins.body.items).toHaveLength(1);
  });

  it('rejects bad filters and cursors with field errors', async () => {
    const res = await list(owner, '?limit=0&actor=nope&from=yesterday&action=DROP%20TABLE').expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['limit', 'actor', 'from', 'action']));
    const cursor = await list(owner, '?cursor=garbage').expect(400);
    expect(cursor.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('is for OWNER and ADMIN only: 401 without a token, 403 for EDITOR and VIEWER, 404 for outsiders', async () => {
    await t.http().get('/api/v1/audit-events').set('X-Organization-Id', owner.organizationId).expect(401);
    await list(admin).expect(200);
    for (const u of [editor, viewer]) {
      const res = await list(u).expect(403);
      expect(res.body.code).toBe('forbidden');
      await t.http().get('/api/v1/audit-events/verify').set(auth(u, owner.organizationId)).expect(403);
      await t.http().get('/api/v1/audit-events/export').set(auth(u, owner.organizationId)).expect(403);
    }
    await list(outsider).expect(404);
  });

  it("never shows another organization's events", async () => {
    const res = await t.http().get('/api/v1/audit-events?limit=100').set(auth(outsider)).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const e of res.body.items) expect(e.actor.id).toBe(outsider.userId);
  });

  it('exports CSV and JSON Lines, and audits the export', async () => {
    const jsonl = await t
      .http()
      .get('/api/v1/audit-events/export?format=jsonl&action=prompt.created')
      .set(auth(owner))
      .expect(200);
    expect(jsonl.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(jsonl.headers['content-disposition']).toMatch(
      /attachment; filename="audit-\d{4}-\d\d-\d\d\.jsonl"/,
    );
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 15 events, then the signed manifest (audit-compliance.int-spec.ts checks it).
    expect(lines).toHaveLength(16);
    expect(lines[0].seq).toBeLessThan(lines[14].seq);
    expect(lines[15].manifest).toMatchObject({ count: 15, firstSeq: lines[0].seq, lastSeq: lines[14].seq });

    const csv = await t.http().get('/api/v1/audit-events/export?format=csv').set(auth(owner)).expect(200);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe(
      'seq,occurredAt,actorType,actorId,actorEmail,action,targetType,targetId,ip,userAgent,requestId,changes,prevHash,hash',
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(csv.text).toContain('""title"":{""to"":""t1""');

    const exported = await list(owner, '?action=audit.exported').expect(200);
    expect(exported.body.items.length).toBe(2);
    await t.http().get('/api/v1/audit-events/export?format=xml').set(auth(owner)).expect(400);
  });

  let original: string;
  it('verifies an intact chain and finds the row an owner tampered with', async () => {
    const ok = await t.http().get('/api/v1/audit-events/verify').set(auth(owner)).expect(200);
    expect(ok.body).toMatchObject({ valid: true, checked: expect.any(Number) });
    expect(ok.body.checked).toBeGreaterThanOrEqual(32);

    // As the schema owner (not the app role), rewrite history.
    const before = await t.owner.query(
      `SELECT action FROM audit_events WHERE organization_id = $1 AND seq = 7`,
      [owner.organizationId],
    );
    original = before.rows[0].action;
    await t.owner.query(
      `UPDATE audit_events SET action = 'prompt.viewed' WHERE organization_id = $1 AND seq = 7`,
      [owner.organizationId],
    );
    const broken = await t.http().get('/api/v1/audit-events/verify').set(auth(owner)).expect(200);
    expect(broken.body).toMatchObject({ valid: false, brokenAtSeq: 7 });

    // Other organizations' chains are unaffected.
    const other = await t.http().get('/api/v1/audit-events/verify').set(auth(outsider)).expect(200);
    expect(other.body.valid).toBe(true);
  });

  it('detects a deleted row as a gap', async () => {
    await t.owner.query(`UPDATE audit_events SET action = $2 WHERE organization_id = $1 AND seq = 7`, [
      owner.organizationId,
      original,
    ]);
    expect((await t.http().get('/api/v1/audit-events/verify').set(auth(owner))).body.valid).toBe(true);
    await t.owner.query(`DELETE FROM audit_events WHERE organization_id = $1 AND seq = 12`, [
      owner.organizationId,
    ]);
    const res = await t.http().get('/api/v1/audit-events/verify').set(auth(owner)).expect(200);
    expect(res.body).toMatchObject({ valid: false, brokenAtSeq: 12 });
  });
});
