import { SearchDigestService } from '../src/modules/search/search-digest.service';
import { recordMails } from './support/mailbox';
import { addMember, auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('Saved, shared and recent searches, the daily digest and similar prompts', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let editor: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;

  beforeAll(async () => {
    t = await bootTestApp();
    [owner, admin, editor, viewer, outsider] = await Promise.all(
      ['Owner', 'Admin', 'Editor', 'Viewer', 'Outsider'].map((n) => signUp(t, n)),
    );
    org = owner.organizationId;
    await addMember(t, org, admin.userId, 'ADMIN');
    await addMember(t, org, editor.userId, 'EDITOR');
    await addMember(t, org, viewer.userId, 'VIEWER');
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser) => auth(u, org);
  const save = (u: SignedUpUser, body: Record<string, unknown>) =>
    t.http().post('/api/v1/search/saved').set(as(u)).send(body);
  const prompt = async (u: SignedUpUser, body: Record<string, unknown>) =>
    (await t.http().post('/api/v1/prompts').set(as(u)).send(body).expect(201)).body as { id: string };

  it('saves a search with its filters, shares it, and audits it', async () => {
    const res = await save(viewer, {
      name: '  Email drafts ',
      query: 'email -spam',
      filters: {
        tags: ['Email', 'sales'],
        tagMode: 'or',
        status: 'draft',
        sort: 'created',
        favorites: false,
      },
      shared: true,
    }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'Email drafts',
      query: 'email -spam',
      filters: { tags: ['Email', 'sales'], tagMode: 'or', status: 'draft', sort: 'created' },
      shared: true,
      subscribed: false,
      userId: viewer.userId,
    });
    const { rows } = await t.owner.query(
      `SELECT organization_id, user_id, shared, filters FROM saved_searches WHERE id = $1`,
      [res.body.id],
    );
    expect(rows[0]).toMatchObject({ organization_id: org, user_id: viewer.userId, shared: true });
    const audit = await t.owner.query(
      `SELECT actor_id, changes FROM audit_events WHERE organization_id = $1 AND action = 'saved_search.created' AND target_id = $2`,
      [org, res.body.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_id).toBe(viewer.userId);

    const taken = await save(viewer, { name: 'email drafts', query: 'x' }).expect(409);
    expect(taken.body.code).toBe('saved_search_name_taken');
    await save(editor, { name: 'Email drafts', query: 'x' }).expect(201); // names are per user

    const listed = await t.http().get('/api/v1/search/saved').set(as(owner)).expect(200);
    expect(listed.body.map((s: { name: string }) => s.name)).toEqual(['Email drafts']);
    const mine = await t.http().get('/api/v1/search/saved').set(as(editor)).expect(200);
    expect(mine.body.map((s: { userId: string }) => s.userId)).toEqual([editor.userId, viewer.userId]);
  });

  it('validates saved searches (400) and needs authentication (401)', async () => {
    await save(owner, { name: '' }).expect(400);
    await save(owner, { name: 'x', filters: { status: 'gone' } }).expect(400);
    await save(owner, { name: 'x', filters: { category: 'not-a-uuid' } }).expect(400);
    await save(owner, { name: 'x', filters: { createdFrom: '2024-02-01', createdTo: '2024-01-01' } }).expect(
      400,
    );
    await save(owner, { name: 'x', filters: { colour: 'red' } }).expect(400);
    await save(owner, { name: 'x', query: 'q'.repeat(501) }).expect(400);
    await save(owner, { name: 'x', shared: 'yes' }).expect(400);
    await t.http().post('/api/v1/search/saved').send({ name: 'x' }).expect(401);
    await t.http().get('/api/v1/search/saved').expect(401);
    await t.http().get('/api/v1/search/recent').expect(401);
    await t.http().get('/api/v1/search/saved').set(auth(outsider, org)).expect(404);
    await t.http().post('/api/v1/search/saved').set(auth(outsider, org)).send({ name: 'x' }).expect(404);
    await t.http().get('/api/v1/search/recent').set(auth(outsider, org)).expect(404);
    await t.http().get('/api/v1/search').query({ q: 'x' }).set(auth(outsider, org)).expect(404);
    await t.http().get('/api/v1/search').query({ q: 'x' }).expect(401);
  });

  it('deletes: own always, shared of others only as OWNER/ADMIN (403), private of others is 404', async () => {
    const shared = (await save(editor, { name: 'Shared by editor', query: 'a', shared: true }).expect(201))
      .body.id;
    const privateOne = (await save(editor, { name: 'Private of editor', query: 'b' }).expect(201)).body.id;
    const ownersShared = (await save(owner, { name: 'Owner shared', query: 'c', shared: true }).expect(201))
      .body.id;

    await t.http().delete(`/api/v1/search/saved/${ownersShared}`).set(as(editor)).expect(403);
    await t.http().delete(`/api/v1/search/saved/${ownersShared}`).set(as(viewer)).expect(403);
    await t.http().delete(`/api/v1/search/saved/${privateOne}`).set(as(admin)).expect(404);
    await t.http().delete(`/api/v1/search/saved/not-a-uuid`).set(as(admin)).expect(400);
    await t.http().delete(`/api/v1/search/saved/${shared}`).expect(401);
    await t.http().delete(`/api/v1/search/saved/${shared}`).set(auth(outsider)).expect(404);
    await t.http().delete(`/api/v1/search/saved/${shared}`).set(as(admin)).expect(204);
    await t.http().delete(`/api/v1/search/saved/${privateOne}`).set(as(editor)).expect(204);
    await t.http().delete(`/api/v1/search/saved/${privateOne}`).set(as(editor)).expect(404);
    const { rows } = await t.owner.query(`SELECT id FROM saved_searches WHERE id = ANY($1::uuid[])`, [
      [shared, privateOne, ownersShared],
    ]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([ownersShared]);
    const audit = await t.owner.query(
      `SELECT actor_id, target_id FROM audit_events WHERE organization_id = $1 AND action = 'saved_search.deleted' ORDER BY seq`,
      [org],
    );
    expect(audit.rows).toEqual([
      { actor_id: admin.userId, target_id: shared },
      { actor_id: editor.userId, target_id: privateOne },
    ]);
  });

  it('subscribes to own and shared searches, and mails new matches daily as the subscriber sees them', async () => {
    const mails = recordMails(t.app);
    const saved = (
      await save(owner, {
        name: 'Onboarding',
        query: 'onboarding',
        filters: { status: 'published' },
        shared: true,
        subscribed: true,
      }).expect(201)
    ).body;
    expect(saved.subscribed).toBe(true);
    await t.http().put(`/api/v1/search/saved/${saved.id}/subscription`).set(as(viewer)).expect(204);
    await t.http().put(`/api/v1/search/saved/${saved.id}/subscription`).set(as(viewer)).expect(204); // idempotent
    await t
      .http()
      .put(`/api/v1/search/saved/00000000-0000-4000-8000-000000000000/subscription`)
      .set(as(viewer))
      .expect(404);
    await t.http().put(`/api/v1/search/saved/${saved.id}/subscription`).set(auth(outsider)).expect(404);
    const listed = await t.http().get('/api/v1/search/saved').set(as(viewer)).expect(200);
    expect(listed.body.find((s: { id: string }) => s.id === saved.id).subscribed).toBe(true);

    await prompt(owner, { title: 'Onboarding checklist', content: 'First day', status: 'published' });
    await prompt(owner, { title: 'Onboarding draft', content: 'Not yet', status: 'draft' });
    await prompt(editor, {
      title: 'Onboarding secrets',
      content: 'Mine',
      status: 'published',
      visibility: 'private',
    });
    // The last digest was two days ago; everything above is new since.
    await t.owner.query(
      `UPDATE search_subscriptions SET last_notified_at = now() - interval '2 days' WHERE saved_search_id = $1`,
      [saved.id],
    );

    const digest = t.app.get(SearchDigestService);
    expect(await digest.run()).toBe(2);
    const sent = mails.mails.filter((m) => m.subject.includes('Onboarding'));
    expect(sent.map((m) => m.to).sort()).toEqual([owner.email, viewer.email].sort());
    for (const mail of sent) {
      expect(mail.subject).toBe('1 new prompt for "Onboarding"');
      expect(mail.text).toContain('Onboarding checklist');
      expect(mail.text).not.toContain('Onboarding draft');
      expect(mail.text).not.toContain('Onboarding secrets');
    }
    expect(await digest.run()).toBe(0); // not due again today

    await t.http().delete(`/api/v1/search/saved/${saved.id}/subscription`).set(as(viewer)).expect(204);
    const { rows } = await t.owner.query(
      `SELECT user_id FROM search_subscriptions WHERE saved_search_id = $1`,
      [saved.id],
    );
    expect(rows.map((r: { user_id: string }) => r.user_id)).toEqual([owner.userId]);
  });

  it('records recent searches per user: last 20, de-duplicated, newest first, first pages only', async () => {
    const searchAs = (u: SignedUpUser, query: Record<string, string>) =>
      t.http().get('/api/v1/search').query(query).set(as(u)).expect(200);
    await searchAs(admin, { q: 'alpha' });
    await searchAs(admin, { q: 'beta', tags: 'x,y', sort: 'created' });
    await searchAs(admin, { q: ' alpha ' });
    await searchAs(admin, {}); // nothing to remember
    const first = await searchAs(admin, { q: 'onboarding', limit: '1' });
    await searchAs(admin, { q: 'ignored-page', cursor: first.body.nextCursor ?? '' }).catch(() => undefined);
    const recent = await t.http().get('/api/v1/search/recent').set(as(admin)).expect(200);
    expect(recent.body.map((r: { query: string }) => r.query)).toEqual(['onboarding', 'alpha', 'beta']);
    expect(recent.body[2].filters).toEqual({ tags: ['x', 'y'], sort: 'created' });
    const others = await t.http().get('/api/v1/search/recent').set(as(viewer)).expect(200);
    expect(others.body).toEqual([]);

    // Search-as-you-type previews ask not to be recorded; record=true is the default.
    await searchAs(admin, { q: 'onb', record: 'false' });
    await searchAs(admin, { q: 'onbo', tags: 'x', record: 'false' });
    await searchAs(admin, { q: 'gamma', record: 'true' });
    const unrecorded = await t.http().get('/api/v1/search/recent').set(as(admin)).expect(200);
    expect(unrecorded.body.map((r: { query: string }) => r.query)).toEqual([
      'gamma',
      'onboarding',
      'alpha',
      'beta',
    ]);
    const { rows: prefixes } = await t.owner.query(
      `SELECT count(*)::int AS n FROM recent_searches WHERE user_id = $1 AND query LIKE 'onb%' AND query <> 'onboarding'`,
      [admin.userId],
    );
    expect(prefixes[0].n).toBe(0);

    for (let i = 0; i < 25; i++) await searchAs(admin, { q: `query ${i}` });
    const capped = await t.http().get('/api/v1/search/recent').set(as(admin)).expect(200);
    expect(capped.body).toHaveLength(20);
    expect(capped.body[0].query).toBe('query 24');
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM recent_searches WHERE user_id = $1`,
      [admin.userId],
    );
    expect(rows[0].n).toBe(20);
  });

  it('suggests similar prompts at /prompts/similar (not taken by /prompts/:id), own organization only', async () => {
    const original = await prompt(owner, {
      title: 'Customer churn analysis',
      content: 'Analyse churn drivers from the customer survey results',
    });
    await prompt(owner, { title: 'Weekly standup notes', content: 'Yesterday, today, blockers' });
    const foreign = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(outsider))
      .send({
        title: 'Customer churn analysis',
        content: 'Analyse churn drivers from the customer survey results',
      })
      .expect(201);
    const res = await t
      .http()
      .get('/api/v1/prompts/similar')
      .query({ title: 'Customer churn analysys', content: 'analyse churn drivers of customers' })
      .set(as(viewer))
      .expect(200);
    expect(res.body.engine).toBe('postgres');
    expect(res.body.items[0]).toMatchObject({ id: original.id, title: 'Customer churn analysis' });
    expect(res.body.items[0].score).toBeGreaterThan(0.3);
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(foreign.body.id);
    expect(res.body.items.map((i: { title: string }) => i.title)).not.toContain('Weekly standup notes');
    const excluded = await t
      .http()
      .get('/api/v1/prompts/similar')
      .query({ title: 'Customer churn analysis', excludeId: original.id })
      .set(as(viewer))
      .expect(200);
    expect(excluded.body.items.map((i: { id: string }) => i.id)).not.toContain(original.id);
    await t.http().get('/api/v1/prompts/similar').query({ limit: '0' }).set(as(viewer)).expect(400);
    await t.http().get('/api/v1/prompts/similar').query({ excludeId: 'x' }).set(as(viewer)).expect(400);
    await t.http().get('/api/v1/prompts/similar').query({ title: 'x' }).expect(401);
    await t.http().get('/api/v1/prompts/similar').query({ title: 'x' }).set(auth(outsider, org)).expect(404);
    // /prompts/:id still answers for ids.
    await t.http().get(`/api/v1/prompts/${original.id}`).set(as(viewer)).expect(200);
  });
});
