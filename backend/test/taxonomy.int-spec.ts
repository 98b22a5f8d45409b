import { auth, bootTestApp, SignedUpUser, signUpTeam, TestApp } from './support/test-app';

/**
 * Tags, categories and nested collections: every route with success, 401, 403 by role, 404 across
 * tenants, 400 and 409, checking the database (rows, audit events, outbox rows) afterwards.
 */
describe('taxonomy', () => {
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

  let seq = 0;
  /** A prompt created through the prompts API (tags by name, as the API takes them). */
  const insertPrompt = async (
    author: SignedUpUser,
    opts: {
      visibility?: 'private' | 'organization';
      categoryId?: string;
      collectionId?: string;
      tags?: string[];
    } = {},
  ): Promise<string> => {
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(author, org))
      .send({ title: `Prompt ${++seq}`, content: 'Hello', ...opts });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const auditCount = async (action: string, targetId: string) =>
    (
      await t.owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = $2 AND target_id = $3`,
        [org, action, targetId],
      )
    ).rows[0].n as number;
  const outboxFor = async (promptIds: string[], since: Date) =>
    (
      await t.owner.query(
        `SELECT aggregate_id, type, aggregate_type FROM outbox_events
          WHERE organization_id = $1 AND aggregate_id = ANY($2) AND created_at >= $3 ORDER BY aggregate_id`,
        [org, promptIds, since],
      )
    ).rows as Array<{ aggregate_id: string; type: string; aggregate_type: string }>;
  const dbNow = async () => (await t.owner.query(`SELECT clock_timestamp() AS now`)).rows[0].now as Date;

  describe('tags', () => {
    const createTag = async (name: string, as = editor) =>
      (await t.http().post('/api/v1/tags').set(auth(as, org)).send({ name }).expect(201)).body as {
        id: string;
        name: string;
      };

    it('creates a tag (EDITOR+), unique regardless of case, audited', async () => {
      const res = await t
        .http()
        .post('/api/v1/tags')
        .set(auth(editor, org))
        .send({ name: '  Summarize ' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Summarize',
        usage: 0,
        createdAt: expect.any(String),
      });
      const { rows } = await t.owner.query(`SELECT organization_id, name FROM tags WHERE id = $1`, [
        res.body.id,
      ]);
      expect(rows).toEqual([{ organization_id: org, name: 'Summarize' }]);
      expect(await auditCount('tag.created', res.body.id)).toBe(1);

      const dup = await t
        .http()
        .post('/api/v1/tags')
        .set(auth(admin, org))
        .send({ name: 'SUMMARIZE' })
        .expect(409);
      expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(dup.body.code).toBe('tag_name_taken');
      expect(dup.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
      // The same name in another organization is no conflict.
      await t.http().post('/api/v1/tags').set(auth(outsider)).send({ name: 'summarize' }).expect(201);
    });

    it('refuses bad input (400), anonymous callers (401), VIEWER (403) and non-members (404)', async () => {
      for (const body of [
        { name: '' },
        { name: 'a,b' },
        { name: 'x'.repeat(51) },
        {},
        { name: 'ok', extra: 1 },
      ]) {
        const res = await t.http().post('/api/v1/tags').set(auth(editor, org)).send(body).expect(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      await t.http().post('/api/v1/tags').set('X-Organization-Id', org).send({ name: 'anon' }).expect(401);
      await t.http().get('/api/v1/tags').set('X-Organization-Id', org).expect(401);
      await t.http().post('/api/v1/tags').set(auth(viewer, org)).send({ name: 'nope' }).expect(403);
      await t.http().post('/api/v1/tags').set(auth(outsider, org)).send({ name: 'nope' }).expect(404);
      await t.http().get('/api/v1/tags').set(auth(outsider, org)).expect(404);
      const { rows } = await t.owner.query(
        `SELECT count(*)::int AS n FROM tags WHERE name IN ('anon', 'nope')`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('lists tags by name with usage counting only prompts the caller can see, paginated', async () => {
      const [alpha, beta, gamma] = [
        await createTag('alpha'),
        await createTag('Beta'),
        await createTag('gamma'),
      ];
      await insertPrompt(editor, { tags: [alpha.name, beta.name] });
      await insertPrompt(editor, { tags: [alpha.name] });
      await insertPrompt(editor2, { tags: [alpha.name], visibility: 'private' });

      const all = await t.http().get('/api/v1/tags?limit=100').set(auth(viewer, org)).expect(200);
      const byName = Object.fromEntries(
        all.body.items.map((i: { name: string; usage: number }) => [i.name, i.usage]),
      );
      expect(byName).toMatchObject({ alpha: 2, Beta: 1, gamma: 0 });
      // editor2 sees their own private prompt too.
      const mine = await t.http().get('/api/v1/tags?q=al').set(auth(editor2, org)).expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ id: alpha.id, usage: 3 })]);
      expect(all.body.items.map((i: { name: string }) => i.name.toLowerCase())).toEqual(
        [...all.body.items.map((i: { name: string }) => i.name.toLowerCase())].sort(),
      );

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t
          .http()
          .get(`/api/v1/tags?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(viewer, org))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
      expect(seen).toContain(gamma.id);

      await t.http().get('/api/v1/tags?cursor=garbage').set(auth(viewer, org)).expect(400);
      await t.http().get('/api/v1/tags?limit=0').set(auth(viewer, org)).expect(400);
      // Another organization's tags never show.
      const theirs = await t.http().get('/api/v1/tags').set(auth(outsider)).expect(200);
      expect(theirs.body.items.map((i: { name: string }) => i.name)).toEqual(['summarize']);
    });

    it('renames a tag (OWNER/ADMIN) and republishes every prompt carrying it, private ones included', async () => {
      const tag = await createTag('draftish');
      const p1 = await insertPrompt(editor, { tags: [tag.name] });
      const p2 = await insertPrompt(editor2, { tags: [tag.name], visibility: 'private' });
      const untouched = await insertPrompt(editor);
      const since = await dbNow();

      await t.http().patch(`/api/v1/tags/${tag.id}`).set(auth(editor, org)).send({ name: 'x' }).expect(403);
      await t.http().patch(`/api/v1/tags/${tag.id}`).set(auth(viewer, org)).send({ name: 'x' }).expect(403);
      await t.http().patch(`/api/v1/tags/${tag.id}`).send({ name: 'x' }).expect(401);
      await t.http().patch(`/api/v1/tags/${tag.id}`).set(auth(admin, org)).send({ name: '' }).expect(400);
      await t.http().patch(`/api/v1/tags/not-a-uuid`).set(auth(admin, org)).send({ name: 'x' }).expect(400);
      await t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(admin, org))
        .send({ name: 'ALPHA' })
        .expect(409);
      // From another organization the tag does not exist.
      await t.http().patch(`/api/v1/tags/${tag.id}`).set(auth(outsider)).send({ name: 'x' }).expect(404);

      const res = await t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(admin, org))
        .send({ name: 'Drafty' })
        .expect(200);
      expect(res.body).toMatchObject({ id: tag.id, name: 'Drafty' });
      expect((await t.owner.query(`SELECT name FROM tags WHERE id = $1`, [tag.id])).rows[0].name).toBe(
        'Drafty',
      );
      const events = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'tag.renamed' AND target_id = $1`,
        [tag.id],
      );
      expect(events.rows).toEqual([{ changes: { from: 'draftish', to: 'Drafty' } }]);
      const outbox = await outboxFor([p1, p2, untouched], since);
      expect(outbox).toEqual(
        [p1, p2].sort().map((id) => ({ aggregate_id: id, type: 'prompt.updated', aggregate_type: 'prompt' })),
      );
    });

    it('deletes a tag (OWNER/ADMIN): it leaves every prompt, the prompts stay', async () => {
      const tag = await createTag('obsolete');
      const p1 = await insertPrompt(editor, { tags: [tag.name] });
      const p2 = await insertPrompt(editor2, { tags: [tag.name], visibility: 'private' });
      const since = await dbNow();

      await t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(editor, org)).expect(403);
      await t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(viewer, org)).expect(403);
      await t.http().delete(`/api/v1/tags/${tag.id}`).expect(401);
      await t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(outsider)).expect(404);
      await t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(owner, org)).expect(204);

      expect((await t.owner.query(`SELECT 1 FROM tags WHERE id = $1`, [tag.id])).rowCount).toBe(0);
      expect((await t.owner.query(`SELECT 1 FROM prompt_tags WHERE tag_id = $1`, [tag.id])).rowCount).toBe(0);
      expect((await t.owner.query(`SELECT 1 FROM prompts WHERE id = ANY($1)`, [[p1, p2]])).rowCount).toBe(2);
      expect(await auditCount('tag.deleted', tag.id)).toBe(1);
      expect((await outboxFor([p1, p2], since)).map((r) => r.aggregate_id)).toEqual([p1, p2].sort());
      await t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(owner, org)).expect(404);
    });
  });

  describe('categories', () => {
    it('every organization starts with the four defaults; lists carry prompt counts, paginated', async () => {
      const res = await t.http().get('/api/v1/categories').set(auth(viewer, org)).expect(200);
      const names = res.body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['Engineering', 'Marketing', 'Sales', 'Support']));
      const engineering = res.body.items.find((c: { name: string }) => c.name === 'Engineering');
      await insertPrompt(editor, { categoryId: engineering.id });
      await insertPrompt(editor2, { categoryId: engineering.id, visibility: 'private' });
      const again = await t.http().get('/api/v1/categories').set(auth(viewer, org)).expect(200);
      expect(again.body.items.find((c: { id: string }) => c.id === engineering.id).promptCount).toBe(1);

      const first = await t.http().get('/api/v1/categories?limit=3').set(auth(viewer, org)).expect(200);
      expect(first.body.items).toHaveLength(3);
      const second = await t
        .http()
        .get(`/api/v1/categories?limit=3&cursor=${first.body.nextCursor}`)
        .set(auth(viewer, org))
        .expect(200);
      expect([...first.body.items, ...second.body.items].map((c: { id: string }) => c.id)).toEqual(
        again.body.items.map((c: { id: string }) => c.id),
      );

      const theirs = await t.http().get('/api/v1/categories').set(auth(outsider)).expect(200);
      expect(theirs.body.items.map((c: { name: string }) => c.name).sort()).toEqual([
        'Engineering',
        'Marketing',
        'Sales',
        'Support',
      ]);
      expect(theirs.body.items.map((c: { id: string }) => c.id)).not.toContain(engineering.id);
      await t.http().get('/api/v1/categories').expect(401);
      await t.http().get('/api/v1/categories').set(auth(outsider, org)).expect(404);
    });

    it('creates and updates categories (OWNER/ADMIN only), names unique regardless of case', async () => {
      await t.http().post('/api/v1/categories').set(auth(editor, org)).send({ name: 'Legal' }).expect(403);
      await t.http().post('/api/v1/categories').set(auth(viewer, org)).send({ name: 'Legal' }).expect(403);
      await t.http().post('/api/v1/categories').send({ name: 'Legal' }).expect(401);
      await t.http().post('/api/v1/categories').set(auth(outsider, org)).send({ name: 'Legal' }).expect(404);
      await t.http().post('/api/v1/categories').set(auth(admin, org)).send({ name: '' }).expect(400);
      await t
        .http()
        .post('/api/v1/categories')
        .set(auth(admin, org))
        .send({ name: 'x', description: 5 })
        .expect(400);
      const taken = await t
        .http()
        .post('/api/v1/categories')
        .set(auth(admin, org))
        .send({ name: 'marketing' })
        .expect(409);
      expect(taken.body.code).toBe('category_name_taken');

      const created = await t
        .http()
        .post('/api/v1/categories')
        .set(auth(admin, org))
        .send({ name: 'Legal', description: 'Contracts' })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'Legal', description: 'Contracts', promptCount: 0 });
      const id = created.body.id as string;
      expect(await auditCount('category.created', id)).toBe(1);

      await t.http().patch(`/api/v1/categories/${id}`).set(auth(editor, org)).send({ name: 'L' }).expect(403);
      await t.http().patch(`/api/v1/categories/${id}`).set(auth(outsider)).send({ name: 'L' }).expect(404);
      await t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(owner, org))
        .send({ name: 'SALES' })
        .expect(409);
      await t.http().patch(`/api/v1/categories/${id}`).set(auth(owner, org)).send({ name: ' ' }).expect(400);
      const updated = await t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(owner, org))
        .send({ name: 'Legal & Compliance', description: null })
        .expect(200);
      expect(updated.body).toMatchObject({ id, name: 'Legal & Compliance', description: null });
      const { rows } = await t.owner.query(`SELECT name, description FROM categories WHERE id = $1`, [id]);
      expect(rows).toEqual([{ name: 'Legal & Compliance', description: null }]);
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'category.updated' AND target_id = $1`,
        [id],
      );
      expect(audit.rows[0].changes).toEqual({
        name: { from: 'Legal', to: 'Legal & Compliance' },
        description: { from: 'Contracts', to: null },
      });
    });

    it('deletes a category (OWNER/ADMIN): its prompts become uncategorized and are republished', async () => {
      const created = await t
        .http()
        .post('/api/v1/categories')
        .set(auth(owner, org))
        .send({ name: 'Temp' })
        .expect(201);
      const id = created.body.id as string;
      const p1 = await insertPrompt(editor, { categoryId: id });
      const p2 = await insertPrompt(editor2, { categoryId: id, visibility: 'private' });
      const since = await dbNow();

      await t.http().delete(`/api/v1/categories/${id}`).set(auth(editor, org)).expect(403);
      await t.http().delete(`/api/v1/categories/${id}`).expect(401);
      await t.http().delete(`/api/v1/categories/${id}`).set(auth(outsider)).expect(404);
      await t.http().delete(`/api/v1/categories/bad`).set(auth(admin, org)).expect(400);
      await t.http().delete(`/api/v1/categories/${id}`).set(auth(admin, org)).expect(204);

      expect((await t.owner.query(`SELECT 1 FROM categories WHERE id = $1`, [id])).rowCount).toBe(0);
      const { rows } = await t.owner.query(`SELECT category_id FROM prompts WHERE id = ANY($1)`, [[p1, p2]]);
      expect(rows).toEqual([{ category_id: null }, { category_id: null }]);
      expect((await outboxFor([p1, p2], since)).map((r) => r.aggregate_id)).toEqual([p1, p2].sort());
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'category.deleted' AND target_id = $1`,
        [id],
      );
      expect(audit.rows).toEqual([{ changes: { name: 'Temp', prompts: 2 } }]);
      await t.http().delete(`/api/v1/categories/${id}`).set(auth(admin, org)).expect(404);
    });
  });

  describe('collections', () => {
    const createCollection = async (as: SignedUpUser, body: Record<string, unknown>) =>
      (await t.http().post('/api/v1/collections').set(auth(as, org)).send(body).expect(201)).body as {
        id: string;
        parentId: string | null;
        createdById: string;
      };

    it('creates nested collections (EDITOR+), names unique among siblings', async () => {
      const root = await t
        .http()
        .post('/api/v1/collections')
        .set(auth(editor, org))
        .send({ name: 'Support', description: 'Helpdesk prompts' })
        .expect(201);
      expect(root.body).toEqual({
        id: expect.any(String),
        name: 'Support',
        description: 'Helpdesk prompts',
        parentId: null,
        createdById: editor.userId,
        promptCount: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const child = await createCollection(editor, { name: 'Refunds', parentId: root.body.id });
      expect(child.parentId).toBe(root.body.id);
      const { rows } = await t.owner.query(`SELECT parent_id, created_by FROM collections WHERE id = $1`, [
        child.id,
      ]);
      expect(rows).toEqual([{ parent_id: root.body.id, created_by: editor.userId }]);
      expect(await auditCount('collection.created', child.id)).toBe(1);

      // Same name: a sibling conflicts (in any case), a cousin does not.
      await t.http().post('/api/v1/collections').set(auth(admin, org)).send({ name: 'support' }).expect(409);
      await t
        .http()
        .post('/api/v1/collections')
        .set(auth(admin, org))
        .send({ name: 'REFUNDS', parentId: root.body.id })
        .expect(409);
      await createCollection(admin, { name: 'Support', parentId: root.body.id });

      await t.http().post('/api/v1/collections').set(auth(viewer, org)).send({ name: 'V' }).expect(403);
      await t.http().post('/api/v1/collections').send({ name: 'V' }).expect(401);
      await t.http().post('/api/v1/collections').set(auth(outsider, org)).send({ name: 'V' }).expect(404);
      await t.http().post('/api/v1/collections').set(auth(editor, org)).send({ name: '' }).expect(400);
      await t
        .http()
        .post('/api/v1/collections')
        .set(auth(editor, org))
        .send({ name: 'V', parentId: 'x' })
        .expect(400);
      // A parent from another organization is as absent as a made-up one.
      const foreign = await t
        .http()
        .post('/api/v1/collections')
        .set(auth(outsider))
        .send({ name: 'Theirs' })
        .expect(201);
      await t
        .http()
        .post('/api/v1/collections')
        .set(auth(editor, org))
        .send({ name: 'V', parentId: foreign.body.id })
        .expect(404);
    });

    it('lists the whole tree flat, with prompt counts the caller can see', async () => {
      const box = await createCollection(editor, { name: 'Counted' });
      await insertPrompt(editor, { collectionId: box.id });
      await insertPrompt(editor2, { collectionId: box.id, visibility: 'private' });
      const res = await t.http().get('/api/v1/collections').set(auth(viewer, org)).expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.find((c: { id: string }) => c.id === box.id).promptCount).toBe(1);
      const names = res.body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['Support', 'Refunds', 'Counted']));
      expect(names).not.toContain('Theirs');
      await t.http().get('/api/v1/collections').expect(401);
      await t.http().get('/api/v1/collections').set(auth(outsider, org)).expect(404);
    });

    it('edits and moves: creator or OWNER/ADMIN; never under itself or a descendant', async () => {
      const a = await createCollection(editor, { name: 'A' });
      const b = await createCollection(editor, { name: 'B', parentId: a.id });
      const c = await createCollection(editor, { name: 'C', parentId: b.id });
      const other = await createCollection(editor2, { name: 'Other' });

      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(editor2, org))
        .send({ name: 'Mine' })
        .expect(403);
      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(viewer, org))
        .send({ name: 'Mine' })
        .expect(403);
      await t.http().patch(`/api/v1/collections/${a.id}`).send({ name: 'Mine' }).expect(401);
      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(outsider))
        .send({ name: 'Mine' })
        .expect(404);
      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(editor, org))
        .send({ name: 7 })
        .expect(400);
      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(editor, org))
        .send({ parentId: 'nope' })
        .expect(400);

      for (const target of [a.id, b.id, c.id]) {
        const res = await t
          .http()
          .patch(`/api/v1/collections/${a.id}`)
          .set(auth(editor, org))
          .send({ parentId: target })
          .expect(409);
        expect(res.body.code).toBe('collection_cycle');
        expect(res.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
      }
      await t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(editor, org))
        .send({ parentId: '00000000-0000-4000-8000-000000000000' })
        .expect(404);

      // The creator renames; an ADMIN moves someone else's collection; moving back to the top works.
      const renamed = await t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(editor, org))
        .send({ name: 'Bee', description: 'buzz' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Bee', description: 'buzz', parentId: a.id });
      const moved = await t
        .http()
        .patch(`/api/v1/collections/${c.id}`)
        .set(auth(admin, org))
        .send({ parentId: other.id })
        .expect(200);
      expect(moved.body.parentId).toBe(other.id);
      const top = await t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(editor, org))
        .send({ parentId: null })
        .expect(200);
      expect(top.body.parentId).toBeNull();
      const { rows } = await t.owner.query(
        `SELECT id, parent_id FROM collections WHERE id = ANY($1) ORDER BY name`,
        [[b.id, c.id]],
      );
      expect(rows).toEqual([
        { id: b.id, parent_id: null },
        { id: c.id, parent_id: other.id },
      ]);
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'collection.updated' AND target_id = $1`,
        [c.id],
      );
      expect(audit.rows).toEqual([{ changes: { parentId: { from: b.id, to: other.id } } }]);
      // Moving next to a sibling with the same name conflicts.
      await createCollection(editor, { name: 'Bee', parentId: other.id });
      const sibling = await t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(editor, org))
        .send({ parentId: other.id })
        .expect(409);
      expect(sibling.body.code).toBe('collection_name_taken');
    });

    it('deletes an empty collection; one with children or prompts needs ?cascade=true (409 otherwise)', async () => {
      const empty = await createCollection(editor, { name: 'Empty' });
      await t.http().delete(`/api/v1/collections/${empty.id}`).set(auth(editor2, org)).expect(403);
      await t.http().delete(`/api/v1/collections/${empty.id}`).set(auth(viewer, org)).expect(403);
      await t.http().delete(`/api/v1/collections/${empty.id}`).expect(401);
      await t.http().delete(`/api/v1/collections/${empty.id}`).set(auth(outsider)).expect(404);
      await t
        .http()
        .delete(`/api/v1/collections/${empty.id}?cascade=maybe`)
        .set(auth(editor, org))
        .expect(400);
      await t.http().delete(`/api/v1/collections/${empty.id}`).set(auth(editor, org)).expect(204);
      expect((await t.owner.query(`SELECT 1 FROM collections WHERE id = $1`, [empty.id])).rowCount).toBe(0);
      expect(await auditCount('collection.deleted', empty.id)).toBe(1);

      const withChild = await createCollection(editor, { name: 'Parent' });
      await createCollection(editor, { name: 'Kid', parentId: withChild.id });
      const withPrompt = await createCollection(editor, { name: 'Holder' });
      const hidden = await insertPrompt(editor2, { collectionId: withPrompt.id, visibility: 'private' });
      for (const id of [withChild.id, withPrompt.id]) {
        const res = await t.http().delete(`/api/v1/collections/${id}`).set(auth(admin, org)).expect(409);
        expect(res.body.detail).toMatch(/cascade=true/);
        expect(res.body.code).toBe('collection_not_empty');
      }
      // A private prompt the caller cannot see still counts: it would otherwise be unfiled silently.
      expect(
        (await t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [hidden])).rows[0],
      ).toEqual({
        collection_id: withPrompt.id,
      });
    });

    it('cascade deletes the subtree and unfiles its prompts (never deletes them)', async () => {
      const root = await createCollection(editor, { name: 'Tree' });
      const mid = await createCollection(editor, { name: 'Mid', parentId: root.id });
      const leaf = await createCollection(editor, { name: 'Leaf', parentId: mid.id });
      const foreignLeaf = await createCollection(editor2, { name: 'Theirs', parentId: mid.id });
      const p1 = await insertPrompt(editor, { collectionId: root.id });
      const p2 = await insertPrompt(editor, { collectionId: leaf.id });
      const p3 = await insertPrompt(editor2, { collectionId: foreignLeaf.id, visibility: 'private' });
      const since = await dbNow();

      // The EDITOR created the root but not every sub-collection: not allowed to take them all.
      await t.http().delete(`/api/v1/collections/${root.id}?cascade=true`).set(auth(editor, org)).expect(403);
      expect((await t.owner.query(`SELECT 1 FROM collections WHERE id = $1`, [root.id])).rowCount).toBe(1);

      await t.http().delete(`/api/v1/collections/${root.id}?cascade=true`).set(auth(admin, org)).expect(204);
      const left = await t.owner.query(`SELECT id FROM collections WHERE id = ANY($1)`, [
        [root.id, mid.id, leaf.id, foreignLeaf.id],
      ]);
      expect(left.rowCount).toBe(0);
      const prompts = await t.owner.query(
        `SELECT id, collection_id FROM prompts WHERE id = ANY($1) ORDER BY id`,
        [[p1, p2, p3]],
      );
      expect(prompts.rows).toEqual([p1, p2, p3].sort().map((id) => ({ id, collection_id: null })));
      expect((await outboxFor([p1, p2, p3], since)).map((r) => r.aggregate_id)).toEqual([p1, p2, p3].sort());
      const audit = await t.owner.query(
        `SELECT target_id, changes FROM audit_events WHERE action = 'collection.deleted' AND target_id = ANY($1)`,
        [[root.id, mid.id, leaf.id, foreignLeaf.id]],
      );
      expect(audit.rowCount).toBe(4);
      expect(audit.rows.find((r: { target_id: string }) => r.target_id === root.id).changes).toMatchObject({
        cascade: true,
        subCollections: 3,
        unfiledPrompts: 3,
      });
      await t.http().delete(`/api/v1/collections/${root.id}?cascade=true`).set(auth(admin, org)).expect(404);
    });
  });

  it('row-level security keeps taxonomy rows inside their organization', async () => {
    const client = await t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`,
        [outsider.organizationId, outsider.userId],
      );
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM tags WHERE organization_id = $1)::int AS tags,
                (SELECT count(*) FROM categories WHERE organization_id = $1)::int AS categories,
                (SELECT count(*) FROM collections WHERE organization_id = $1)::int AS collections`,
        [org],
      );
      expect(rows[0]).toEqual({ tags: 0, categories: 0, collections: 0 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
