import { PromptStats } from '../src/modules/prompts/prompt-stats';
import { auth, SignedUpUser, useTeamApp } from './support/test-app';

describe('Prompts', () => {
  const suite = useTeamApp();

  const as = (u: SignedUpUser) => auth(u, suite.org);
  /** `PATCH /prompts/:id` with the given auth headers, expecting `status`. */
  const patchPrompt = (
    headers: Record<string, string>,
    id: string,
    body: Record<string, unknown>,
    status: number,
  ) => suite.t.http().patch(`/api/v1/prompts/${id}`).set(headers).send(body).expect(status);
  const create = async (u: SignedUpUser, body: Record<string, unknown>, inOrg = suite.org) => {
    const res = await suite.t.http().post('/api/v1/prompts').set(auth(u, inOrg)).send(body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; slug: string; version: number; [k: string]: unknown };
  };
  const count = async (sql: string, params: unknown[]) =>
    Number((await suite.t.owner.query(sql, params)).rows[0].n);

  describe('POST /prompts', () => {
    it('creates a prompt with every field of the contract, version 1, audit and outbox', async () => {
      const category = (
        await suite.t.owner.query(
          `SELECT id FROM categories WHERE organization_id = $1 AND name = 'Support'`,
          [suite.org],
        )
      ).rows[0].id as string;
      const res = await suite.t
        .http()
        .post('/api/v1/prompts')
        .set(as(suite.editor))
        .send({
          title: 'Summarize a ticket',
          description: 'For the support team',
          content: 'Summarize {{ ticket }} in {{words}} words for {{audience}}.',
          variables: [
            { name: 'words', type: 'number', required: false, defaultValue: 50 },
            { name: 'audience', type: 'select', options: ['agent', 'customer'], defaultValue: 'agent' },
          ],
          tags: ['Support', 'summaries', 'support'],
          categoryId: category,
          status: 'published',
          metadata: { model: 'gpt-4o', temperature: 0.2, maxTokens: 500 },
          changeNote: 'first draft',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        slug: 'summarize-a-ticket',
        title: 'Summarize a ticket',
        description: 'For the support team',
        tags: ['summaries', 'Support'],
        categoryId: category,
        collectionId: null,
        authorId: suite.editor.userId,
        status: 'published',
        visibility: 'organization',
        metadata: { model: 'gpt-4o', temperature: 0.2, maxTokens: 500 },
        version: 1,
        labels: {},
        stats: { views: 0, uses: 0, favorites: 0 },
        favorited: false,
        publishedAt: expect.any(String),
      });
      expect(res.body.variables).toEqual([
        { name: 'ticket', type: 'text', required: true },
        { name: 'words', type: 'number', required: false, defaultValue: 50 },
        {
          name: 'audience',
          type: 'select',
          required: true,
          options: ['agent', 'customer'],
          defaultValue: 'agent',
        },
      ]);
      const id = res.body.id;
      const versions = await suite.t.owner.query(
        `SELECT version, title, content, change_note, changed_by FROM prompt_versions WHERE prompt_id = $1`,
        [id],
      );
      expect(versions.rows).toEqual([
        {
          version: 1,
          title: 'Summarize a ticket',
          content: 'Summarize {{ ticket }} in {{words}} words for {{audience}}.',
          change_note: 'first draft',
          changed_by: suite.editor.userId,
        },
      ]);
      // Tags are case-insensitively unique and keep the first spelling.
      expect(
        (
          await suite.t.owner.query(`SELECT name FROM tags WHERE organization_id = $1 ORDER BY lower(name)`, [
            suite.org,
          ])
        ).rows,
      ).toEqual([{ name: 'summaries' }, { name: 'Support' }]);
      // Tags created by tagging are audited like those created through POST /tags.
      expect(
        await count(
          `SELECT count(*) n FROM audit_events WHERE organization_id = $1 AND action = 'tag.created'`,
          [suite.org],
        ),
      ).toBe(2);
      expect(
        await count(
          `SELECT count(*) n FROM audit_events WHERE action = 'prompt.created' AND target_id = $1`,
          [id],
        ),
      ).toBe(1);
      expect(
        (
          await suite.t.owner.query(
            `SELECT type, aggregate_type FROM outbox_events WHERE aggregate_id = $1 ORDER BY created_at`,
            [id],
          )
        ).rows,
      ).toEqual([{ type: 'prompt.created', aggregate_type: 'prompt' }]);
    });

    it('gives generated slugs a suffix, and answers 409 to an explicit duplicate', async () => {
      const a = await create(suite.editor, { title: 'Café Menü!', content: 'x' });
      const b = await create(suite.editor, { title: 'Cafe menu', content: 'y' });
      expect(a.slug).toBe('cafe-menu');
      expect(b.slug).toMatch(/^cafe-menu-[0-9a-f]{6}$/);
      const dup = await suite.t
        .http()
        .post('/api/v1/prompts')
        .set(as(suite.editor))
        .send({ title: 'Other', content: 'z', slug: 'cafe-menu' })
        .expect(409);
      expect(dup.headers['content-type']).toContain('application/problem+json');
      expect(dup.body.code).toBe('prompt_slug_taken');
      const odd = await create(suite.editor, { title: '???', content: 'z' });
      expect(odd.slug).toBe('prompt');
      // The same slug in another organization is fine.
      const other = await suite.t
        .http()
        .post('/api/v1/prompts')
        .set(auth(suite.outsider))
        .send({ title: 'x', content: 'z', slug: 'cafe-menu' })
        .expect(201);
      expect(other.body.slug).toBe('cafe-menu');
    });

    it('refuses bad input with field errors', async () => {
      const bad = async (body: Record<string, unknown>, fields: string[]) => {
        const res = await suite.t.http().post('/api/v1/prompts').set(as(suite.editor)).send(body).expect(400);
        for (const f of fields) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(f);
      };
      await bad({ content: 'x' }, ['title']);
      await bad({ title: 'x' }, ['content']);
      await bad({ title: 'x', content: 'x', slug: 'Bad Slug' }, ['slug']);
      await bad({ title: 'x', content: 'x', status: 'live' }, ['status']);
      await bad({ title: 'x', content: 'x', visibility: 'public' }, ['visibility']);
      await bad({ title: 'x', content: 'x', metadata: { temperature: 2.5 } }, ['metadata.temperature']);
      await bad({ title: 'x', content: 'x', metadata: { maxTokens: 0 } }, ['metadata.maxTokens']);
      await bad({ title: 'x', content: 'x', metadata: { maxTokens: 1.5 } }, ['metadata.maxTokens']);
      await bad({ title: 'x', content: 'x', metadata: { model: 5 } }, ['metadata.model']);
      await bad({ title: 'x', content: 'x', variables: [{ name: 'nope', type: 'text' }] }, [
        'variables[0].name',
      ]);
      await bad({ title: 'x', content: '{{v}}', variables: [{ name: 'v', type: 'select' }] }, [
        'variables[0].options',
      ]);
      await bad(
        { title: 'x', content: '{{v}}', variables: [{ name: 'v', type: 'number', defaultValue: 'x' }] },
        ['variables[0].defaultValue'],
      );
      await bad({ title: 'x', content: '{{v}}', variables: [{ name: 'v', type: 'date' }] }, [
        'variables.0.type',
      ]);
      await bad({ title: 'x', content: 'x', categoryId: '00000000-0000-4000-8000-000000000000' }, [
        'categoryId',
      ]);
      await bad({ title: 'x', content: 'x', collectionId: '00000000-0000-4000-8000-000000000000' }, [
        'collectionId',
      ]);
      const foreignCategory = (
        await suite.t.owner.query(`SELECT id FROM categories WHERE organization_id = $1 LIMIT 1`, [
          suite.outsider.organizationId,
        ])
      ).rows[0].id;
      await bad({ title: 'x', content: 'x', categoryId: foreignCategory }, ['categoryId']);
      await bad({ title: 'x', content: 'x', tags: [''] }, ['tags']);
      // Commas separate tags in search filters, so no tag may hold one.
      await bad({ title: 'x', content: 'x', tags: ['a,b'] }, ['tags']);
      await bad({ title: 'x', content: 'x', unknown: 1 }, ['unknown']);
    });

    it('needs a role that may create (VIEWER 403), authentication (401) and membership (404)', async () => {
      const before = await count(`SELECT count(*) n FROM prompts WHERE organization_id = $1`, [suite.org]);
      await suite.t
        .http()
        .post('/api/v1/prompts')
        .set(as(suite.viewer))
        .send({ title: 'x', content: 'y' })
        .expect(403);
      await suite.t.http().post('/api/v1/prompts').send({ title: 'x', content: 'y' }).expect(401);
      await suite.t
        .http()
        .post('/api/v1/prompts')
        .set(as(suite.outsider))
        .send({ title: 'x', content: 'y' })
        .expect(404);
      expect(await count(`SELECT count(*) n FROM prompts WHERE organization_id = $1`, [suite.org])).toBe(
        before,
      );
    });
  });

  describe('GET /prompts/:id', () => {
    it('answers the prompt and counts views without writing in the request', async () => {
      const p = await create(suite.editor, { title: 'Viewed', content: 'hello' });
      const first = await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.viewer)).expect(200);
      expect(first.body.stats.views).toBe(1);
      const second = await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.viewer)).expect(200);
      expect(second.body.stats.views).toBe(2);
      await suite.t.app.get(PromptStats).flush();
      expect(await count(`SELECT views n FROM prompts WHERE id = $1`, [p.id])).toBe(2);
      const third = await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.viewer)).expect(200);
      expect(third.body.stats.views).toBe(3);
    });

    it('is 404 across tenants, for unknown ids and for private prompts of others; 400 for bad ids', async () => {
      const p = await create(suite.editor, { title: 'Secret', content: 'x', visibility: 'private' });
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.editor)).expect(200);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.owner)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.editor2)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(auth(suite.outsider)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(auth(suite.outsider, suite.org)).expect(404);
      await suite.t
        .http()
        .get(`/api/v1/prompts/00000000-0000-4000-8000-000000000000`)
        .set(as(suite.owner))
        .expect(404);
      await suite.t.http().get(`/api/v1/prompts/not-a-uuid`).set(as(suite.owner)).expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).expect(401);
    });

    it('works with an API key', async () => {
      const p = await create(suite.editor, { title: 'By key', content: 'x' });
      const key = await suite.t
        .http()
        .post(`/api/v1/organizations/${suite.org}/api-keys`)
        .set({ Authorization: `Bearer ${suite.viewer.token}` })
        .send({ name: 'app' })
        .expect(201);
      const res = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}`)
        .set('X-API-Key', key.body.key)
        .expect(200);
      expect(res.body.id).toBe(p.id);
    });
  });

  describe('GET /prompts', () => {
    let ids: Record<string, string>;
    let collectionId: string;
    let categoryId: string;
    const orgList = async (u: SignedUpUser, query: Record<string, string | number> = {}) =>
      (await suite.t.http().get('/api/v1/prompts').query(query).set(as(u)).expect(200)).body as {
        items: Array<{ id: string; title: string; favorited: boolean; tags: string[] }>;
        nextCursor: string | null;
      };

    beforeAll(async () => {
      await suite.t.owner.query(`DELETE FROM prompts WHERE organization_id = $1`, [suite.org]);
      collectionId = (
        await suite.t.owner.query(
          `INSERT INTO collections (organization_id, name, created_by) VALUES ($1, 'Lib', $2) RETURNING id`,
          [suite.org, suite.owner.userId],
        )
      ).rows[0].id;
      categoryId = (
        await suite.t.owner.query(`SELECT id FROM categories WHERE organization_id = $1 AND name = 'Sales'`, [
          suite.org,
        ])
      ).rows[0].id;
      ids = {};
      for (const [title, who, extra] of [
        ['banana', suite.editor, { tags: ['fruit'], status: 'published' }],
        ['Apple', suite.editor, { tags: ['fruit', 'red'], collectionId }],
        ['cherry', suite.editor2, { tags: ['red'], categoryId }],
        ['date', suite.owner, { status: 'archived' }],
        ['elderberry', suite.editor2, { visibility: 'private' }],
      ] as const) {
        ids[title] = (await create(who, { title, content: title, ...extra })).id;
      }
      await suite.t.owner.query(`UPDATE prompts SET views = 100 WHERE id = $1`, [ids.cherry]);
      await suite.t.owner.query(`UPDATE prompts SET uses = 10 WHERE id = $1`, [ids.date]);
      await suite.t.http().post(`/api/v1/prompts/${ids.date}/favorite`).set(as(suite.viewer)).expect(200);
    });

    it('lists visible prompts newest-updated first with tags, labels and favorited', async () => {
      const page = await orgList(suite.viewer);
      expect(page.items.map((i) => i.title)).toEqual(['date', 'cherry', 'Apple', 'banana']);
      expect(page.items.find((i) => i.title === 'Apple')!.tags).toEqual(['fruit', 'red']);
      expect(page.items.find((i) => i.title === 'date')!.favorited).toBe(true);
      expect(page.nextCursor).toBeNull();
      // The author sees the private one; nobody else does.
      expect((await orgList(suite.editor2)).items.map((i) => i.title)).toContain('elderberry');
      expect((await orgList(suite.owner)).items.map((i) => i.title)).not.toContain('elderberry');
    });

    it('sends no ETag: only runtime fetch promises one (its own, see versions.int-spec)', async () => {
      const res = await suite.t.http().get('/api/v1/prompts').set(as(suite.viewer)).expect(200);
      expect(res.headers.etag).toBeUndefined();
      // A validator from before (Express used to send weak ones) matches nothing: a full 200.
      const again = await suite.t
        .http()
        .get('/api/v1/prompts')
        .set(as(suite.viewer))
        .set('If-None-Match', 'W/"9c3-0PlY0a2rSkAX4dBVRXb0Ld4pXZc"')
        .expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('filters by tag, category, collection, author, status and favorite', async () => {
      const titles = async (q: Record<string, string>) =>
        (await orgList(suite.viewer, q)).items.map((i) => i.title).sort();
      expect(await titles({ tag: 'FRUIT' })).toEqual(['Apple', 'banana']);
      expect(await titles({ tag: 'red' })).toEqual(['Apple', 'cherry']);
      expect(await titles({ category: categoryId })).toEqual(['cherry']);
      expect(await titles({ collection: collectionId })).toEqual(['Apple']);
      expect(await titles({ author: suite.editor2.userId })).toEqual(['cherry']);
      expect(await titles({ status: 'archived' })).toEqual(['date']);
      expect(await titles({ favorite: 'true' })).toEqual(['date']);
      expect(await titles({ tag: 'none' })).toEqual([]);
    });

    it('sorts by created, title and popularity and pages with a stable cursor', async () => {
      expect((await orgList(suite.viewer, { sort: 'title' })).items.map((i) => i.title)).toEqual([
        'Apple',
        'banana',
        'cherry',
        'date',
      ]);
      expect((await orgList(suite.viewer, { sort: 'created' })).items.map((i) => i.title)).toEqual([
        'date',
        'cherry',
        'Apple',
        'banana',
      ]);
      const popular = (await orgList(suite.viewer, { sort: 'popularity' })).items.map((i) => i.title);
      expect(popular.slice(0, 2)).toEqual(['cherry', 'date']);
      expect(popular.slice(2).sort()).toEqual(['Apple', 'banana']);
      for (const sort of ['updated', 'created', 'title', 'popularity']) {
        const all = (await orgList(suite.viewer, { sort })).items.map((i) => i.id);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await orgList(suite.viewer, { sort, limit: 1, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all);
      }
    });

    it('refuses bad queries (400), needs auth (401) and membership (404)', async () => {
      for (const q of [
        { sort: 'random' },
        { limit: 0 },
        { limit: 101 },
        { status: 'gone' },
        { author: 'x' },
        { cursor: 'garbage' },
        { favorite: 'yes' },
        { cursor: Buffer.from(JSON.stringify({ k: 'not a time', id: ids.date })).toString('base64url') },
      ])
        await suite.t.http().get('/api/v1/prompts').query(q).set(as(suite.viewer)).expect(400);
      await suite.t.http().get('/api/v1/prompts').expect(401);
      await suite.t.http().get('/api/v1/prompts').set(auth(suite.outsider, suite.org)).expect(404);
      const theirs = await suite.t.http().get('/api/v1/prompts').set(auth(suite.outsider)).expect(200);
      expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(ids.date);
    });
  });

  describe('PATCH /prompts/:id', () => {
    it('versions content changes only, with 409 on a stale expectedVersion', async () => {
      const p = await create(suite.editor, {
        title: 'T',
        content: 'Hello {{name}}',
        metadata: { model: 'a' },
      });
      const v2 = await patchPrompt(
        as(suite.editor),
        p.id,
        { content: 'Hi {{name}} from {{place}}', changeNote: 'friendlier', expectedVersion: 1 },
        200,
      );
      expect(v2.body.version).toBe(2);
      expect(v2.body.variables).toEqual([
        { name: 'name', type: 'text', required: true },
        { name: 'place', type: 'text', required: true },
      ]);
      const stale = await patchPrompt(as(suite.editor), p.id, { title: 'Stale', expectedVersion: 1 }, 409);
      expect(stale.body).toMatchObject({ code: 'prompt_version_conflict', currentVersion: 2 });
      // Non-content fields do not version.
      const moved = await patchPrompt(
        as(suite.editor),
        p.id,
        { tags: ['x'], status: 'published', visibility: 'private', expectedVersion: 2 },
        200,
      );
      expect(moved.body).toMatchObject({
        version: 2,
        tags: ['x'],
        status: 'published',
        visibility: 'private',
      });
      const publishedAt = moved.body.publishedAt;
      expect(publishedAt).toEqual(expect.any(String));
      await patchPrompt(as(suite.editor), p.id, { status: 'draft' }, 200);
      const again = await suite.t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(as(suite.editor))
        .send({ status: 'published' });
      expect(again.body.publishedAt).toBe(publishedAt);
      // Metadata and variables changes version.
      const meta = await patchPrompt(
        as(suite.editor),
        p.id,
        { metadata: { model: 'b', temperature: 1 } },
        200,
      );
      expect(meta.body).toMatchObject({ version: 3, metadata: { model: 'b', temperature: 1 } });
      // Nothing changed (whatever order the keys come in): no version, no audit.
      const auditBefore = await count(`SELECT count(*) n FROM audit_events WHERE target_id = $1`, [p.id]);
      const same = await suite.t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(as(suite.editor))
        .send({
          title: 'T',
          metadata: { temperature: 1, model: 'b' },
          variables: [
            { required: true, type: 'text', name: 'name' },
            { name: 'place', type: 'text' },
          ],
          tags: ['X'],
        })
        .expect(200);
      expect(same.body.version).toBe(3);
      expect(await count(`SELECT count(*) n FROM audit_events WHERE target_id = $1`, [p.id])).toBe(
        auditBefore,
      );

      const versions = await suite.t.owner.query(
        `SELECT version, content, change_note FROM prompt_versions WHERE prompt_id = $1 ORDER BY version`,
        [p.id],
      );
      expect(versions.rows.map((r) => r.version)).toEqual([1, 2, 3]);
      expect(versions.rows[1]).toMatchObject({
        content: 'Hi {{name}} from {{place}}',
        change_note: 'friendlier',
      });
      const audits = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'prompt.updated' AND target_id = $1 ORDER BY seq`,
        [p.id],
      );
      expect(audits.rows[0].changes).toEqual({ fields: ['content', 'variables'], version: 2 });
      expect(audits.rows[1].changes.fields.sort()).toEqual(['status', 'tags', 'visibility']);
      const outbox = await count(
        `SELECT count(*) n FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.updated'`,
        [p.id],
      );
      expect(outbox).toBe(audits.rows.length);
    });

    it('keeps declarations of placeholders still in use and refuses unused declarations', async () => {
      const p = await create(suite.editor, {
        title: 'Vars',
        content: '{{a}} {{b}}',
        variables: [{ name: 'a', type: 'number', required: false }],
      });
      // Re-sending what is stored (jsonb keeps keys in its own order) is not a change.
      const resent = await suite.t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(as(suite.editor))
        .send({
          metadata: {},
          variables: [{ name: 'a', type: 'number', required: false }],
        })
        .expect(200);
      expect(resent.body.version).toBe(1);
      const select = await suite.t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(as(suite.editor))
        .send({
          metadata: { model: 'm', temperature: 0.5, maxTokens: 10 },
          variables: [
            { name: 'b', type: 'select', options: ['x', 'y'], defaultValue: 'x', description: 'pick' },
          ],
        })
        .expect(200);
      expect(select.body.version).toBe(2);
      const again = await suite.t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(as(suite.editor))
        .send({
          metadata: { model: 'm', temperature: 0.5, maxTokens: 10 },
          variables: [
            { name: 'b', type: 'select', options: ['x', 'y'], defaultValue: 'x', description: 'pick' },
          ],
          expectedVersion: 2,
        })
        .expect(200);
      expect(again.body.version).toBe(2);
      const res = await patchPrompt(
        as(suite.editor),
        p.id,
        { content: '{{a}} {{c}}', variables: [{ name: 'a', type: 'number', required: false }] },
        200,
      );
      expect(res.body.variables).toEqual([
        { name: 'a', type: 'number', required: false },
        { name: 'c', type: 'text', required: true },
      ]);
      // Without `variables`, declarations of placeholders still used are kept.
      const kept = await patchPrompt(as(suite.editor), p.id, { content: '{{d}} {{a}}' }, 200);
      expect(kept.body.variables).toEqual([
        { name: 'd', type: 'text', required: true },
        { name: 'a', type: 'number', required: false },
      ]);
      const bad = await patchPrompt(
        as(suite.editor),
        p.id,
        { variables: [{ name: 'b', type: 'text' }] },
        400,
      );
      expect(bad.body.errors[0].field).toBe('variables[0].name');
    });

    it('lets EDITORs change their own prompts only; ADMIN and OWNER any; VIEWER none', async () => {
      const p = await create(suite.editor, { title: 'Mine', content: 'x' });
      await patchPrompt(as(suite.editor2), p.id, { title: 'no' }, 403);
      await patchPrompt(as(suite.viewer), p.id, { title: 'no' }, 403);
      await patchPrompt(as(suite.admin), p.id, { title: 'by admin' }, 200);
      await patchPrompt(as(suite.owner), p.id, { title: 'by owner' }, 200);
      await patchPrompt(auth(suite.outsider, suite.org), p.id, { title: 'no' }, 404);
      await suite.t.http().patch(`/api/v1/prompts/${p.id}`).send({ title: 'no' }).expect(401);
      const row = await suite.t.owner.query(`SELECT title, version FROM prompts WHERE id = $1`, [p.id]);
      expect(row.rows[0]).toEqual({ title: 'by owner', version: 3 });
      // Only the author may make a prompt private (anyone else would lose sight of it).
      await patchPrompt(as(suite.admin), p.id, { visibility: 'private' }, 403);
      await patchPrompt(as(suite.editor), p.id, { visibility: 'private' }, 200);
      await patchPrompt(as(suite.editor), p.id, { visibility: 'organization' }, 200);
      const otherOrg = await create(
        suite.outsider,
        { title: 'theirs', content: 'x' },
        suite.outsider.organizationId,
      );
      await patchPrompt(as(suite.owner), otherOrg.id, { title: 'no' }, 404);
    });

    it('answers 409 for a taken slug and 400 for bad fields', async () => {
      const a = await create(suite.editor, { title: 'Slug A', content: 'x' });
      const b = await create(suite.editor, { title: 'Slug B', content: 'x' });
      const taken = await patchPrompt(as(suite.editor), b.id, { slug: a.slug }, 409);
      expect(taken.body.code).toBe('prompt_slug_taken');
      const renamed = await patchPrompt(as(suite.editor), b.id, { slug: 'renamed-b' }, 200);
      expect(renamed.body.slug).toBe('renamed-b');
      await patchPrompt(as(suite.editor), b.id, { expectedVersion: 0 }, 400);
      await patchPrompt(as(suite.editor), b.id, { title: '' }, 400);
      await patchPrompt(as(suite.editor), b.id, { metadata: { temperature: -1 } }, 400);
    });
  });

  describe('DELETE /prompts/:id', () => {
    it('deletes (204, then 404) with audit and a prompt.deleted outbox row', async () => {
      const p = await create(suite.editor, { title: 'Doomed', content: 'x', visibility: 'private' });
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(as(suite.editor)).expect(204);
      await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.editor)).expect(404);
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(as(suite.editor)).expect(404);
      expect(await count(`SELECT count(*) n FROM prompts WHERE id = $1`, [p.id])).toBe(0);
      expect(await count(`SELECT count(*) n FROM prompt_versions WHERE prompt_id = $1`, [p.id])).toBe(0);
      const outbox = await suite.t.owner.query(
        `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.deleted'`,
        [p.id],
      );
      expect(outbox.rows[0].payload).toEqual({
        slug: p.slug,
        visibility: 'private',
        authorId: suite.editor.userId,
      });
      expect(
        await count(
          `SELECT count(*) n FROM audit_events WHERE action = 'prompt.deleted' AND target_id = $1`,
          [p.id],
        ),
      ).toBe(1);
    });

    it('lets EDITORs delete their own only; VIEWER never; ADMIN any', async () => {
      const p = await create(suite.editor, { title: 'Keep', content: 'x' });
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(as(suite.editor2)).expect(403);
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(as(suite.viewer)).expect(403);
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(auth(suite.outsider, suite.org)).expect(404);
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).expect(401);
      await suite.t.http().delete(`/api/v1/prompts/bad`).set(as(suite.admin)).expect(400);
      expect(await count(`SELECT count(*) n FROM prompts WHERE id = $1`, [p.id])).toBe(1);
      await suite.t.http().delete(`/api/v1/prompts/${p.id}`).set(as(suite.admin)).expect(204);
    });
  });

  describe('favorites and duplicates', () => {
    it('toggles a favorite per member and keeps the count', async () => {
      const p = await create(suite.editor, { title: 'Fav', content: 'x' });
      const on = await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/favorite`)
        .set(as(suite.viewer))
        .expect(200);
      expect(on.body).toEqual({ favorited: true, favorites: 1 });
      const other = await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/favorite`)
        .set(as(suite.editor))
        .expect(200);
      expect(other.body).toEqual({ favorited: true, favorites: 2 });
      const off = await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/favorite`)
        .set(as(suite.viewer))
        .expect(200);
      expect(off.body).toEqual({ favorited: false, favorites: 1 });
      expect(await count(`SELECT favorites n FROM prompts WHERE id = $1`, [p.id])).toBe(1);
      expect(await count(`SELECT count(*) n FROM favorites WHERE prompt_id = $1`, [p.id])).toBe(1);
      const got = await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.editor)).expect(200);
      expect(got.body).toMatchObject({ favorited: true, stats: { favorites: 1 } });
      await suite.t.http().post(`/api/v1/prompts/${p.id}/favorite`).expect(401);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/favorite`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
      await suite.t.http().post(`/api/v1/prompts/nope/favorite`).set(as(suite.viewer)).expect(400);
    });

    it('duplicates as the caller: new slug, version 1, draft, tags kept, private stays private', async () => {
      const src = await create(suite.editor, {
        title: 'Original',
        content: 'Hi {{x}}',
        tags: ['t1'],
        status: 'published',
        visibility: 'private',
        metadata: { model: 'm' },
      });
      await patchPrompt(as(suite.editor), src.id, { content: 'Hello {{x}}' }, 200);
      const copy = await suite.t
        .http()
        .post(`/api/v1/prompts/${src.id}/duplicate`)
        .set(as(suite.editor))
        .expect(201);
      expect(copy.body).toMatchObject({
        title: 'Original (copy)',
        slug: 'original-copy',
        content: 'Hello {{x}}',
        version: 1,
        status: 'draft',
        visibility: 'private',
        tags: ['t1'],
        authorId: suite.editor.userId,
        metadata: { model: 'm' },
        labels: {},
      });
      expect(copy.body.id).not.toBe(src.id);
      expect(await count(`SELECT count(*) n FROM prompt_versions WHERE prompt_id = $1`, [copy.body.id])).toBe(
        1,
      );
      expect(
        await count(
          `SELECT count(*) n FROM audit_events WHERE action = 'prompt.duplicated' AND target_id = $1`,
          [copy.body.id],
        ),
      ).toBe(1);
      // Someone else cannot even see the private source; a viewer may not create.
      await suite.t.http().post(`/api/v1/prompts/${src.id}/duplicate`).set(as(suite.admin)).expect(404);
      const pub = await create(suite.editor, { title: 'Public', content: 'x' });
      await suite.t.http().post(`/api/v1/prompts/${pub.id}/duplicate`).set(as(suite.viewer)).expect(403);
      const byOther = await suite.t
        .http()
        .post(`/api/v1/prompts/${pub.id}/duplicate`)
        .set(as(suite.editor2))
        .expect(201);
      expect(byOther.body.authorId).toBe(suite.editor2.userId);
      await suite.t.http().post(`/api/v1/prompts/${pub.id}/duplicate`).expect(401);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${pub.id}/duplicate`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
    });
  });

  it('hides private prompts in the database too (RLS as vault_app)', async () => {
    const p = await create(suite.editor, { title: 'Private RLS', content: 'x', visibility: 'private' });
    const client = await suite.t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`,
        [suite.org, suite.owner.userId],
      );
      expect((await client.query(`SELECT id FROM prompts WHERE id = $1`, [p.id])).rows).toEqual([]);
      expect(
        (await client.query(`SELECT id FROM prompt_versions WHERE prompt_id = $1`, [p.id])).rows,
      ).toEqual([]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
