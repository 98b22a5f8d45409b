import { randomUUID } from 'node:crypto';
import { auth, SignedUpUser, useTeamApp } from './support/test-app';

/** POST /prompts/bulk: per-id rights and results, each id in its own savepoint. */
describe('bulk prompt actions', () => {
  const suite = useTeamApp();

  let n = 0;
  const createPrompt = async (
    as: SignedUpUser,
    body: Record<string, unknown> = {},
    organizationId = suite.org,
  ): Promise<string> => {
    const res = await suite.t
      .http()
      .post('/api/v1/prompts')
      .set(auth(as, organizationId))
      .send({ title: `Bulk ${++n}`, content: 'Do {{thing}}', ...body });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const bulk = (as: SignedUpUser, body: Record<string, unknown>) =>
    suite.t.http().post('/api/v1/prompts/bulk').set(auth(as, suite.org)).send(body);
  const statusOf = async (ids: string[]) =>
    Object.fromEntries(
      (await suite.t.owner.query(`SELECT id, status FROM prompts WHERE id = ANY($1)`, [ids])).rows.map(
        (r: { id: string; status: string }) => [r.id, r.status],
      ),
    ) as Record<string, string>;
  const tagsOf = async (id: string) =>
    (
      await suite.t.owner.query(
        `SELECT t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1 ORDER BY lower(t.name)`,
        [id],
      )
    ).rows.map((r: { name: string }) => r.name);

  it('reports per id: applied to what the caller may change, 403/404 for the rest, nothing undone', async () => {
    const mine1 = await createPrompt(suite.editor);
    const theirs = await createPrompt(suite.editor2);
    const hidden = await createPrompt(suite.editor2, { visibility: 'private' });
    const mine2 = await createPrompt(suite.editor);
    const foreign = await createPrompt(suite.outsider, {}, suite.outsider.organizationId);
    const missing = randomUUID();
    const ids = [mine1, theirs, hidden, foreign, missing, mine2];

    const res = await bulk(suite.editor, { ids, action: 'archive' }).expect(200);
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
    const audit = await suite.t.owner.query(
      `SELECT target_id FROM audit_events WHERE action = 'prompt.updated' AND target_id = ANY($1) ORDER BY seq`,
      [ids],
    );
    expect(audit.rows.map((r: { target_id: string }) => r.target_id)).toEqual([mine1, mine2]);
    const outbox = await suite.t.owner.query(
      `SELECT aggregate_id FROM outbox_events WHERE type = 'prompt.updated' AND aggregate_id = ANY($1)`,
      [ids],
    );
    expect(outbox.rows.map((r: { aggregate_id: string }) => r.aggregate_id).sort()).toEqual(
      [mine1, mine2].sort(),
    );
  });

  it('publishes (OWNER/ADMIN any prompt), setting publishedAt on first publish; VIEWER may not', async () => {
    const a = await createPrompt(suite.editor);
    const b = await createPrompt(suite.editor2);
    const denied = await bulk(suite.viewer, { ids: [a, b], action: 'publish' }).expect(200);
    expect(denied.body).toEqual({
      succeeded: [],
      failed: [
        { id: a, status: 403, detail: expect.any(String) },
        { id: b, status: 403, detail: expect.any(String) },
      ],
    });
    const res = await bulk(suite.admin, { ids: [a, b], action: 'publish' }).expect(200);
    expect(res.body).toEqual({ succeeded: [a, b], failed: [] });
    const { rows } = await suite.t.owner.query(
      `SELECT status, published_at FROM prompts WHERE id = ANY($1)`,
      [[a, b]],
    );
    expect(
      rows.every(
        (r: { status: string; published_at: Date | null }) => r.status === 'published' && r.published_at,
      ),
    ).toBe(true);
  });

  it('tags and untags by name, creating missing tags, without new versions', async () => {
    const a = await createPrompt(suite.editor, { tags: ['Existing'] });
    const b = await createPrompt(suite.editor);
    const res = await bulk(suite.editor, {
      ids: [a, b],
      action: 'tag',
      tags: [' existing ', 'Fresh'],
    }).expect(200);
    expect(res.body).toEqual({ succeeded: [a, b], failed: [] });
    expect(await tagsOf(a)).toEqual(['Existing', 'Fresh']);
    expect(await tagsOf(b)).toEqual(['Existing', 'Fresh']);
    const { rows } = await suite.t.owner.query(
      `SELECT count(*)::int AS n FROM tags WHERE organization_id = $1 AND lower(name) = 'fresh'`,
      [suite.org],
    );
    expect(rows[0].n).toBe(1);
    const versions = await suite.t.owner.query(`SELECT version FROM prompts WHERE id = ANY($1)`, [[a, b]]);
    expect(versions.rows).toEqual([{ version: 1 }, { version: 1 }]);

    const untag = await bulk(suite.editor, { ids: [a, b], action: 'untag', tags: ['EXISTING'] }).expect(200);
    expect(untag.body.succeeded).toEqual([a, b]);
    expect(await tagsOf(a)).toEqual(['Fresh']);
    expect(await tagsOf(b)).toEqual(['Fresh']);
    // A VIEWER can neither tag nor create tags.
    const viewerTry = await bulk(suite.viewer, { ids: [a], action: 'tag', tags: ['ViewerTag'] }).expect(200);
    expect(viewerTry.body.failed).toEqual([{ id: a, status: 403, detail: expect.any(String) }]);
    expect((await suite.t.owner.query(`SELECT 1 FROM tags WHERE name = 'ViewerTag'`)).rowCount).toBe(0);
  });

  it('moves into a collection and unfiles with null; an unknown collection is a 400 for the whole request', async () => {
    const col = (
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.editor, suite.org))
        .send({ name: 'Inbox' })
        .expect(201)
    ).body.id as string;
    const a = await createPrompt(suite.editor);
    const b = await createPrompt(suite.editor2);
    const res = await bulk(suite.editor, { ids: [a, b], action: 'move', collectionId: col }).expect(200);
    expect(res.body.succeeded).toEqual([a]);
    expect(res.body.failed).toEqual([{ id: b, status: 403, detail: expect.any(String) }]);
    const placed = await suite.t.owner.query(
      `SELECT id, collection_id FROM prompts WHERE id = ANY($1) ORDER BY id`,
      [[a, b]],
    );
    expect(placed.rows).toEqual(
      [
        { id: a, collection_id: col },
        { id: b, collection_id: null },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );

    await bulk(suite.editor, { ids: [a], action: 'move', collectionId: null }).expect(200);
    expect(
      (await suite.t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [a])).rows[0]
        .collection_id,
    ).toBeNull();

    const foreignCol = (
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.outsider))
        .send({ name: 'Theirs' })
        .expect(201)
    ).body.id as string;
    for (const collectionId of [foreignCol, randomUUID()]) {
      const bad = await bulk(suite.editor, { ids: [a], action: 'move', collectionId }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'collectionId', message: expect.any(String) }]);
    }
    expect(
      (await suite.t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [a])).rows[0]
        .collection_id,
    ).toBeNull();
  });

  it('deletes: EDITOR their own only, OWNER anyone’s; deleted ids answer 404 afterwards', async () => {
    const mine = await createPrompt(suite.editor);
    const theirs = await createPrompt(suite.editor2);
    const res = await bulk(suite.editor, { ids: [mine, theirs], action: 'delete' }).expect(200);
    expect(res.body).toEqual({
      succeeded: [mine],
      failed: [{ id: theirs, status: 403, detail: expect.any(String) }],
    });
    const left = await suite.t.owner.query(`SELECT id FROM prompts WHERE id = ANY($1)`, [[mine, theirs]]);
    expect(left.rows).toEqual([{ id: theirs }]);
    const outbox = await suite.t.owner.query(
      `SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.deleted'`,
      [mine],
    );
    expect(outbox.rowCount).toBe(1);

    const again = await bulk(suite.owner, { ids: [mine, theirs], action: 'delete' }).expect(200);
    expect(again.body).toEqual({
      succeeded: [theirs],
      failed: [{ id: mine, status: 404, detail: 'Prompt was not found' }],
    });
    expect((await suite.t.owner.query(`SELECT 1 FROM prompts WHERE id = $1`, [theirs])).rowCount).toBe(0);
  });

  it('refuses malformed requests with 400 and changes nothing', async () => {
    const a = await createPrompt(suite.editor);
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
      const res = await bulk(suite.editor, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await statusOf([a])).toEqual({ [a]: 'draft' });
  });

  it('needs authentication (401) and membership of the organization (404)', async () => {
    const a = await createPrompt(suite.editor);
    await suite.t
      .http()
      .post('/api/v1/prompts/bulk')
      .set('X-Organization-Id', suite.org)
      .send({ ids: [a], action: 'archive' })
      .expect(401);
    await bulk(suite.outsider, { ids: [a], action: 'archive' }).expect(404);
    // From their own organization the outsider's request reaches nothing of ours.
    const res = await suite.t
      .http()
      .post('/api/v1/prompts/bulk')
      .set(auth(suite.outsider))
      .send({ ids: [a], action: 'delete' })
      .expect(200);
    expect(res.body.failed).toEqual([{ id: a, status: 404, detail: 'Prompt was not found' }]);
    expect(await statusOf([a])).toEqual({ [a]: 'draft' });
  });
});
