import { PromptStats } from '../src/modules/prompts/prompt-stats';
import { addMember, auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('Rendering and test cases', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let editor: SignedUpUser;
  let editor2: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;
  let promptId: string;

  const CONTENT =
    'Write a {{tone}} reply to {{ customer }} about <{{topic}}> in {{words}} words. {{{{not a var}}';

  beforeAll(async () => {
    t = await bootTestApp();
    [owner, editor, editor2, viewer, outsider] = await Promise.all(
      ['Owner', 'Editor', 'Editor Two', 'Viewer', 'Outsider'].map((n) => signUp(t, n)),
    );
    org = owner.organizationId;
    await addMember(t, org, editor.userId, 'EDITOR');
    await addMember(t, org, editor2.userId, 'EDITOR');
    await addMember(t, org, viewer.userId, 'VIEWER');
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(editor, org))
      .send({
        title: 'Reply',
        content: CONTENT,
        variables: [
          { name: 'tone', type: 'select', options: ['friendly', 'formal'], defaultValue: 'friendly' },
          { name: 'words', type: 'number', required: true },
          { name: 'topic', type: 'text', required: false },
        ],
      })
      .expect(201);
    promptId = res.body.id;
    // Version 2 adds a boolean; the production label stays on version 1.
    await t
      .http()
      .patch(`/api/v1/prompts/${promptId}`)
      .set(auth(editor, org))
      .send({
        content: `${CONTENT} Sign: {{signed}}`,
        variables: [
          { name: 'tone', type: 'select', options: ['friendly', 'formal'], defaultValue: 'friendly' },
          { name: 'words', type: 'number', required: true },
          { name: 'topic', type: 'text', required: false },
          { name: 'signed', type: 'boolean', required: true },
        ],
      })
      .expect(200);
    await t
      .http()
      .put(`/api/v1/prompts/${promptId}/labels/production`)
      .set(auth(owner, org))
      .send({ version: 1 })
      .expect(200);
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser) => auth(u, org);
  const render = (u: SignedUpUser, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/prompts/${promptId}/render`).set(as(u)).send(body);

  describe('POST /prompts/:id/render', () => {
    it('substitutes without HTML escaping, applies defaults and counts a use', async () => {
      const res = await render(viewer, {
        variables: { customer: 'Ann & <Bob>', topic: 'refunds', words: 50, signed: true },
      }).expect(200);
      expect(res.body).toEqual({
        rendered:
          'Write a friendly reply to Ann & <Bob> about <refunds> in 50 words. {{not a var}} Sign: true',
        version: 2,
      });
      await t.app.get(PromptStats).flush();
      expect((await t.owner.query(`SELECT uses FROM prompts WHERE id = $1`, [promptId])).rows[0].uses).toBe(
        '1',
      );
      const got = await t.http().get(`/api/v1/prompts/${promptId}`).set(as(viewer)).expect(200);
      expect(got.body.stats.uses).toBe(1);
    });

    it('renders a given version or the labelled one', async () => {
      const v1 = await render(viewer, { version: 1, variables: { customer: 'C', words: '10' } }).expect(200);
      expect(v1.body).toEqual({
        rendered: 'Write a friendly reply to C about <> in 10 words. {{not a var}}',
        version: 1,
      });
      const prod = await render(viewer, {
        label: 'production',
        variables: { customer: 'C', words: 3 },
      }).expect(200);
      expect(prod.body.version).toBe(1);
    });

    it('answers 422 with one error per missing or ill-typed variable', async () => {
      const res = await render(viewer, {
        variables: { tone: 'angry', words: 'many', signed: 'maybe' },
      }).expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('prompt_variables_invalid');
      expect(res.body.errors).toEqual([
        { field: 'variables.tone', message: 'tone must be one of: friendly, formal' },
        { field: 'variables.customer', message: 'customer is required' },
        { field: 'variables.words', message: 'words must be a number' },
        { field: 'variables.signed', message: 'signed must be true or false' },
      ]);
      await t.app.get(PromptStats).flush();
      expect((await t.owner.query(`SELECT uses FROM prompts WHERE id = $1`, [promptId])).rows[0].uses).toBe(
        '3',
      );
    });

    it('answers 400 for bad input, 404 for unknown versions/labels/prompts, 401 without auth', async () => {
      await render(viewer, { variables: 'x' }).expect(400);
      await render(viewer, { version: 0 }).expect(400);
      await render(viewer, { label: 'Bad Label' }).expect(400);
      await render(viewer, { version: 1, label: 'production' }).expect(400);
      await render(viewer, { unknown: true }).expect(400);
      expect((await render(viewer, { version: 9 }).expect(404)).body.code).toBe('version_not_found');
      expect((await render(viewer, { label: 'staging' }).expect(404)).body.code).toBe(
        'version_label_not_found',
      );
      await t.http().post(`/api/v1/prompts/${promptId}/render`).set(auth(outsider, org)).send({}).expect(404);
      await t.http().post(`/api/v1/prompts/${promptId}/render`).set(auth(outsider)).send({}).expect(404);
      await t.http().post(`/api/v1/prompts/${promptId}/render`).send({}).expect(401);
    });
  });

  describe('test cases', () => {
    const base = () => `/api/v1/prompts/${promptId}/test-cases`;

    it('are created, listed, changed and deleted by those who may edit the prompt, with audit', async () => {
      const created = await t
        .http()
        .post(base())
        .set(as(editor))
        .send({
          name: 'happy path',
          variables: { customer: 'Ann', words: 20, signed: false },
          expectedContains: 'Ann',
        })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        promptId,
        name: 'happy path',
        variables: { customer: 'Ann', words: 20, signed: false },
        expectedContains: 'Ann',
        assertions: [],
        createdBy: editor.userId,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const caseId = created.body.id as string;
      await t.http().post(base()).set(as(owner)).send({ name: 'second' }).expect(201);
      const list = await t.http().get(base()).set(as(viewer)).expect(200);
      expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['happy path', 'second']);
      const page1 = await t.http().get(`${base()}?limit=1`).set(as(viewer)).expect(200);
      const page2 = await t
        .http()
        .get(base())
        .query({ limit: 1, cursor: page1.body.nextCursor })
        .set(as(viewer))
        .expect(200);
      expect([...page1.body.items, ...page2.body.items].map((c: { name: string }) => c.name)).toEqual([
        'happy path',
        'second',
      ]);
      expect(page2.body.nextCursor).toBeNull();

      const changed = await t
        .http()
        .patch(`${base()}/${caseId}`)
        .set(as(editor))
        .send({ name: 'renamed', expectedContains: null })
        .expect(200);
      expect(changed.body).toMatchObject({ name: 'renamed', expectedContains: null });
      expect(
        (await t.owner.query(`SELECT name, expected_contains FROM prompt_test_cases WHERE id = $1`, [caseId]))
          .rows[0],
      ).toEqual({ name: 'renamed', expected_contains: null });

      await t.http().delete(`${base()}/${caseId}`).set(as(editor)).expect(204);
      await t.http().delete(`${base()}/${caseId}`).set(as(editor)).expect(404);
      expect(
        Number(
          (await t.owner.query(`SELECT count(*) n FROM prompt_test_cases WHERE id = $1`, [caseId])).rows[0].n,
        ),
      ).toBe(0);
      const actions = await t.owner.query(
        `SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'prompt.test_case_%' ORDER BY seq`,
        [promptId],
      );
      expect(actions.rows.map((r) => r.action)).toEqual([
        'prompt.test_case_created',
        'prompt.test_case_created',
        'prompt.test_case_updated',
        'prompt.test_case_deleted',
      ]);
    });

    it('refuses other editors and viewers (403), outsiders (404), bad input (400), no auth (401)', async () => {
      const c = await t.http().post(base()).set(as(editor)).send({ name: 'guarded' }).expect(201);
      await t.http().post(base()).set(as(editor2)).send({ name: 'x' }).expect(403);
      await t.http().post(base()).set(as(viewer)).send({ name: 'x' }).expect(403);
      await t.http().patch(`${base()}/${c.body.id}`).set(as(editor2)).send({ name: 'x' }).expect(403);
      await t.http().delete(`${base()}/${c.body.id}`).set(as(viewer)).expect(403);
      await t.http().post(base()).set(auth(outsider, org)).send({ name: 'x' }).expect(404);
      await t.http().get(base()).set(auth(outsider, org)).expect(404);
      await t.http().get(base()).set(auth(outsider)).expect(404);
      await t.http().post(base()).set(as(editor)).send({ name: '' }).expect(400);
      await t.http().post(base()).set(as(editor)).send({ name: 'x', variables: [] }).expect(400);
      await t.http().post(base()).set(as(editor)).send({ name: 'x', expectedContains: '' }).expect(400);
      await t.http().patch(`${base()}/not-a-uuid`).set(as(editor)).send({ name: 'x' }).expect(400);
      await t
        .http()
        .patch(`${base()}/00000000-0000-4000-8000-000000000000`)
        .set(as(editor))
        .send({ name: 'x' })
        .expect(404);
      await t.http().get(`${base()}?cursor=bogus`).set(as(viewer)).expect(400);
      await t.http().get(base()).expect(401);
      await t.http().post(base()).send({ name: 'x' }).expect(401);
      await t.http().delete(`${base()}/${c.body.id}`).set(as(editor)).expect(204);
    });

    it('run against the current version, a version or a label with per-case results', async () => {
      await t.owner.query(`DELETE FROM prompt_test_cases WHERE prompt_id = $1`, [promptId]);
      const mk = async (body: Record<string, unknown>) =>
        (await t.http().post(base()).set(as(editor)).send(body).expect(201)).body.id as string;
      const pass = await mk({
        name: 'passes',
        variables: { customer: 'Ann', words: 20, signed: true },
        expectedContains: 'reply to Ann',
      });
      const wrong = await mk({
        name: 'expectation fails',
        variables: { customer: 'Ann', words: 20, signed: true },
        expectedContains: 'Bob',
      });
      const missing = await mk({ name: 'missing vars', variables: { customer: 'Ann' } });

      const run = await t.http().post(`${base()}/run`).set(as(viewer)).send({}).expect(200);
      expect(run.body.version).toBe(2);
      expect(run.body).toMatchObject({ passed: 1, failed: 2 });
      const byId = Object.fromEntries(
        run.body.results.map((r: { caseId: string }) => [r.caseId, r]),
      ) as Record<string, { passed: boolean; rendered: string | null; errors: Array<{ field: string }> }>;
      expect(byId[pass]).toMatchObject({ passed: true, errors: [] });
      expect(byId[pass].rendered).toContain('reply to Ann');
      expect(byId[wrong]).toMatchObject({ passed: false, errors: [{ field: 'expectedContains' }] });
      expect(byId[missing]).toMatchObject({ passed: false, rendered: null });
      expect(byId[missing].errors.map((e) => e.field)).toEqual(['variables.words', 'variables.signed']);

      // Version 1 has no `signed`, so the case without it passes there; label production is v1.
      const onLabel = await t
        .http()
        .post(`${base()}/run`)
        .set(as(viewer))
        .send({ label: 'production', caseIds: [missing] })
        .expect(200);
      expect(onLabel.body.version).toBe(1);
      expect(onLabel.body.results).toHaveLength(1);
      expect(onLabel.body.results[0].errors.map((e: { field: string }) => e.field)).toEqual([
        'variables.words',
      ]);
      const onV1 = await t
        .http()
        .post(`${base()}/run`)
        .set(as(viewer))
        .send({ version: 1, caseIds: [pass] })
        .expect(200);
      expect(onV1.body).toMatchObject({ version: 1, passed: 1, failed: 0 });

      await t
        .http()
        .post(`${base()}/run`)
        .set(as(viewer))
        .send({ caseIds: ['00000000-0000-4000-8000-000000000000'] })
        .expect(400);
      await t
        .http()
        .post(`${base()}/run`)
        .set(as(viewer))
        .send({ caseIds: ['x'] })
        .expect(400);
      await t.http().post(`${base()}/run`).set(as(viewer)).send({ version: 7 }).expect(404);
      await t.http().post(`${base()}/run`).set(auth(outsider, org)).send({}).expect(404);
      await t.http().post(`${base()}/run`).send({}).expect(401);
    });
  });
});
