import { TEMPLATES } from '../src/modules/templates/templates.catalogue';
import { auth, bootTestApp, SignedUpUser, signUp, signUpTeam, TestApp } from './support/test-app';

/**
 * Starter templates: browsing (any member) and use (EDITOR and above), which creates an ordinary
 * prompt through the same path as POST /prompts: version 1 with its change note, audit, outbox, the
 * plan's prompt limit.
 */
describe('templates', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let editor: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;

  beforeAll(async () => {
    t = await bootTestApp();
    ({ org, owner, editor, viewer, outsider } = await signUpTeam(t));
  });
  afterAll(() => t?.close());

  const promptCount = async (organizationId: string) =>
    (
      await t.owner.query(`SELECT count(*)::int AS n FROM prompts WHERE organization_id = $1`, [
        organizationId,
      ])
    ).rows[0].n as number;

  describe('GET /templates', () => {
    it('lists every template to any member, VIEWER included, in the contract shape', async () => {
      const res = await t.http().get('/api/v1/templates').set(auth(viewer, org)).expect(200);
      expect(res.body).toHaveLength(TEMPLATES.length);
      expect(res.body.length).toBeGreaterThanOrEqual(30);
      const launch = res.body.find((x: { id: string }) => x.id === 'marketing-product-launch-email');
      expect(Object.keys(launch).sort()).toEqual(
        ['category', 'content', 'description', 'id', 'metadata', 'title', 'variables'].sort(),
      );
      expect(launch).toMatchObject({
        category: 'marketing',
        title: 'Product launch email',
        metadata: {
          model: expect.any(String),
          temperature: expect.any(Number),
          maxTokens: expect.any(Number),
        },
      });
      expect(launch.variables).toContainEqual(
        expect.objectContaining({
          name: 'tone',
          type: 'select',
          options: expect.arrayContaining(['friendly']),
        }),
      );
    });

    it('filters by category and searches title, description and content case-insensitively', async () => {
      const hr = await t.http().get('/api/v1/templates?category=hr').set(auth(editor, org)).expect(200);
      expect(hr.body.length).toBeGreaterThanOrEqual(4);
      expect(hr.body.every((x: { category: string }) => x.category === 'hr')).toBe(true);

      const byTitle = await t
        .http()
        .get('/api/v1/templates?q=COLD%20outreach')
        .set(auth(editor, org))
        .expect(200);
      expect(byTitle.body.map((x: { id: string }) => x.id)).toEqual(['sales-cold-outreach-email']);
      // "SPIN style" is only in the content.
      const byContent = await t
        .http()
        .get('/api/v1/templates?q=spin%20style')
        .set(auth(editor, org))
        .expect(200);
      expect(byContent.body.map((x: { id: string }) => x.id)).toEqual(['sales-discovery-call-prep']);
      const both = await t
        .http()
        .get('/api/v1/templates?category=coding&q=spin%20style')
        .set(auth(editor, org))
        .expect(200);
      expect(both.body).toEqual([]);
    });

    it('answers 400 naming the valid categories, 401 anonymous, 404 for non-members', async () => {
      const bad = await t.http().get('/api/v1/templates?category=finance').set(auth(editor, org)).expect(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.body.errors).toEqual([
        {
          field: 'category',
          message: expect.stringContaining('marketing, coding, support, sales, hr, data, writing'),
        },
      ]);
      await t
        .http()
        .get('/api/v1/templates?q=' + 'x'.repeat(201))
        .set(auth(editor, org))
        .expect(400);
      await t.http().get('/api/v1/templates?unknown=1').set(auth(editor, org)).expect(400);
      await t.http().get('/api/v1/templates').set('X-Organization-Id', org).expect(401);
      await t.http().get('/api/v1/templates').set(auth(outsider, org)).expect(404);
    });

    it('GET /templates/:id answers one template, 404 for an unknown id', async () => {
      const res = await t
        .http()
        .get('/api/v1/templates/coding-code-review')
        .set(auth(viewer, org))
        .expect(200);
      expect(res.body).toMatchObject({ id: 'coding-code-review', category: 'coding' });
      const missing = await t.http().get('/api/v1/templates/coding-nope').set(auth(viewer, org)).expect(404);
      expect(missing.body.code).toBe('not_found');
    });
  });

  describe('POST /templates/:id/use', () => {
    it('creates a prompt with version 1 noting the template, audited and in the outbox', async () => {
      const template = TEMPLATES.find((x) => x.id === 'coding-sql-query-writer')!;
      const { rows: collections } = await t.owner.query(
        `INSERT INTO collections (organization_id, name, created_by) VALUES ($1, 'Starter', $2) RETURNING id`,
        [org, editor.userId],
      );
      const res = await t
        .http()
        .post(`/api/v1/templates/${template.id}/use`)
        .set(auth(editor, org))
        .send({ collectionId: collections[0].id })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        title: template.title,
        description: template.description,
        content: template.content,
        variables: template.variables,
        metadata: template.metadata,
        collectionId: collections[0].id,
        version: 1,
        status: 'draft',
        visibility: 'organization',
      });
      const id = res.body.id as string;
      const { rows: prompts } = await t.owner.query(
        `SELECT organization_id, author_id, title, content, collection_id FROM prompts WHERE id = $1`,
        [id],
      );
      expect(prompts).toEqual([
        {
          organization_id: org,
          author_id: editor.userId,
          title: template.title,
          content: template.content,
          collection_id: collections[0].id,
        },
      ]);
      const { rows: versions } = await t.owner.query(
        `SELECT version, change_note FROM prompt_versions WHERE prompt_id = $1`,
        [id],
      );
      expect(versions).toEqual([{ version: 1, change_note: `Created from template ${template.title}` }]);
      const { rows: audit } = await t.owner.query(
        `SELECT action, changes FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY action`,
        [org, id],
      );
      expect(audit).toEqual([
        expect.objectContaining({ action: 'prompt.created' }),
        { action: 'template.used', changes: { templateId: template.id } },
      ]);
      const { rows: outbox } = await t.owner.query(
        `SELECT type FROM outbox_events WHERE organization_id = $1 AND aggregate_id = $2`,
        [org, id],
      );
      expect(outbox.map((r: { type: string }) => r.type)).toContain('prompt.created');

      // The version endpoint shows the note too, and using the template again makes a second prompt.
      const v = await t.http().get(`/api/v1/prompts/${id}/versions`).set(auth(viewer, org)).expect(200);
      expect(v.body.items[0]).toMatchObject({
        version: 1,
        changeNote: `Created from template ${template.title}`,
      });
      const again = await t
        .http()
        .post(`/api/v1/templates/${template.id}/use`)
        .set(auth(owner, org))
        .send({})
        .expect(201);
      expect(again.body.id).not.toBe(id);
      expect(again.body.slug).not.toBe(res.body.slug);
      expect(again.body.collectionId).toBeNull();
    });

    it('refuses VIEWER (403), anonymous (401), non-members (404), unknown templates (404), bad input (400)', async () => {
      const before = await promptCount(org);
      const forbidden = await t
        .http()
        .post('/api/v1/templates/writing-meeting-notes/use')
        .set(auth(viewer, org))
        .send({})
        .expect(403);
      expect(forbidden.body.code).toBe('forbidden');
      await t
        .http()
        .post('/api/v1/templates/writing-meeting-notes/use')
        .set('X-Organization-Id', org)
        .send({})
        .expect(401);
      await t
        .http()
        .post('/api/v1/templates/writing-meeting-notes/use')
        .set(auth(outsider, org))
        .send({})
        .expect(404);
      const unknown = await t
        .http()
        .post('/api/v1/templates/writing-nope/use')
        .set(auth(editor, org))
        .send({})
        .expect(404);
      expect(unknown.body.code).toBe('not_found');
      for (const body of [{ collectionId: 'not-a-uuid' }, { extra: true }]) {
        const res = await t
          .http()
          .post('/api/v1/templates/writing-meeting-notes/use')
          .set(auth(editor, org))
          .send(body)
          .expect(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      // A collection of another organization is not one of ours.
      const { rows: foreign } = await t.owner.query(
        `INSERT INTO collections (organization_id, name, created_by) VALUES ($1, 'Theirs', $2) RETURNING id`,
        [outsider.organizationId, outsider.userId],
      );
      const cross = await t
        .http()
        .post('/api/v1/templates/writing-meeting-notes/use')
        .set(auth(editor, org))
        .send({ collectionId: foreign[0].id })
        .expect(400);
      expect(cross.body.errors).toEqual([{ field: 'collectionId', message: expect.any(String) }]);
      expect(await promptCount(org)).toBe(before);
    });

    it("answers 403 plan_limit_reached past the plan's prompt limit, creating nothing", async () => {
      const solo = await signUp(t, 'Solo');
      const o = solo.organizationId;
      await t.owner.query(
        `INSERT INTO prompts (organization_id, slug, title, content, author_id)
         SELECT $1, 'seed-' || i, 'Seeded ' || i, 'Body', $2 FROM generate_series(1, 100) AS i`,
        [o, solo.userId],
      );
      const refused = await t
        .http()
        .post('/api/v1/templates/hr-onboarding-plan/use')
        .set(auth(solo))
        .send({})
        .expect(403);
      expect(refused.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'prompts',
        max: 100,
        current: 100,
      });
      expect(await promptCount(o)).toBe(100);
    });
  });
});
