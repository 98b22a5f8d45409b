import { auth, SignedUpUser, useTeamApp } from './support/test-app';

/**
 * Tags, categories and nested collections: every route with success, 401, 403 by role, 404 across
 * tenants, 400 and 409, checking the database (rows, audit events, outbox rows) afterwards.
 */
describe('taxonomy', () => {
  const suite = useTeamApp();

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
    const res = await suite.t
      .http()
      .post('/api/v1/prompts')
      .set(auth(author, suite.org))
      .send({ title: `Prompt ${++seq}`, content: 'Hello', ...opts });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const auditCount = async (action: string, targetId: string) =>
    (
      await suite.t.owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = $2 AND target_id = $3`,
        [suite.org, action, targetId],
      )
    ).rows[0].n as number;
  const outboxFor = async (promptIds: string[], since: Date) =>
    (
      await suite.t.owner.query(
        `SELECT aggregate_id, type, aggregate_type FROM outbox_events
          WHERE organization_id = $1 AND aggregate_id = ANY($2) AND created_at >= $3 ORDER BY aggregate_id`,
        [suite.org, promptIds, since],
      )
    ).rows as Array<{ aggregate_id: string; type: string; aggregate_type: string }>;
  const dbNow = async () =>
    (await suite.t.owner.query(`SELECT clock_timestamp() AS now`)).rows[0].now as Date;

  describe('tags', () => {
    const createTag = async (name: string, as = suite.editor) =>
      (await suite.t.http().post('/api/v1/tags').set(auth(as, suite.org)).send({ name }).expect(201))
        .body as {
        id: string;
        name: string;
      };

    it('creates a tag (EDITOR+), unique regardless of case, audited', async () => {
      const res = await suite.t
        .http()
        .post('/api/v1/tags')
        .set(auth(suite.editor, suite.org))
        .send({ name: '  Summarize ' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Summarize',
        usage: 0,
        createdAt: expect.any(String),
      });
      const { rows } = await suite.t.owner.query(`SELECT organization_id, name FROM tags WHERE id = $1`, [
        res.body.id,
      ]);
      expect(rows).toEqual([{ organization_id: suite.org, name: 'Summarize' }]);
      expect(await auditCount('tag.created', res.body.id)).toBe(1);

      const dup = await suite.t
        .http()
        .post('/api/v1/tags')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'SUMMARIZE' })
        .expect(409);
      expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(dup.body.code).toBe('tag_name_taken');
      expect(dup.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
      // The same name in another organization is no conflict.
      await suite.t
        .http()
        .post('/api/v1/tags')
        .set(auth(suite.outsider))
        .send({ name: 'summarize' })
        .expect(201);
    });

    it('refuses bad input (400), anonymous callers (401), VIEWER (403) and non-members (404)', async () => {
      for (const body of [
        { name: '' },
        { name: 'a,b' },
        { name: 'x'.repeat(51) },
        {},
        { name: 'ok', extra: 1 },
      ]) {
        const res = await suite.t
          .http()
          .post('/api/v1/tags')
          .set(auth(suite.editor, suite.org))
          .send(body)
          .expect(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      await suite.t
        .http()
        .post('/api/v1/tags')
        .set('X-Organization-Id', suite.org)
        .send({ name: 'anon' })
        .expect(401);
      await suite.t.http().get('/api/v1/tags').set('X-Organization-Id', suite.org).expect(401);
      await suite.t
        .http()
        .post('/api/v1/tags')
        .set(auth(suite.viewer, suite.org))
        .send({ name: 'nope' })
        .expect(403);
      await suite.t
        .http()
        .post('/api/v1/tags')
        .set(auth(suite.outsider, suite.org))
        .send({ name: 'nope' })
        .expect(404);
      await suite.t.http().get('/api/v1/tags').set(auth(suite.outsider, suite.org)).expect(404);
      const { rows } = await suite.t.owner.query(
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
      await insertPrompt(suite.editor, { tags: [alpha.name, beta.name] });
      await insertPrompt(suite.editor, { tags: [alpha.name] });
      await insertPrompt(suite.editor2, { tags: [alpha.name], visibility: 'private' });

      const all = await suite.t
        .http()
        .get('/api/v1/tags?limit=100')
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      const byName = Object.fromEntries(
        all.body.items.map((i: { name: string; usage: number }) => [i.name, i.usage]),
      );
      expect(byName).toMatchObject({ alpha: 2, Beta: 1, gamma: 0 });
      // editor2 sees their own private prompt too.
      const mine = await suite.t
        .http()
        .get('/api/v1/tags?q=al')
        .set(auth(suite.editor2, suite.org))
        .expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ id: alpha.id, usage: 3 })]);
      expect(all.body.items.map((i: { name: string }) => i.name.toLowerCase())).toEqual(
        [...all.body.items.map((i: { name: string }) => i.name.toLowerCase())].sort(),
      );

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await suite.t
          .http()
          .get(`/api/v1/tags?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(suite.viewer, suite.org))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
      expect(seen).toContain(gamma.id);

      await suite.t.http().get('/api/v1/tags?cursor=garbage').set(auth(suite.viewer, suite.org)).expect(400);
      await suite.t.http().get('/api/v1/tags?limit=0').set(auth(suite.viewer, suite.org)).expect(400);
      // Another organization's tags never show.
      const theirs = await suite.t.http().get('/api/v1/tags').set(auth(suite.outsider)).expect(200);
      expect(theirs.body.items.map((i: { name: string }) => i.name)).toEqual(['summarize']);
    });

    it('renames a tag (OWNER/ADMIN) and republishes every prompt carrying it, private ones included', async () => {
      const tag = await createTag('draftish');
      const p1 = await insertPrompt(suite.editor, { tags: [tag.name] });
      const p2 = await insertPrompt(suite.editor2, { tags: [tag.name], visibility: 'private' });
      const untouched = await insertPrompt(suite.editor);
      const since = await dbNow();

      await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ name: 'x' })
        .expect(403);
      await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.viewer, suite.org))
        .send({ name: 'x' })
        .expect(403);
      await suite.t.http().patch(`/api/v1/tags/${tag.id}`).send({ name: 'x' }).expect(401);
      await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.admin, suite.org))
        .send({ name: '' })
        .expect(400);
      await suite.t
        .http()
        .patch(`/api/v1/tags/not-a-uuid`)
        .set(auth(suite.admin, suite.org))
        .send({ name: 'x' })
        .expect(400);
      await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.admin, suite.org))
        .send({ name: 'ALPHA' })
        .expect(409);
      // From another organization the tag does not exist.
      await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.outsider))
        .send({ name: 'x' })
        .expect(404);

      const res = await suite.t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(suite.admin, suite.org))
        .send({ name: 'Drafty' })
        .expect(200);
      expect(res.body).toMatchObject({ id: tag.id, name: 'Drafty' });
      expect((await suite.t.owner.query(`SELECT name FROM tags WHERE id = $1`, [tag.id])).rows[0].name).toBe(
        'Drafty',
      );
      const events = await suite.t.owner.query(
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
      const p1 = await insertPrompt(suite.editor, { tags: [tag.name] });
      const p2 = await insertPrompt(suite.editor2, { tags: [tag.name], visibility: 'private' });
      const since = await dbNow();

      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(suite.editor, suite.org)).expect(403);
      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(suite.viewer, suite.org)).expect(403);
      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).expect(401);
      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(suite.outsider)).expect(404);
      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(suite.owner, suite.org)).expect(204);

      expect((await suite.t.owner.query(`SELECT 1 FROM tags WHERE id = $1`, [tag.id])).rowCount).toBe(0);
      expect(
        (await suite.t.owner.query(`SELECT 1 FROM prompt_tags WHERE tag_id = $1`, [tag.id])).rowCount,
      ).toBe(0);
      expect(
        (await suite.t.owner.query(`SELECT 1 FROM prompts WHERE id = ANY($1)`, [[p1, p2]])).rowCount,
      ).toBe(2);
      expect(await auditCount('tag.deleted', tag.id)).toBe(1);
      expect((await outboxFor([p1, p2], since)).map((r) => r.aggregate_id)).toEqual([p1, p2].sort());
      await suite.t.http().delete(`/api/v1/tags/${tag.id}`).set(auth(suite.owner, suite.org)).expect(404);
    });
  });

  describe('categories', () => {
    it('every organization starts with the four defaults; lists carry prompt counts, paginated', async () => {
      const res = await suite.t
        .http()
        .get('/api/v1/categories')
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      const names = res.body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['Engineering', 'Marketing', 'Sales', 'Support']));
      const engineering = res.body.items.find((c: { name: string }) => c.name === 'Engineering');
      await insertPrompt(suite.editor, { categoryId: engineering.id });
      await insertPrompt(suite.editor2, { categoryId: engineering.id, visibility: 'private' });
      const again = await suite.t
        .http()
        .get('/api/v1/categories')
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      expect(again.body.items.find((c: { id: string }) => c.id === engineering.id).promptCount).toBe(1);

      const first = await suite.t
        .http()
        .get('/api/v1/categories?limit=3')
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      expect(first.body.items).toHaveLength(3);
      const second = await suite.t
        .http()
        .get(`/api/v1/categories?limit=3&cursor=${first.body.nextCursor}`)
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      expect([...first.body.items, ...second.body.items].map((c: { id: string }) => c.id)).toEqual(
        again.body.items.map((c: { id: string }) => c.id),
      );

      const theirs = await suite.t.http().get('/api/v1/categories').set(auth(suite.outsider)).expect(200);
      expect(theirs.body.items.map((c: { name: string }) => c.name).sort()).toEqual([
        'Engineering',
        'Marketing',
        'Sales',
        'Support',
      ]);
      expect(theirs.body.items.map((c: { id: string }) => c.id)).not.toContain(engineering.id);
      await suite.t.http().get('/api/v1/categories').expect(401);
      await suite.t.http().get('/api/v1/categories').set(auth(suite.outsider, suite.org)).expect(404);
    });

    it('creates and updates categories (OWNER/ADMIN only), names unique regardless of case', async () => {
      await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.editor, suite.org))
        .send({ name: 'Legal' })
        .expect(403);
      await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.viewer, suite.org))
        .send({ name: 'Legal' })
        .expect(403);
      await suite.t.http().post('/api/v1/categories').send({ name: 'Legal' }).expect(401);
      await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.outsider, suite.org))
        .send({ name: 'Legal' })
        .expect(404);
      await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.admin, suite.org))
        .send({ name: '' })
        .expect(400);
      await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'x', description: 5 })
        .expect(400);
      const taken = await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'marketing' })
        .expect(409);
      expect(taken.body.code).toBe('category_name_taken');

      const created = await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'Legal', description: 'Contracts' })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'Legal', description: 'Contracts', promptCount: 0 });
      const id = created.body.id as string;
      expect(await auditCount('category.created', id)).toBe(1);

      await suite.t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(suite.editor, suite.org))
        .send({ name: 'L' })
        .expect(403);
      await suite.t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(suite.outsider))
        .send({ name: 'L' })
        .expect(404);
      await suite.t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(suite.owner, suite.org))
        .send({ name: 'SALES' })
        .expect(409);
      await suite.t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(suite.owner, suite.org))
        .send({ name: ' ' })
        .expect(400);
      const updated = await suite.t
        .http()
        .patch(`/api/v1/categories/${id}`)
        .set(auth(suite.owner, suite.org))
        .send({ name: 'Legal & Compliance', description: null })
        .expect(200);
      expect(updated.body).toMatchObject({ id, name: 'Legal & Compliance', description: null });
      const { rows } = await suite.t.owner.query(`SELECT name, description FROM categories WHERE id = $1`, [
        id,
      ]);
      expect(rows).toEqual([{ name: 'Legal & Compliance', description: null }]);
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'category.updated' AND target_id = $1`,
        [id],
      );
      expect(audit.rows[0].changes).toEqual({
        name: { from: 'Legal', to: 'Legal & Compliance' },
        description: { from: 'Contracts', to: null },
      });
    });

    it('deletes a category (OWNER/ADMIN): its prompts become uncategorized and are republished', async () => {
      const created = await suite.t
        .http()
        .post('/api/v1/categories')
        .set(auth(suite.owner, suite.org))
        .send({ name: 'Temp' })
        .expect(201);
      const id = created.body.id as string;
      const p1 = await insertPrompt(suite.editor, { categoryId: id });
      const p2 = await insertPrompt(suite.editor2, { categoryId: id, visibility: 'private' });
      const since = await dbNow();

      await suite.t.http().delete(`/api/v1/categories/${id}`).set(auth(suite.editor, suite.org)).expect(403);
      await suite.t.http().delete(`/api/v1/categories/${id}`).expect(401);
      await suite.t.http().delete(`/api/v1/categories/${id}`).set(auth(suite.outsider)).expect(404);
      await suite.t.http().delete(`/api/v1/categories/bad`).set(auth(suite.admin, suite.org)).expect(400);
      await suite.t.http().delete(`/api/v1/categories/${id}`).set(auth(suite.admin, suite.org)).expect(204);

      expect((await suite.t.owner.query(`SELECT 1 FROM categories WHERE id = $1`, [id])).rowCount).toBe(0);
      const { rows } = await suite.t.owner.query(`SELECT category_id FROM prompts WHERE id = ANY($1)`, [
        [p1, p2],
      ]);
      expect(rows).toEqual([{ category_id: null }, { category_id: null }]);
      expect((await outboxFor([p1, p2], since)).map((r) => r.aggregate_id)).toEqual([p1, p2].sort());
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'category.deleted' AND target_id = $1`,
        [id],
      );
      expect(audit.rows).toEqual([{ changes: { name: 'Temp', prompts: 2 } }]);
      await suite.t.http().delete(`/api/v1/categories/${id}`).set(auth(suite.admin, suite.org)).expect(404);
    });
  });

  describe('collections', () => {
    const createCollection = async (as: SignedUpUser, body: Record<string, unknown>) =>
      (await suite.t.http().post('/api/v1/collections').set(auth(as, suite.org)).send(body).expect(201))
        .body as {
        id: string;
        parentId: string | null;
        createdById: string;
      };

    it('creates nested collections (EDITOR+), names unique among siblings', async () => {
      const root = await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.editor, suite.org))
        .send({ name: 'Support', description: 'Helpdesk prompts' })
        .expect(201);
      expect(root.body).toEqual({
        id: expect.any(String),
        name: 'Support',
        description: 'Helpdesk prompts',
        parentId: null,
        createdById: suite.editor.userId,
        promptCount: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const child = await createCollection(suite.editor, { name: 'Refunds', parentId: root.body.id });
      expect(child.parentId).toBe(root.body.id);
      const { rows } = await suite.t.owner.query(
        `SELECT parent_id, created_by FROM collections WHERE id = $1`,
        [child.id],
      );
      expect(rows).toEqual([{ parent_id: root.body.id, created_by: suite.editor.userId }]);
      expect(await auditCount('collection.created', child.id)).toBe(1);

      // Same name: a sibling conflicts (in any case), a cousin does not.
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'support' })
        .expect(409);
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.admin, suite.org))
        .send({ name: 'REFUNDS', parentId: root.body.id })
        .expect(409);
      await createCollection(suite.admin, { name: 'Support', parentId: root.body.id });

      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.viewer, suite.org))
        .send({ name: 'V' })
        .expect(403);
      await suite.t.http().post('/api/v1/collections').send({ name: 'V' }).expect(401);
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.outsider, suite.org))
        .send({ name: 'V' })
        .expect(404);
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.editor, suite.org))
        .send({ name: '' })
        .expect(400);
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.editor, suite.org))
        .send({ name: 'V', parentId: 'x' })
        .expect(400);
      // A parent from another organization is as absent as a made-up one.
      const foreign = await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.outsider))
        .send({ name: 'Theirs' })
        .expect(201);
      await suite.t
        .http()
        .post('/api/v1/collections')
        .set(auth(suite.editor, suite.org))
        .send({ name: 'V', parentId: foreign.body.id })
        .expect(404);
    });

    it('lists the whole tree flat, with prompt counts the caller can see', async () => {
      const box = await createCollection(suite.editor, { name: 'Counted' });
      await insertPrompt(suite.editor, { collectionId: box.id });
      await insertPrompt(suite.editor2, { collectionId: box.id, visibility: 'private' });
      const res = await suite.t
        .http()
        .get('/api/v1/collections')
        .set(auth(suite.viewer, suite.org))
        .expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.find((c: { id: string }) => c.id === box.id).promptCount).toBe(1);
      const names = res.body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['Support', 'Refunds', 'Counted']));
      expect(names).not.toContain('Theirs');
      await suite.t.http().get('/api/v1/collections').expect(401);
      await suite.t.http().get('/api/v1/collections').set(auth(suite.outsider, suite.org)).expect(404);
    });

    it('edits and moves: creator or OWNER/ADMIN; never under itself or a descendant', async () => {
      const a = await createCollection(suite.editor, { name: 'A' });
      const b = await createCollection(suite.editor, { name: 'B', parentId: a.id });
      const c = await createCollection(suite.editor, { name: 'C', parentId: b.id });
      const other = await createCollection(suite.editor2, { name: 'Other' });

      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.editor2, suite.org))
        .send({ name: 'Mine' })
        .expect(403);
      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.viewer, suite.org))
        .send({ name: 'Mine' })
        .expect(403);
      await suite.t.http().patch(`/api/v1/collections/${a.id}`).send({ name: 'Mine' }).expect(401);
      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.outsider))
        .send({ name: 'Mine' })
        .expect(404);
      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ name: 7 })
        .expect(400);
      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ parentId: 'nope' })
        .expect(400);

      for (const target of [a.id, b.id, c.id]) {
        const res = await suite.t
          .http()
          .patch(`/api/v1/collections/${a.id}`)
          .set(auth(suite.editor, suite.org))
          .send({ parentId: target })
          .expect(409);
        expect(res.body.code).toBe('collection_cycle');
        expect(res.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
      }
      await suite.t
        .http()
        .patch(`/api/v1/collections/${a.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ parentId: '00000000-0000-4000-8000-000000000000' })
        .expect(404);

      // The creator renames; an ADMIN moves someone else's collection; moving back to the top works.
      const renamed = await suite.t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ name: 'Bee', description: 'buzz' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Bee', description: 'buzz', parentId: a.id });
      const moved = await suite.t
        .http()
        .patch(`/api/v1/collections/${c.id}`)
        .set(auth(suite.admin, suite.org))
        .send({ parentId: other.id })
        .expect(200);
      expect(moved.body.parentId).toBe(other.id);
      const top = await suite.t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ parentId: null })
        .expect(200);
      expect(top.body.parentId).toBeNull();
      const { rows } = await suite.t.owner.query(
        `SELECT id, parent_id FROM collections WHERE id = ANY($1) ORDER BY name`,
        [[b.id, c.id]],
      );
      expect(rows).toEqual([
        { id: b.id, parent_id: null },
        { id: c.id, parent_id: other.id },
      ]);
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'collection.updated' AND target_id = $1`,
        [c.id],
      );
      expect(audit.rows).toEqual([{ changes: { parentId: { from: b.id, to: other.id } } }]);
      // Moving next to a sibling with the same name conflicts.
      await createCollection(suite.editor, { name: 'Bee', parentId: other.id });
      const sibling = await suite.t
        .http()
        .patch(`/api/v1/collections/${b.id}`)
        .set(auth(suite.editor, suite.org))
        .send({ parentId: other.id })
        .expect(409);
      expect(sibling.body.code).toBe('collection_name_taken');
    });

    it('deletes an empty collection; one with children or prompts needs ?cascade=true (409 otherwise)', async () => {
      const empty = await createCollection(suite.editor, { name: 'Empty' });
      await suite.t
        .http()
        .delete(`/api/v1/collections/${empty.id}`)
        .set(auth(suite.editor2, suite.org))
        .expect(403);
      await suite.t
        .http()
        .delete(`/api/v1/collections/${empty.id}`)
        .set(auth(suite.viewer, suite.org))
        .expect(403);
      await suite.t.http().delete(`/api/v1/collections/${empty.id}`).expect(401);
      await suite.t.http().delete(`/api/v1/collections/${empty.id}`).set(auth(suite.outsider)).expect(404);
      await suite.t
        .http()
        .delete(`/api/v1/collections/${empty.id}?cascade=maybe`)
        .set(auth(suite.editor, suite.org))
        .expect(400);
      await suite.t
        .http()
        .delete(`/api/v1/collections/${empty.id}`)
        .set(auth(suite.editor, suite.org))
        .expect(204);
      expect(
        (await suite.t.owner.query(`SELECT 1 FROM collections WHERE id = $1`, [empty.id])).rowCount,
      ).toBe(0);
      expect(await auditCount('collection.deleted', empty.id)).toBe(1);

      const withChild = await createCollection(suite.editor, { name: 'Parent' });
      await createCollection(suite.editor, { name: 'Kid', parentId: withChild.id });
      const withPrompt = await createCollection(suite.editor, { name: 'Holder' });
      const hidden = await insertPrompt(suite.editor2, {
        collectionId: withPrompt.id,
        visibility: 'private',
      });
      for (const id of [withChild.id, withPrompt.id]) {
        const res = await suite.t
          .http()
          .delete(`/api/v1/collections/${id}`)
          .set(auth(suite.admin, suite.org))
          .expect(409);
        expect(res.body.detail).toMatch(/cascade=true/);
        expect(res.body.code).toBe('collection_not_empty');
      }
      // A private prompt the caller cannot see still counts: it would otherwise be unfiled silently.
      expect(
        (await suite.t.owner.query(`SELECT collection_id FROM prompts WHERE id = $1`, [hidden])).rows[0],
      ).toEqual({
        collection_id: withPrompt.id,
      });
    });

    it('cascade deletes the subtree and unfiles its prompts (never deletes them)', async () => {
      const root = await createCollection(suite.editor, { name: 'Tree' });
      const mid = await createCollection(suite.editor, { name: 'Mid', parentId: root.id });
      const leaf = await createCollection(suite.editor, { name: 'Leaf', parentId: mid.id });
      const foreignLeaf = await createCollection(suite.editor2, { name: 'Theirs', parentId: mid.id });
      const p1 = await insertPrompt(suite.editor, { collectionId: root.id });
      const p2 = await insertPrompt(suite.editor, { collectionId: leaf.id });
      const p3 = await insertPrompt(suite.editor2, { collectionId: foreignLeaf.id, visibility: 'private' });
      const since = await dbNow();

      // The EDITOR created the root but not every sub-collection: not allowed to take them all.
      await suite.t
        .http()
        .delete(`/api/v1/collections/${root.id}?cascade=true`)
        .set(auth(suite.editor, suite.org))
        .expect(403);
      expect((await suite.t.owner.query(`SELECT 1 FROM collections WHERE id = $1`, [root.id])).rowCount).toBe(
        1,
      );

      await suite.t
        .http()
        .delete(`/api/v1/collections/${root.id}?cascade=true`)
        .set(auth(suite.admin, suite.org))
        .expect(204);
      const left = await suite.t.owner.query(`SELECT id FROM collections WHERE id = ANY($1)`, [
        [root.id, mid.id, leaf.id, foreignLeaf.id],
      ]);
      expect(left.rowCount).toBe(0);
      const prompts = await suite.t.owner.query(
        `SELECT id, collection_id FROM prompts WHERE id = ANY($1) ORDER BY id`,
        [[p1, p2, p3]],
      );
      expect(prompts.rows).toEqual([p1, p2, p3].sort().map((id) => ({ id, collection_id: null })));
      expect((await outboxFor([p1, p2, p3], since)).map((r) => r.aggregate_id)).toEqual([p1, p2, p3].sort());
      const audit = await suite.t.owner.query(
        `SELECT target_id, changes FROM audit_events WHERE action = 'collection.deleted' AND target_id = ANY($1)`,
        [[root.id, mid.id, leaf.id, foreignLeaf.id]],
      );
      expect(audit.rowCount).toBe(4);
      expect(audit.rows.find((r: { target_id: string }) => r.target_id === root.id).changes).toMatchObject({
        cascade: true,
        subCollections: 3,
        unfiledPrompts: 3,
      });
      await suite.t
        .http()
        .delete(`/api/v1/collections/${root.id}?cascade=true`)
        .set(auth(suite.admin, suite.org))
        .expect(404);
    });
  });

  it('row-level security keeps taxonomy rows inside their organization', async () => {
    const client = await suite.t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`,
        [suite.outsider.organizationId, suite.outsider.userId],
      );
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM tags WHERE organization_id = $1)::int AS tags,
                (SELECT count(*) FROM categories WHERE organization_id = $1)::int AS categories,
                (SELECT count(*) FROM collections WHERE organization_id = $1)::int AS collections`,
        [suite.org],
      );
      expect(rows[0]).toEqual({ tags: 0, categories: 0, collections: 0 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
