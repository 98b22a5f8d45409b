import { addMember, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('API keys', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let editor: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;

  beforeAll(async () => {
    t = await bootTestApp({ env: { API_KEY_RATE_LIMIT: '10', API_KEY_RATE_WINDOW_SECONDS: '3600' } });
    [owner, editor, viewer, outsider] = await Promise.all(
      ['Owner', 'Editor', 'Viewer', 'Outsider'].map((n) => signUp(t, n)),
    );
    org = owner.organizationId;
    await addMember(t, org, editor.userId, 'ADMIN');
    await addMember(t, org, viewer.userId, 'VIEWER');
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser) => ({ Authorization: `Bearer ${u.token}` });
  const createKey = async (u: SignedUpUser, name = 'ci') =>
    (await t.http().post(`/api/v1/organizations/${org}/api-keys`).set(as(u)).send({ name }).expect(201))
      .body as { id: string; key: string; prefix: string };

  it('creates a key shown once, stored hashed, with its prefix kept', async () => {
    const res = await t
      .http()
      .post(`/api/v1/organizations/${org}/api-keys`)
      .set(as(viewer))
      .send({ name: 'laptop', expiresAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'laptop',
      userId: viewer.userId,
      key: expect.stringMatching(/^pv_[A-Za-z0-9_-]{40,}$/),
    });
    expect(res.body.key.startsWith(res.body.prefix)).toBe(true);
    const { rows } = await t.owner.query(`SELECT key_hash, prefix FROM api_keys WHERE id = $1`, [
      res.body.id,
    ]);
    expect(rows[0].key_hash).not.toContain(res.body.key);
    const list = await t.http().get(`/api/v1/organizations/${org}/api-keys`).set(as(viewer)).expect(200);
    expect(list.body[0]).not.toHaveProperty('key');
    await t
      .http()
      .post(`/api/v1/organizations/${org}/api-keys`)
      .set(as(viewer))
      .send({ name: '' })
      .expect(400);
    await t
      .http()
      .post(`/api/v1/organizations/${org}/api-keys`)
      .set(as(viewer))
      .send({ name: 'old', expiresAt: '2001-01-01T00:00:00Z' })
      .expect(400);
    await t
      .http()
      .post(`/api/v1/organizations/${org}/api-keys`)
      .set(as(outsider))
      .send({ name: 'x' })
      .expect(404);
    await t.http().post(`/api/v1/organizations/${org}/api-keys`).send({ name: 'x' }).expect(401);
    const audit = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'api_key.created'`,
      [org],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('lists your own keys; OWNER and ADMIN see everyone’s', async () => {
    await createKey(owner, 'owner-key');
    const mine = await t.http().get(`/api/v1/organizations/${org}/api-keys`).set(as(viewer)).expect(200);
    expect(mine.body.every((k: { userId: string }) => k.userId === viewer.userId)).toBe(true);
    const all = await t.http().get(`/api/v1/organizations/${org}/api-keys`).set(as(editor)).expect(200);
    expect(new Set(all.body.map((k: { userId: string }) => k.userId))).toEqual(
      new Set([viewer.userId, owner.userId]),
    );
  });

  it("acts as its user with the user's current role, in its own organization only", async () => {
    const { key, id: keyId } = await createKey(editor, 'automation');
    const members = await t
      .http()
      .get(`/api/v1/organizations/${org}/members`)
      .set('X-API-Key', key)
      .expect(200);
    expect(members.body.length).toBe(3);
    const audit = await t.http().get('/api/v1/audit-events').set('X-API-Key', key).expect(200); // ADMIN may read the audit log
    expect(audit.body.items.length).toBeGreaterThan(0);
    const me = await t.http().get('/api/v1/me').set('X-API-Key', key).expect(200);
    expect(me.body.id).toBe(editor.userId);

    // What a key does is audited with the key as the actor.
    const made = await t
      .http()
      .post(`/api/v1/organizations/${org}/api-keys`)
      .set('X-API-Key', key)
      .send({ name: 'made-by-key' })
      .expect(201);
    const actor = await t.owner.query(`SELECT actor_type, actor_id FROM audit_events WHERE target_id = $1`, [
      made.body.id,
    ]);
    expect(actor.rows).toEqual([{ actor_type: 'api_key', actor_id: keyId }]);

    // Demote the user: the key is demoted with them.
    await t.owner.query(
      `UPDATE memberships SET role = 'VIEWER' WHERE organization_id = $1 AND user_id = $2`,
      [org, editor.userId],
    );
    await t.http().get('/api/v1/audit-events').set('X-API-Key', key).expect(403);

    // Another organization's id is as unknown to the key as to outsiders.
    await t
      .http()
      .get(`/api/v1/organizations/${outsider.organizationId}/members`)
      .set('X-API-Key', key)
      .expect(404);
    await t
      .http()
      .get('/api/v1/audit-events')
      .set({ 'X-API-Key': key, 'X-Organization-Id': outsider.organizationId })
      .expect(404);

    // Removed from the organization: the key stops working there.
    await t.owner.query(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
      org,
      editor.userId,
    ]);
    await t.http().get(`/api/v1/organizations/${org}/members`).set('X-API-Key', key).expect(404);
    await t.owner.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'ADMIN')`, [
      org,
      editor.userId,
    ]);
  });

  it('revokes: own keys by anyone, others’ by OWNER/ADMIN only; a revoked key answers 401', async () => {
    const viewerKey = await createKey(viewer, 'to-revoke');
    const ownerKey = await createKey(owner, 'owners');
    await t.http().delete(`/api/v1/organizations/${org}/api-keys/${ownerKey.id}`).set(as(viewer)).expect(403);
    await t
      .http()
      .delete(`/api/v1/organizations/${org}/api-keys/${viewerKey.id}`)
      .set(as(viewer))
      .expect(204);
    await t.http().get(`/api/v1/organizations/${org}/members`).set('X-API-Key', viewerKey.key).expect(401);
    await t.http().delete(`/api/v1/organizations/${org}/api-keys/${ownerKey.id}`).set(as(editor)).expect(204);
    await t.http().delete(`/api/v1/organizations/${org}/api-keys/${ownerKey.id}`).set(as(editor)).expect(404);
    await t.http().delete(`/api/v1/organizations/${org}/api-keys/nope`).set(as(editor)).expect(400);
    await t.http().get(`/api/v1/organizations/${org}/members`).set('X-API-Key', 'pv_made-up-key').expect(401);
    const audit = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'api_key.revoked'`,
      [org],
    );
    expect(audit.rows[0].n).toBe(2);
  });

  it('expired keys answer 401', async () => {
    const k = await createKey(viewer, 'expiring');
    await t.owner.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [k.id]);
    await t.http().get(`/api/v1/organizations/${org}/members`).set('X-API-Key', k.key).expect(401);
  });

  it('rate-limits each key with X-RateLimit headers and 429 + Retry-After, and records last use', async () => {
    const k = await createKey(viewer, 'limited');
    for (let i = 0; i < 10; i++) {
      const ok = await t.http().get(`/api/v1/organizations/${org}`).set('X-API-Key', k.key).expect(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('10');
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(9 - i));
    }
    const limited = await t.http().get(`/api/v1/organizations/${org}`).set('X-API-Key', k.key).expect(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const { rows } = await t.owner.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [k.id]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
  });
});
