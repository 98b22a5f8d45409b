import { recordMails } from './support/mailbox';
import { auth, bootTestApp, SignedUpUser, signUpTeam, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/**
 * Comments (threads, soft delete, author/OWNER/ADMIN rules, @e-mail mentions) and the activity
 * feed (built from the audit trail, filtered by what the caller can see).
 */
describe('collaboration', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let editor: SignedUpUser;
  let editor2: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;
  let mailbox: ReturnType<typeof recordMails>;

  beforeAll(async () => {
    t = await bootTestApp();
    mailbox = recordMails(t.app);
    ({ org, owner, admin, editor, editor2, viewer, outsider } = await signUpTeam(t));
  });
  afterAll(() => t?.close());

  let n = 0;
  const createPrompt = async (
    as: SignedUpUser,
    body: Record<string, unknown> = {},
    organizationId = org,
  ): Promise<{ id: string; title: string }> => {
    const title = `Prompt ${++n}`;
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(as, organizationId))
      .send({ title, content: 'Summarize {{text}}', ...body });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; title: string };
  };
  const comment = (as: SignedUpUser, promptId: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/prompts/${promptId}/comments`).set(auth(as, org)).send(body);

  describe('comments', () => {
    let prompt: { id: string; title: string };
    let privatePrompt: { id: string; title: string };
    beforeAll(async () => {
      prompt = await createPrompt(editor);
      privatePrompt = await createPrompt(editor2, { visibility: 'private' });
    });

    it('any member who can see the prompt comments, VIEWER included; Markdown is stored as written', async () => {
      const content = '**Looks good**\n\n- but `{{text}}` needs an example <b>raw</b>';
      const res = await comment(viewer, prompt.id, { content }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        promptId: prompt.id,
        parentId: null,
        authorId: viewer.userId,
        author: { id: viewer.userId, name: 'Viewer', email: viewer.email },
        content,
        edited: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        deletedAt: null,
      });
      const { rows } = await t.owner.query(
        `SELECT organization_id, prompt_id, author_id, content, deleted_at FROM comments WHERE id = $1`,
        [res.body.id],
      );
      expect(rows).toEqual([
        { organization_id: org, prompt_id: prompt.id, author_id: viewer.userId, content, deleted_at: null },
      ]);
      const audit = await t.owner.query(
        `SELECT actor_id, changes FROM audit_events WHERE action = 'comment.created' AND target_id = $1`,
        [res.body.id],
      );
      expect(audit.rows).toEqual([
        { actor_id: viewer.userId, changes: { promptId: prompt.id, parentId: null } },
      ]);
      const outbox = await t.owner.query(
        `SELECT type, aggregate_type FROM outbox_events WHERE aggregate_id = $1`,
        [res.body.id],
      );
      expect(outbox.rows).toEqual([{ type: 'comment.created', aggregate_type: 'comment' }]);
    });

    it('threads replies; the parent must be a standing comment of the same prompt', async () => {
      const root = (await comment(editor, prompt.id, { content: 'root' }).expect(201)).body;
      const reply = await comment(admin, prompt.id, { content: 'reply', parentId: root.id }).expect(201);
      expect(reply.body.parentId).toBe(root.id);
      const nested = await comment(editor, prompt.id, {
        content: 'reply to reply',
        parentId: reply.body.id,
      }).expect(201);
      expect(nested.body.parentId).toBe(reply.body.id);

      const elsewhere = await createPrompt(editor);
      const bad = await comment(editor, elsewhere.id, { content: 'x', parentId: root.id }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
      await comment(editor, prompt.id, {
        content: 'x',
        parentId: '00000000-0000-4000-8000-000000000000',
      }).expect(400);
      const count = await t.owner.query(`SELECT count(*)::int AS n FROM comments WHERE prompt_id = $1`, [
        elsewhere.id,
      ]);
      expect(count.rows[0].n).toBe(0);
    });

    it('refuses bad input (400), anonymous (401), invisible or foreign prompts (404)', async () => {
      for (const body of [
        {},
        { content: '' },
        { content: '   \n ' },
        { content: 'x'.repeat(10_001) },
        { content: 'x', parentId: 'nope' },
        { content: 'x', extra: true },
      ]) {
        await comment(editor, prompt.id, body).expect(400);
      }
      await t
        .http()
        .post('/api/v1/prompts/nope/comments')
        .set(auth(editor, org))
        .send({ content: 'x' })
        .expect(400);
      await t
        .http()
        .post(`/api/v1/prompts/${prompt.id}/comments`)
        .set('X-Organization-Id', org)
        .send({ content: 'x' })
        .expect(401);
      await t.http().get(`/api/v1/prompts/${prompt.id}/comments`).expect(401);
      // Not a member of the organization; or a member of another one asking for this prompt.
      await comment(outsider, prompt.id, { content: 'x' }).expect(404);
      await t
        .http()
        .post(`/api/v1/prompts/${prompt.id}/comments`)
        .set(auth(outsider))
        .send({ content: 'x' })
        .expect(404);
      await t.http().get(`/api/v1/prompts/${prompt.id}/comments`).set(auth(outsider)).expect(404);
      // Someone else's private prompt does not exist for the others, even OWNER.
      await comment(owner, privatePrompt.id, { content: 'x' }).expect(404);
      await t.http().get(`/api/v1/prompts/${privatePrompt.id}/comments`).set(auth(owner, org)).expect(404);
      await comment(editor2, privatePrompt.id, { content: 'note to self' }).expect(201);
      const { rows } = await t.owner.query(`SELECT author_id FROM comments WHERE prompt_id = $1`, [
        privatePrompt.id,
      ]);
      expect(rows).toEqual([{ author_id: editor2.userId }]);
    });

    it('lists oldest first, a page at a time', async () => {
      const p = await createPrompt(editor);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await comment(viewer, p.id, { content: `c${i}` }).expect(201)).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t
          .http()
          .get(`/api/v1/prompts/${p.id}/comments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(editor, org))
          .expect(200);
        seen.push(...page.body.items.map((c) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids);
      await t.http().get(`/api/v1/prompts/${p.id}/comments?cursor=bogus`).set(auth(editor, org)).expect(400);
      await t.http().get(`/api/v1/prompts/${p.id}/comments?limit=101`).set(auth(editor, org)).expect(400);
    });

    it('the author edits their comment; nobody else may, not even OWNER', async () => {
      const c = (await comment(editor, prompt.id, { content: 'first' }).expect(201)).body;
      await t
        .http()
        .patch(`/api/v1/comments/${c.id}`)
        .set(auth(owner, org))
        .send({ content: 'hijack' })
        .expect(403);
      await t
        .http()
        .patch(`/api/v1/comments/${c.id}`)
        .set(auth(viewer, org))
        .send({ content: 'hijack' })
        .expect(403);
      await t.http().patch(`/api/v1/comments/${c.id}`).send({ content: 'x' }).expect(401);
      await t.http().patch(`/api/v1/comments/${c.id}`).set(auth(outsider)).send({ content: 'x' }).expect(404);
      await t
        .http()
        .patch(`/api/v1/comments/${c.id}`)
        .set(auth(editor, org))
        .send({ content: ' ' })
        .expect(400);
      await t
        .http()
        .patch(`/api/v1/comments/not-a-uuid`)
        .set(auth(editor, org))
        .send({ content: 'x' })
        .expect(400);
      const res = await t
        .http()
        .patch(`/api/v1/comments/${c.id}`)
        .set(auth(editor, org))
        .send({ content: 'second' })
        .expect(200);
      expect(res.body).toMatchObject({ id: c.id, content: 'second', edited: true });
      expect(
        (await t.owner.query(`SELECT content FROM comments WHERE id = $1`, [c.id])).rows[0].content,
      ).toBe('second');
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'comment.updated' AND target_id = $1`,
        [c.id],
      );
      expect(audit.rows).toEqual([{ changes: { promptId: prompt.id } }]);
    });

    it('deletes softly: the author or OWNER/ADMIN; the thread keeps its place', async () => {
      const root = (await comment(viewer, prompt.id, { content: 'to be removed' }).expect(201)).body;
      const reply = (await comment(editor, prompt.id, { content: 'answer', parentId: root.id }).expect(201))
        .body;

      await t.http().delete(`/api/v1/comments/${root.id}`).set(auth(editor, org)).expect(403);
      await t.http().delete(`/api/v1/comments/${root.id}`).expect(401);
      await t.http().delete(`/api/v1/comments/${root.id}`).set(auth(outsider)).expect(404);
      await t.http().delete(`/api/v1/comments/${root.id}`).set(auth(admin, org)).expect(204);

      const { rows } = await t.owner.query(`SELECT deleted_at FROM comments WHERE id = $1`, [root.id]);
      expect(rows[0].deleted_at).toBeInstanceOf(Date);
      const list = await t
        .http()
        .get(`/api/v1/prompts/${prompt.id}/comments?limit=100`)
        .set(auth(viewer, org))
        .expect(200);
      const shown = list.body.items.find((c: { id: string }) => c.id === root.id);
      expect(shown).toMatchObject({ content: null, deletedAt: expect.any(String), authorId: viewer.userId });
      expect(list.body.items.find((c: { id: string }) => c.id === reply.id)).toMatchObject({
        parentId: root.id,
        content: 'answer',
      });

      await t.http().delete(`/api/v1/comments/${root.id}`).set(auth(admin, org)).expect(404);
      await t
        .http()
        .patch(`/api/v1/comments/${root.id}`)
        .set(auth(viewer, org))
        .send({ content: 'back' })
        .expect(404);
      const late = await comment(viewer, prompt.id, { content: 'late reply', parentId: root.id }).expect(409);
      expect(late.body.code).toBe('comment_parent_deleted');
      // Authors delete their own, whatever their role.
      await t.http().delete(`/api/v1/comments/${reply.id}`).set(auth(editor, org)).expect(204);
      const audit = await t.owner.query(
        `SELECT actor_id FROM audit_events WHERE action = 'comment.deleted' AND target_id = ANY($1) ORDER BY seq`,
        [[root.id, reply.id]],
      );
      expect(audit.rows).toEqual([{ actor_id: admin.userId }, { actor_id: editor.userId }]);
    });

    it('mails mentioned members who can see the prompt, after commit; others are ignored', async () => {
      const before = mailbox.mails.length;
      const content = `Ping @${admin.email.toUpperCase()} and @${viewer.email}, also @${outsider.email}, @nobody@example.com and me @${editor.email}`;
      await comment(editor, prompt.id, { content }).expect(201);
      await waitFor('mention mails', () => mailbox.mails.length >= before + 2);
      const sent = mailbox.mails.slice(before);
      expect(sent.map((m) => m.to).sort()).toEqual([admin.email, viewer.email].sort());
      expect(sent[0].subject).toBe(`Editor mentioned you on "${prompt.title}"`);
      expect(sent[0].text).toContain(content);
      expect(sent[0].text).toContain(`/prompts/${prompt.id}`);

      // A private prompt: only its author can see it, so mentioning anyone else mails nobody.
      const mine = await createPrompt(editor, { visibility: 'private' });
      const quiet = mailbox.mails.length;
      await comment(editor, mine.id, { content: `@${admin.email} have a look` }).expect(201);

      // Editing notifies only the mentions the edit added.
      const c = (await comment(viewer, prompt.id, { content: `cc @${admin.email}` }).expect(201)).body;
      const afterCreate = mailbox.mails.length;
      expect(mailbox.mails.slice(quiet).map((m) => m.to)).toEqual([admin.email]);
      await t
        .http()
        .patch(`/api/v1/comments/${c.id}`)
        .set(auth(viewer, org))
        .send({ content: `cc @${admin.email} @${owner.email}` })
        .expect(200);
      expect(mailbox.mails.slice(afterCreate).map((m) => m.to)).toEqual([owner.email]);

      // A failed request sends nothing.
      const failed = mailbox.mails.length;
      await comment(viewer, prompt.id, { content: `@${admin.email}`, parentId: 'bad' }).expect(400);
      expect(mailbox.mails.length).toBe(failed);
    });
  });

  describe('activity', () => {
    type Entry = {
      id: string;
      action: string;
      actor: { id: string; name: string; email: string } | null;
      target: { type: string; id: string; title?: string; promptId?: string };
      summary: string;
      occurredAt: string;
    };
    const feed = async (as: SignedUpUser, query = '', organizationId = org): Promise<Entry[]> =>
      (await t.http().get(`/api/v1/activity?limit=100${query}`).set(auth(as, organizationId)).expect(200))
        .body.items as Entry[];

    it('shows recent changes newest first, with actor, target and a readable summary', async () => {
      const p = await createPrompt(editor, { title: 'Triage ticket' });
      await t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(auth(editor, org))
        .send({ content: 'Triage {{ticket}}' })
        .expect(200);
      await comment(viewer, p.id, { content: 'nice' }).expect(201);
      const tag = (
        await t.http().post('/api/v1/tags').set(auth(editor, org)).send({ name: 'triage' }).expect(201)
      ).body;
      await t
        .http()
        .patch(`/api/v1/tags/${tag.id}`)
        .set(auth(admin, org))
        .send({ name: 'Triage' })
        .expect(200);
      const col = (
        await t.http().post('/api/v1/collections').set(auth(editor, org)).send({ name: 'Ops' }).expect(201)
      ).body;

      const items = await feed(viewer);
      const seqOrder = items.map((i) => i.occurredAt);
      expect(seqOrder).toEqual([...seqOrder].sort().reverse());
      const [c, renamed, tagCreated, commented, updated, created] = items;
      expect(c).toMatchObject({
        action: 'collection.created',
        actor: { id: editor.userId, name: 'Editor', email: editor.email },
        target: { type: 'collection', id: col.id, title: 'Ops' },
        summary: 'Editor created the collection "Ops"',
      });
      expect(renamed).toMatchObject({
        action: 'tag.renamed',
        summary: 'Admin renamed the tag "triage" to "Triage"',
      });
      expect(tagCreated).toMatchObject({
        action: 'tag.created',
        target: { type: 'tag', id: tag.id, title: 'Triage' },
      });
      expect(commented).toMatchObject({
        action: 'comment.created',
        actor: { id: viewer.userId },
        target: { type: 'comment', title: 'Triage ticket', promptId: p.id },
        summary: 'Viewer commented on "Triage ticket"',
      });
      expect(updated).toMatchObject({
        action: 'prompt.updated',
        target: { type: 'prompt', id: p.id, title: 'Triage ticket' },
        summary: expect.stringMatching(
          /^Editor updated the prompt "Triage ticket" \(content.*\), now version 2$/,
        ),
      });
      expect(created).toMatchObject({
        action: 'prompt.created',
        target: { id: p.id },
        summary: 'Editor created the prompt "Triage ticket"',
      });
      // Not activity: membership, sign-ins and keys stay in the audit log.
      expect(items.every((i) => /^(prompt|comment|collection|tag|category)\./.test(i.action))).toBe(true);
    });

    it('narrows to one prompt (its comments included) and pages with a cursor', async () => {
      const p = await createPrompt(editor);
      await t
        .http()
        .patch(`/api/v1/prompts/${p.id}`)
        .set(auth(editor, org))
        .send({ title: 'Renamed' })
        .expect(200);
      await comment(admin, p.id, { content: 'hm' }).expect(201);
      await createPrompt(editor);
      const items = await feed(viewer, `&promptId=${p.id}`);
      expect(items.map((i) => i.action)).toEqual(['comment.created', 'prompt.updated', 'prompt.created']);
      expect(items.every((i) => i.target.title === 'Renamed')).toBe(true);

      const first = await t
        .http()
        .get(`/api/v1/activity?promptId=${p.id}&limit=2`)
        .set(auth(viewer, org))
        .expect(200);
      expect(first.body.items.map((i: Entry) => i.id)).toEqual(items.slice(0, 2).map((i) => i.id));
      const second = await t
        .http()
        .get(`/api/v1/activity?promptId=${p.id}&limit=2&cursor=${first.body.nextCursor}`)
        .set(auth(viewer, org))
        .expect(200);
      expect(second.body.items.map((i: Entry) => i.id)).toEqual([items[2].id]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('hides what the caller cannot see: others’ private prompts and their comments, deleted private prompts', async () => {
      const secret = await createPrompt(editor2, { visibility: 'private', title: 'Secret plan' });
      await comment(editor2, secret.id, { content: 'private thoughts' }).expect(201);
      const open = await createPrompt(editor2, { title: 'Open plan' });
      const gone = await createPrompt(editor2, { visibility: 'private', title: 'Gone secret' });
      await t.http().delete(`/api/v1/prompts/${gone.id}`).set(auth(editor2, org)).expect(204);
      await t.http().delete(`/api/v1/prompts/${open.id}`).set(auth(editor2, org)).expect(204);

      const hiddenIds = [secret.id, gone.id];
      for (const who of [owner, admin, viewer]) {
        const items = await feed(who);
        const promptIds = items.map((i) => i.target.promptId ?? i.target.id);
        expect(promptIds.filter((id) => hiddenIds.includes(id))).toEqual([]);
        expect(JSON.stringify(items)).not.toMatch(/Secret plan|Gone secret/);
        // A deleted organization prompt keeps its history.
        expect(items.filter((i) => i.target.id === open.id).map((i) => i.action)).toEqual([
          'prompt.deleted',
          'prompt.created',
        ]);
        expect(items.find((i) => i.action === 'prompt.deleted' && i.target.id === open.id)?.summary).toBe(
          'Editor Two deleted the prompt "Open plan"',
        );
        expect((await feed(who, `&promptId=${secret.id}`)).length).toBe(0);
      }
      // The author sees their own private work, deleted or not.
      const own = await feed(editor2);
      expect(
        own.filter((i) => (i.target.promptId ?? i.target.id) === secret.id).map((i) => i.action),
      ).toEqual(['comment.created', 'prompt.created']);
      expect(own.filter((i) => i.target.id === gone.id).map((i) => i.action)).toEqual([
        'prompt.deleted',
        'prompt.created',
      ]);

      // Made visible to the organization, the prompt's history appears for everyone.
      await t
        .http()
        .patch(`/api/v1/prompts/${secret.id}`)
        .set(auth(editor2, org))
        .send({ visibility: 'organization' })
        .expect(200);
      expect((await feed(viewer, `&promptId=${secret.id}`)).map((i) => i.action)).toEqual([
        'prompt.updated',
        'comment.created',
        'prompt.created',
      ]);
    });

    it('names the user behind an API key as the actor', async () => {
      const key = (
        await t
          .http()
          .post(`/api/v1/organizations/${org}/api-keys`)
          .set({ Authorization: `Bearer ${editor.token}` })
          .send({ name: 'ci' })
          .expect(201)
      ).body.key as string;
      const created = await t
        .http()
        .post('/api/v1/prompts')
        .set('X-API-Key', key)
        .send({ title: 'From CI', content: 'x' })
        .expect(201);
      const [entry] = await feed(viewer, `&promptId=${created.body.id}`);
      expect(entry).toMatchObject({
        action: 'prompt.created',
        actor: { id: editor.userId, email: editor.email },
      });
    });

    it('keeps to the caller’s organization and validates its query', async () => {
      const theirs = await createPrompt(outsider, {}, outsider.organizationId);
      expect((await feed(outsider, '', outsider.organizationId)).map((i) => i.target.id)).toEqual([
        theirs.id,
      ]);
      expect((await feed(viewer, `&promptId=${theirs.id}`)).length).toBe(0);
      await t.http().get('/api/v1/activity').set('X-Organization-Id', org).expect(401);
      await t.http().get('/api/v1/activity').set(auth(outsider, org)).expect(404);
      await t.http().get('/api/v1/activity?promptId=nope').set(auth(viewer, org)).expect(400);
      await t.http().get('/api/v1/activity?cursor=nope').set(auth(viewer, org)).expect(400);
      await t.http().get('/api/v1/activity?limit=0').set(auth(viewer, org)).expect(400);
    });
  });
});
