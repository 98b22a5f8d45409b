import { auth, bootTestApp, signUpTeam, Team, TestApp } from './support/test-app';

/**
 * Private means private (issue 16, item 12): what another user's private prompt holds (its title,
 * changes, tags, slug) reaches nobody but its author, not even OWNERs through the audit trail.
 */
describe('privacy of private prompts', () => {
  let t: TestApp;
  let team: Team;
  let secretId: string;
  const SECRET = 'Falcon merger plan';

  const auditOf = (u: Team['owner'], query = '') =>
    t.http().get(`/api/v1/audit-events${query}`).set(auth(u, team.org)).expect(200);
  const exportOf = async (u: Team['owner'], format: 'csv' | 'jsonl') =>
    (
      await t
        .http()
        .get(`/api/v1/audit-events/export?format=${format}`)
        .set(auth(u, team.org))
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done(null, text));
        })
        .expect(200)
    ).body as string;

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
    // The ADMIN is the author: an admin can read the audit trail, so both sides of the rule show.
    const created = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(team.admin, team.org))
      .send({
        title: SECRET,
        content: 'Buy them on Friday',
        visibility: 'private',
        slug: 'falcon',
        tags: ['project-falcon'],
      })
      .expect(201);
    secretId = created.body.id;
    await t
      .http()
      .patch(`/api/v1/prompts/${secretId}`)
      .set(auth(team.admin, team.org))
      .send({ title: `${SECRET} v2` })
      .expect(200);
    await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(team.editor, team.org))
      .send({ title: 'Greeting', content: 'Hello', slug: 'greeting', tags: ['shared'] })
      .expect(201);
  });
  afterAll(() => t?.close());

  it('redacts events about a private prompt for everyone but its author, in lists and exports', async () => {
    const forOwner = (await auditOf(team.owner, `?targetId=${secretId}`)).body.items as Array<{
      action: string;
      changes: unknown;
      target: { id: string };
    }>;
    expect(forOwner.map((e) => e.action).sort()).toEqual(['prompt.created', 'prompt.updated']);
    for (const e of forOwner) expect(e.changes).toEqual({ redacted: 'private_prompt' });
    expect(JSON.stringify((await auditOf(team.owner)).body)).not.toContain('Falcon');

    const forAuthor = (await auditOf(team.admin, `?targetId=${secretId}`)).body.items as Array<{
      action: string;
      changes: Record<string, unknown>;
    }>;
    expect(forAuthor.find((e) => e.action === 'prompt.created')?.changes).toMatchObject({ title: SECRET });

    for (const format of ['csv', 'jsonl'] as const) {
      expect(await exportOf(team.owner, format)).not.toContain('Falcon');
      expect(await exportOf(team.admin, format)).toContain(SECRET);
    }

    // The stored rows keep everything, so the chain still verifies.
    const { rows } = await t.owner.query(
      `SELECT changes FROM audit_events WHERE organization_id = $1 AND target_id = $2 AND action = 'prompt.created'`,
      [team.org, secretId],
    );
    expect(rows[0].changes).toMatchObject({ title: SECRET });
    const verdict = await t
      .http()
      .get('/api/v1/audit-events/verify')
      .set(auth(team.owner, team.org))
      .expect(200);
    expect(verdict.body).toMatchObject({ valid: true });
  });

  it('does not list tags that only others’ private prompts carry', async () => {
    await t.http().post('/api/v1/tags').set(auth(team.owner, team.org)).send({ name: 'unused' }).expect(201);
    const names = async (u: Team['owner']) =>
      (
        (await t.http().get('/api/v1/tags?limit=100').set(auth(u, team.org)).expect(200)).body
          .items as Array<{
          name: string;
          usage: number;
        }>
      ).map((tag) => `${tag.name}:${tag.usage}`);
    expect(await names(team.owner)).toEqual(['shared:1', 'unused:0']);
    expect(await names(team.admin)).toEqual(['project-falcon:1', 'shared:1', 'unused:0']);
    // Nor can others act on it by id: it is as unknown to them as a missing tag.
    const { rows } = await t.owner.query(`SELECT id FROM tags WHERE name = 'project-falcon'`);
    await t
      .http()
      .patch(`/api/v1/tags/${rows[0].id}`)
      .set(auth(team.owner, team.org))
      .send({ name: 'renamed' })
      .expect(404);
    expect((await t.owner.query(`SELECT name FROM tags WHERE id = $1`, [rows[0].id])).rows).toEqual([
      { name: 'project-falcon' },
    ]);
  });

  it('takes a slug held by a hidden private prompt as if free, storing a unique one', async () => {
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(team.editor, team.org))
      .send({ title: 'Mine', content: 'x', slug: 'falcon' })
      .expect(201);
    expect(res.body.slug).toMatch(/^falcon-[0-9a-f]{6}$/);
    const patched = await t
      .http()
      .patch(`/api/v1/prompts/${res.body.id}`)
      .set(auth(team.editor, team.org))
      .send({ slug: 'falcon' })
      .expect(200);
    expect(patched.body.slug).toMatch(/^falcon-[0-9a-f]{6}$/);

    // A slug the caller can see is still refused, for the author of the private one too.
    for (const [u, slug] of [
      [team.owner, 'greeting'],
      [team.admin, 'falcon'],
    ] as const) {
      const taken = await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(u, team.org))
        .send({ title: 'Again', content: 'x', slug })
        .expect(409);
      expect(taken.body.code).toBe('prompt_slug_taken');
    }
  });

  it('keeps a deleted private prompt’s events redacted', async () => {
    await t.http().delete(`/api/v1/prompts/${secretId}`).set(auth(team.admin, team.org)).expect(204);
    const forOwner = (await auditOf(team.owner, `?targetId=${secretId}`)).body.items as Array<{
      action: string;
      changes: unknown;
    }>;
    expect(forOwner.map((e) => e.action)).toContain('prompt.deleted');
    for (const e of forOwner) expect(e.changes).toEqual({ redacted: 'private_prompt' });
    const forAuthor = (await auditOf(team.admin, `?targetId=${secretId}&action=prompt.deleted`)).body.items;
    expect(forAuthor[0].changes).toMatchObject({ title: `${SECRET} v2`, visibility: 'private' });
  });
});
