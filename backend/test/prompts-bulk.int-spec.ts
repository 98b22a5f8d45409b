import { randomUUID } from 'node:crypto';
import { auth, bootTestApp, SignedUpUser, signUpTeam, TestApp } from './support/test-app';

/** POST /prompts/bulk: per-id rights and results, each id in its own savepoint. */
describe('bulk prompt actions', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let editor: SignedUpUser;
  let editor2: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;

  beforeAll(async () => {
    t = await bootTestApp();
    ({ org, owner, admin, editor, editor2, viewer, outsider } = await signUpTeam(t));
  });
  afterAll(() => t?.close());

  let n = 0;
  const createPrompt = async (
    as: SignedUpUser,
    body: Record<string, unknown> = {},
    organizationId = org,
  ): Promise<string> => {
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(as, organizationId))
      .send({ title: `Bulk ${++n}`, content: 'Do {{thing}}', ...body });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const bulk = (as: SignedUpUser, body: Record<string, unknown>) =>
    t.http().post('/api/v1/prompts/bulk').set(auth(as, org)).send(body);
  const statusOf = async (ids: string[]) =>
    Object.fromEntries(
      (await t.owner.query(`SELECT id, status FROM prompts WHERE id = ANY($1)`, [ids])).rows.map(
        (r: { id: string; status: string }) => [r.id, r.status],
      ),
    ) as Record<string, string>;
  const tagsOf = async (id: string) =>
    (
      await t.owner.query(
        `SELECT t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1 ORDER BY lower(t.name)`,
        [id],
      )
    ).rows.map((r: { name: string }) => r.name);

  it('reports per id: applied to what the caller may change, 403/404 for the rest, nothing undone', async () => {
    const mine1 = await createPrompt(editor);
    const theirs = await createPrompt(editor2);
    const hidden = await createPrompt(editor2, { visibility: 'private' });
    const mine2 = await createPrompt(editor);
    const foreign = await createPrompt(outsider, {}, outsider.organizationId);
    const missing = randomUUID();
    const ids = [mine1, theirs, hidden, foreign, missing, mine2];

    const res = await bulk(editor, { ids, action: 'archive' }).expect(200);
    expect(res.body.succeeded).toEqual([mine1, mine2]);
    expect(res.body.failed).toEqual([
      { id: theirs, status: 403, detail: expect.any(String) },
      { id: hidden, status: 404, detail: 'Prompt was not found' },
      { id: foreign, status: 404, detail: 'Prompt was not found' },
      { id: missing, status: 404, detail: 'Prompt was not found' },
    ]);
    expect(await statusOf([mine1, mine2, theirs, hidden, foreign])).toEqual({
      [mine1]: 'archived',
      [mine2]: 'archived',
      [theirs]: 'draft',
      [hidden]: 'draft',
      [foreign]: 'draft',
    });
    const audit = await t.owner.query(
      `SELECT target_id FROM audit_events WHERE action = 'prompt.updated' AND target_id = ANY($1) ORDER BY seq`,
      [ids],
    );
    expect(audit.rows.map((r: { target_id: string }) => r.target_id)).toEqual([mine1, mine2]);
    const outbox = await t.owner.query(
      `SELECT aggregate_id FROM outbox_events WHERE type = 'prompt.updated' AND aggregate_id = ANY($1)`,
      [ids],
    );
    expect(outbox.rows.map((r: { aggregate_id: string }) => r.aggregate_id).sort()).toEqual(
      [mine1, mine2].sort(),
    );
  });

  it('publishes (OWNER/ADMIN any prompt), setting publishedAt on first publish; VIEWER may not', async () => {
    const a = await createPrompt(editor);
    const b = await createPrompt(editor2);
    const denied = await bulk(viewer, { ids: [a, b], action: 'publish' }).expect(200);
    expect(denied.body).toEqual({
      succeeded: [],
      failed: [
        { id: a, status: 403, detail: expect.any(String) },
        { id: b, status: 403, detail: expect.any(String) },
      ],
    });
    const res = await bulk(admin, { ids: [a, b], action: 'publish' }).expect(200);
    expect(res.body).toEqual({ succeeded: [a, b], failed: [] });
    const { rows } = await t.owner.query(`SELECT status, published_at FROM prompts WHERE id = ANY($1)`, [
      [a, b],
    ]);
    expect(
      rows.every(
        (r: { status: string; published_at: Date | null }) => r.status === 'published' && r.published_at,
      ),
    ).toBe(true);
  });

  it('tags and untags by name, creating missing tags, without new versions', async () => {
    const a = await createPrompt(editor, { tags: ['Existing'] });
    const b = await createPrompt(editor);
    const res = await bulk(editor, { ids: [a, b], action: 'tag', tags: [' existing ', 'Fresh'] }).expect(200);
    expect(res.body).toEqual({ succeeded: [a, b], failed: [] });
    expect(await tagsOf(a)).toEqual(['Existing', 'Fresh']);
    expect(await tagsOf(b)).toEqual(['Existing', 'Fresh']);
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM tags WHERE organization_id = $1 AND lower(name) = 'fresh'`,
      [org],
    );
    expect(rows[0].n).toBe(1);
    const versions = await t.owner.query(`SELECT version FROM prompts WHERE id = ANY($1)`, [[a, b]]);
    expect(versions.rows).toEqual([{ version: 1 }, { version: 1 }]);

    const untag = await bulk(editor, { ids: [a, b], action: 'untag', tags: ['EXISTING'] }).expect(200);
    expect(untag.body.succeeded).toEqual([a, b]);
    expect(await tagsOf(a)).toEqual(['Fresh']);
    expect(await tagsOf(b)).toEqual(['Fresh']);
    // A VIEWER can neither tag nor create tags.
    const viewerTry = await bulk(viewer, { ids: [a], action: 'tag', tags: ['ViewerTag'] }).expect(200);
    expect(viewerTry.body.failed).toEqual([{ id: a, status: 403, detail: expect.any(String) }]);
    expect((await t.owner.query(`SELECT 1 FROM tags WHERE name = 'ViewerTag'`)).rowCount).toBe(0);
  });

  it('moves into a collection and unfiles with null; an unknown collection is a 400 for the whole request', async () => {
    const col = (
      await t.http().post('/api/v1/collections').set(auth(editor, org)).send({ name: 'Inbox' }).expect(201)
    ).body.id as string;
    const a = await createPrompt(editor);
    const b = await createPrompt(editor2);
    const res = await bulk(editor, { ids: [a, b], action: 'move', collectionId: col }).expect(200);
    expect(res.body.succeeded).toEqual([a]);
    expect(res.body.failed).toEqual([{ id: b, status: 403, detail: expect.any(String) }]);
    const placed = await t.owner.query(
      `SELECT id, collection_id FROM prompts WHERE id = ANY($1) ORDER BY id`,
      [[a, b]],
    );
    expect(placed.rows).toEqual(
      [
        { id: a, collection_id: col },
        { id: b, collection_id: null },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );

    await bulk(editor, { ids: [a], action: 'move', collectionId: null }).expect(200);
    expect(
      (await t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [a])).rows[0].collection_id,
    ).toBeNull();

    const foreignCol = (
      await t.http().post('/api/v1/collections').set(auth(outsider)).send({ name: 'Theirs' }).expect(201)
    ).body.id as string;
    for (const collectionId of [foreignCol, randomUUID()]) {
      const bad = await bulk(editor, { ids: [a], action: 'move', collectionId }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'collectionId', message: expect.any(String) }]);
    }
    expect(
      (await t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [a])).rows[0].collection_id,
    ).toBeNull();
  });

  it('deletes: EDITOR their own only, OWNER anyone’s; deleted ids answer 404 afterwards', async () => {
    const mine = await createPrompt(editor);
    const theirs = await createPrompt(editor2);
    const res = await bulk(editor, { ids: [mine, theirs], action: 'delete' }).expect(200);
    expect(res.body).toEqual({
      succeeded: [mine],
      failed: [{ id: theirs, status: 403, detail: expect.any(String) }],
    });
    const left = await t.owner.query(`SELECT id FROM prompts WHERE id = ANY($1)`, [[mine, theirs]]);
    expect(left.rows).toEqual([{ id: theirs }]);
    const outbox = await t.owner.query(
      `SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.deleted'`,
      [mine],
    );
    expect(outbox.rowCount).toBe(1);

    const again = await bulk(owner, { ids: [mine, theirs], action: 'delete' }).expect(200);
    expect(again.body).toEqual({
      succeeded: [theirs],
      failed: [{ id: mine, status: 404, detail: 'Prompt was not found' }],
    });
    expect((await t.owner.query(`SELECT 1 FROM prompts WHERE id = $1`, [theirs])).rowCount).toBe(0);
  });

  it('refuses malformed requests with 400 and changes nothing', async () => {
    const a = await createPrompt(editor);
    const many = Array.from({ length: 101 }, () => randomUUID());
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ids: [], action: 'archive' }, 'ids'],
      [{ ids: many, action: 'archive' }, 'ids'],
      [{ ids: ['nope'], action: 'archive' }, 'ids'],
      [{ ids: [a, a], action: 'archive' }, 'ids'],
      [{ ids: [a], action: 'explode' }, 'action'],
      [{ ids: [a] }, 'action'],
      [{ ids: [a], action: 'tag' }, 'tags'],
      [{ ids: [a], action: 'tag', tags: [] }, 'tags'],
      [{ ids: [a], action: 'tag', tags: ['a,b'] }, 'tags'],
      [{ ids: [a], action: 'archive', tags: ['x'] }, 'tags'],
      [{ ids: [a], action: 'move' }, 'collectionId'],
      [{ ids: [a], action: 'move', collectionId: 'nope' }, 'collectionId'],
      [{ ids: [a], action: 'publish', collectionId: null }, 'collectionId'],
      [{ ids: [a], action: 'publish', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await bulk(editor, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await statusOf([a])).toEqual({ [a]: 'draft' });
  });

  it('needs authentication (401) and membership of the organization (404)', async () => {
    const a = await createPrompt(editor);
    await t
      .http()
      .post('/api/v1/prompts/bulk')
      .set('X-Organization-Id', org)
      .send({ ids: [a], action: 'archive' })
      .expect(401);
    await bulk(outsider, { ids: [a], action: 'archive' }).expect(404);
    // From their own organization the outsider's request reaches nothing of ours.
    const res = await t
      .http()
      .post('/api/v1/prompts/bulk')
      .set(auth(outsider))
      .send({ ids: [a], action: 'delete' })
      .expect(200);
    expect(res.body.failed).toEqual([{ id: a, status: 404, detail: 'Prompt was not found' }]);
    expect(await statusOf([a])).toEqual({ [a]: 'draft' });
  });
});
