import { randomBytes } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { LabelMoveSequence1763900600000 } from '../src/database/migrations/1763900600000-label-move-sequence';
import { auth, SignedUpUser, useTeamApp } from './support/test-app';

describe('Versions, diffs, labels and runtime fetch', () => {
  const suite = useTeamApp();

  const as = (u: SignedUpUser) => auth(u, suite.org);
  const create = async (u: SignedUpUser, body: Record<string, unknown>) =>
    (await suite.t.http().post('/api/v1/prompts').set(as(u)).send(body).expect(201)).body as {
      id: string;
      slug: string;
    };
  const patch = (u: SignedUpUser, id: string, body: Record<string, unknown>) =>
    suite.t.http().patch(`/api/v1/prompts/${id}`).set(as(u)).send(body).expect(200);
  /** `PUT /prompts/:id/labels/:label {version}` as `u`, expecting `status`. */
  const moveLabel = (u: SignedUpUser, id: string, label: string, version: number, status: number) =>
    suite.t.http().put(`/api/v1/prompts/${id}/labels/${label}`).set(as(u)).send({ version }).expect(status);
  const count = async (sql: string, params: unknown[]) =>
    Number((await suite.t.owner.query(sql, params)).rows[0].n);

  /** A prompt by `editor` with three versions. */
  const threeVersions = async (title = 'Greeter') => {
    const p = await create(suite.editor, {
      title,
      description: 'Greets people',
      content: 'Hello {{name}}, welcome.',
      metadata: { model: 'a', temperature: 1 },
    });
    await patch(suite.editor, p.id, { content: 'Hello {{name}}, welcome aboard.', changeNote: 'warmer' });
    await patch(suite.editor, p.id, { title: `${title} v3`, metadata: { model: 'b', temperature: 1 } });
    return p;
  };

  describe('history', () => {
    it('lists versions newest first, paginated, and shows full snapshots', async () => {
      const p = await threeVersions();
      const all = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions`)
        .set(as(suite.viewer))
        .expect(200);
      expect(all.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
      expect(all.body.items[1]).toEqual({
        version: 2,
        title: 'Greeter',
        changedBy: suite.editor.userId,
        changeNote: 'warmer',
        createdAt: expect.any(String),
      });
      const first = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions?limit=2`)
        .set(as(suite.viewer))
        .expect(200);
      expect(first.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
      const second = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions`)
        .query({ limit: 2, cursor: first.body.nextCursor })
        .set(as(suite.viewer))
        .expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ version: 1 })], nextCursor: null });

      const v1 = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions/1`)
        .set(as(suite.viewer))
        .expect(200);
      expect(v1.body).toEqual({
        promptId: p.id,
        version: 1,
        title: 'Greeter',
        description: 'Greets people',
        content: 'Hello {{name}}, welcome.',
        variables: [{ name: 'name', type: 'text', required: true }],
        metadata: { model: 'a', temperature: 1 },
        changedBy: suite.editor.userId,
        changeNote: null,
        createdAt: expect.any(String),
      });
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions/9`).set(as(suite.viewer)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions/abc`).set(as(suite.viewer)).expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions/0`).set(as(suite.viewer)).expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions?limit=0`).set(as(suite.viewer)).expect(400);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions?cursor=xyz`)
        .set(as(suite.viewer))
        .expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions`).expect(401);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/versions`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions`).set(auth(suite.outsider)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions/1`).set(auth(suite.outsider)).expect(404);
    });

    it('keeps versions immutable for the runtime role', async () => {
      const p = await create(suite.editor, { title: 'Immutable', content: 'x' });
      const client = await suite.t.owner.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`,
          [suite.org, suite.editor.userId],
        );
        await expect(
          client.query(`UPDATE prompt_versions SET content = 'changed' WHERE prompt_id = $1`, [p.id]),
        ).rejects.toThrow(/permission denied/);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });

    it('hides the versions of private prompts from everyone but the author', async () => {
      const p = await create(suite.editor, { title: 'Private history', content: 'x', visibility: 'private' });
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions`).set(as(suite.editor)).expect(200);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions`).set(as(suite.owner)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/versions/1`).set(as(suite.owner)).expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/diff?from=1&to=1`).set(as(suite.owner)).expect(404);
    });
  });

  describe('diff', () => {
    it('answers per-field hunks for changed fields only', async () => {
      const p = await threeVersions('Differ');
      const d12 = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=1&to=2`)
        .set(as(suite.viewer))
        .expect(200);
      expect(d12.body).toEqual({
        from: 1,
        to: 2,
        fields: {
          content: [
            { op: 'equal', text: 'Hello {{name}}, welcome' },
            { op: 'insert', text: ' aboard' },
            { op: 'equal', text: '.' },
          ],
        },
      });
      const d13 = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=1&to=3`)
        .set(as(suite.viewer))
        .expect(200);
      expect(Object.keys(d13.body.fields).sort()).toEqual(['content', 'metadata', 'title']);
      expect(d13.body.fields.title).toEqual([
        { op: 'equal', text: 'Differ' },
        { op: 'insert', text: ' v3' },
      ]);
      const meta = d13.body.fields.metadata as Array<{ op: string; text: string }>;
      expect(meta.filter((h) => h.op !== 'equal').map((h) => [h.op, h.text.trim()])).toEqual([
        ['delete', '"model": "a",'],
        ['insert', '"model": "b",'],
      ]);
      const same = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=2&to=2`)
        .set(as(suite.viewer))
        .expect(200);
      expect(same.body.fields).toEqual({});
      // Reversed direction swaps inserts and deletes.
      const d21 = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=2&to=1`)
        .set(as(suite.viewer))
        .expect(200);
      expect(d21.body.fields.content[1]).toEqual({ op: 'delete', text: ' aboard' });
    });

    it('diffs long content line by line and variables as JSON lines', async () => {
      const lines = Array.from({ length: 30 }, (_, i) => `Step ${i}: do {{thing}} carefully.`);
      const p = await create(suite.editor, { title: 'Long', content: lines.join('\n') });
      const changed = [...lines];
      changed[10] = 'Step 10: do {{thing}} with {{tool}}.';
      await patch(suite.editor, p.id, {
        content: changed.join('\n'),
        variables: [{ name: 'tool', type: 'select', options: ['a', 'b'] }],
      });
      const d = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=1&to=2`)
        .set(as(suite.viewer))
        .expect(200);
      const content = d.body.fields.content as Array<{ op: string; text: string }>;
      expect(content.filter((h) => h.op === 'delete')).toEqual([
        { op: 'delete', text: 'Step 10: do {{thing}} carefully.\n' },
      ]);
      expect(content.filter((h) => h.op === 'insert')).toEqual([
        { op: 'insert', text: 'Step 10: do {{thing}} with {{tool}}.\n' },
      ]);
      const variables = d.body.fields.variables as Array<{ op: string; text: string }>;
      expect(variables.some((h) => h.op === 'insert' && h.text.includes('"name": "tool"'))).toBe(true);
    });

    it('needs both versions (400), existing ones (404), a visible prompt (404) and auth (401)', async () => {
      const p = await create(suite.editor, { title: 'D', content: 'x' });
      await suite.t.http().get(`/api/v1/prompts/${p.id}/diff?from=1`).set(as(suite.viewer)).expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/diff?from=a&to=1`).set(as(suite.viewer)).expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/diff?from=1&to=5`).set(as(suite.viewer)).expect(404);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/diff?from=1&to=1`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/diff?from=1&to=1`).expect(401);
    });
  });

  describe('revert', () => {
    it('makes a new version equal to the old one, audited as prompt.reverted', async () => {
      const p = await threeVersions('Reverter');
      const res = await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/1/revert`)
        .set(as(suite.editor))
        .send({})
        .expect(200);
      expect(res.body).toMatchObject({
        version: 4,
        title: 'Reverter',
        content: 'Hello {{name}}, welcome.',
        metadata: { model: 'a', temperature: 1 },
      });
      const v4 = await suite.t.owner.query(
        `SELECT title, content, change_note, changed_by FROM prompt_versions WHERE prompt_id = $1 AND version = 4`,
        [p.id],
      );
      expect(v4.rows[0]).toEqual({
        title: 'Reverter',
        content: 'Hello {{name}}, welcome.',
        change_note: 'Revert to version 1',
        changed_by: suite.editor.userId,
      });
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'prompt.reverted' AND target_id = $1`,
        [p.id],
      );
      expect(audit.rows).toEqual([{ changes: { revertedTo: 1, from: 3, version: 4 } }]);
      expect(
        await count(
          `SELECT count(*) n FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.updated'`,
          [p.id],
        ),
      ).toBe(3);
      const noted = await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/3/revert`)
        .set(as(suite.admin))
        .send({ changeNote: 'back to b' })
        .expect(200);
      expect(noted.body.version).toBe(5);
      expect(
        (
          await suite.t.owner.query(
            `SELECT change_note FROM prompt_versions WHERE prompt_id = $1 AND version = 5`,
            [p.id],
          )
        ).rows[0].change_note,
      ).toBe('back to b');
    });

    it('needs edit rights (403), an existing version (404) and valid input (400)', async () => {
      const p = await threeVersions('Guarded');
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/1/revert`)
        .set(as(suite.editor2))
        .send({})
        .expect(403);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/1/revert`)
        .set(as(suite.viewer))
        .send({})
        .expect(403);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/9/revert`)
        .set(as(suite.editor))
        .send({})
        .expect(404);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/x/revert`)
        .set(as(suite.editor))
        .send({})
        .expect(400);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/1/revert`)
        .set(as(suite.editor))
        .send({ changeNote: 5 })
        .expect(400);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${p.id}/versions/1/revert`)
        .set(auth(suite.outsider, suite.org))
        .send({})
        .expect(404);
      await suite.t.http().post(`/api/v1/prompts/${p.id}/versions/1/revert`).send({}).expect(401);
      expect(await count(`SELECT version n FROM prompts WHERE id = $1`, [p.id])).toBe(3);
    });
  });

  describe('labels', () => {
    it('lets only OWNER and ADMIN move production; keeps and audits every move', async () => {
      const p = await threeVersions('Labelled');
      await moveLabel(suite.editor, p.id, 'production', 1, 403);
      await moveLabel(suite.viewer, p.id, 'production', 1, 403);
      const first = await moveLabel(suite.admin, p.id, 'production', 1, 200);
      expect(first.body).toEqual({
        label: 'production',
        version: 1,
        updatedBy: suite.admin.userId,
        updatedAt: expect.any(String),
      });
      await moveLabel(suite.owner, p.id, 'production', 3, 200);
      // Pointing where it already points is not a move.
      await moveLabel(suite.owner, p.id, 'production', 3, 200);
      const moves = await suite.t.owner.query(
        `SELECT label, from_version, to_version, moved_by FROM prompt_label_moves WHERE prompt_id = $1 ORDER BY moved_at`,
        [p.id],
      );
      expect(moves.rows).toEqual([
        { label: 'production', from_version: null, to_version: 1, moved_by: suite.admin.userId },
        { label: 'production', from_version: 1, to_version: 3, moved_by: suite.owner.userId },
      ]);
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'prompt.label_moved' AND target_id = $1 ORDER BY seq`,
        [p.id],
      );
      expect(audit.rows.map((r) => r.changes)).toEqual([
        { label: 'production', from: null, to: 1 },
        { label: 'production', from: 1, to: 3 },
      ]);
      const outbox = await suite.t.owner.query(
        `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.label_moved' ORDER BY created_at`,
        [p.id],
      );
      expect(outbox.rows.map((r) => r.payload)).toEqual([
        { label: 'production', from: null, to: 1 },
        { label: 'production', from: 1, to: 3 },
      ]);
      const got = await suite.t.http().get(`/api/v1/prompts/${p.id}`).set(as(suite.viewer)).expect(200);
      expect(got.body.labels).toEqual({ production: 3 });
    });

    it('lets editors of the prompt move other labels; lists labels and their history', async () => {
      const p = await threeVersions('Staged');
      await moveLabel(suite.editor, p.id, 'staging', 2, 200);
      await moveLabel(suite.editor2, p.id, 'staging', 1, 403);
      await moveLabel(suite.viewer, p.id, 'staging', 1, 403);
      await moveLabel(suite.editor, p.id, 'canary_1', 3, 200);
      await moveLabel(suite.admin, p.id, 'staging', 3, 200);

      const labels = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels`)
        .set(as(suite.viewer))
        .expect(200);
      expect(labels.body.map((l: { label: string; version: number }) => [l.label, l.version])).toEqual([
        ['canary_1', 3],
        ['staging', 3],
      ]);
      const history = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history`)
        .set(as(suite.viewer))
        .expect(200);
      expect(
        history.body.items.map((m: { label: string; fromVersion: number | null; toVersion: number }) => [
          m.label,
          m.fromVersion,
          m.toVersion,
        ]),
      ).toEqual([
        ['staging', 2, 3],
        ['canary_1', null, 3],
        ['staging', null, 2],
      ]);
      expect(history.body.items[0]).toMatchObject({
        movedBy: suite.admin.userId,
        movedAt: expect.any(String),
      });
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await suite.t
          .http()
          .get(`/api/v1/prompts/${p.id}/labels/history`)
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(as(suite.viewer))
          .expect(200);
        paged.push(...page.body.items.map((m) => m.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(history.body.items.map((m: { id: string }) => m.id));
      const staging = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history?label=staging`)
        .set(as(suite.viewer))
        .expect(200);
      expect(staging.body.items).toHaveLength(2);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history?label=Bad!`)
        .set(as(suite.viewer))
        .expect(400);
      await suite.t.http().get(`/api/v1/prompts/${p.id}/labels/history`).expect(401);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
    });

    it('orders the history by the moves, not by their time, also when moves race and times tie', async () => {
      const p = await threeVersions('Raced');
      await patch(suite.editor, p.id, { content: 'Hello {{name}}, v4.' });
      await moveLabel(suite.editor, p.id, 'staging', 4, 200);
      // Concurrent moves of one label: each waits for the label's row lock, so their order is the
      // chain from → to, whatever their transactions' start times (moved_at) say.
      const targets = [1, 2, 3, 1, 2, 3, 1, 2];
      await Promise.all(
        targets.map((v) =>
          suite.t
            .http()
            .put(`/api/v1/prompts/${p.id}/labels/staging`)
            .set(as(suite.editor))
            .send({ version: v })
            .expect(200),
        ),
      );
      // Moves of other labels in between, then every move made to carry one moved_at, as moves
      // written in one transaction do.
      await moveLabel(suite.editor, p.id, 'canary', 2, 200);
      await moveLabel(suite.editor, p.id, 'staging', 4, 200);
      await moveLabel(suite.editor, p.id, 'canary', 3, 200);
      await suite.t.owner.query(
        `UPDATE prompt_label_moves SET moved_at = '2026-01-02T03:04:05.678Z' WHERE prompt_id = $1`,
        [p.id],
      );

      type Move = {
        id: string;
        label: string;
        fromVersion: number | null;
        toVersion: number;
        movedAt: string;
      };
      const history = async (query: Record<string, string | number>) => {
        const all: Move[] = [];
        let cursor: string | null = null;
        do {
          const page: { body: { items: Move[]; nextCursor: string | null } } = await suite.t
            .http()
            .get(`/api/v1/prompts/${p.id}/labels/history`)
            .query({ ...query, ...(cursor ? { cursor } : {}) })
            .set(as(suite.viewer))
            .expect(200);
          all.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        return all;
      };
      const full = await history({ limit: 100 });
      const recorded = await count(`SELECT count(*) n FROM prompt_label_moves WHERE prompt_id = $1`, [p.id]);
      expect(full).toHaveLength(recorded);
      expect(new Set(full.map((m) => m.movedAt))).toEqual(new Set(['2026-01-02T03:04:05.678Z']));
      // Newest first, each label's moves form an unbroken chain: a move starts where the one before it ended.
      const chain = (label: string) => full.filter((m) => m.label === label).reverse();
      for (const label of ['staging', 'canary']) {
        const moves = chain(label);
        expect(moves[0].fromVersion).toBeNull();
        for (let i = 1; i < moves.length; i++) expect(moves[i].fromVersion).toBe(moves[i - 1].toVersion);
      }
      expect(chain('staging').length).toBeGreaterThanOrEqual(4);
      expect(full.slice(0, 3).map((m) => [m.label, m.toVersion])).toEqual([
        ['canary', 3],
        ['staging', 4],
        ['canary', 2],
      ]);
      // Every page size walks the same list across the tie: nothing skipped, nothing repeated.
      for (const limit of [1, 2, 3, 5]) expect(await history({ limit })).toEqual(full);
      expect(await history({ limit: 2, label: 'staging' })).toEqual(
        full.filter((m) => m.label === 'staging'),
      );
      // A cursor handed out before the sequence existed ({moved_at text, id}) still continues after its move.
      const legacy = Buffer.from(
        JSON.stringify({ t: '2026-01-02 03:04:05.678+00', id: full[2].id }),
      ).toString('base64url');
      const rest = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history`)
        .query({ limit: 100, cursor: legacy })
        .set(as(suite.viewer))
        .expect(200);
      expect(rest.body.items).toEqual(full.slice(3));
      const huge = Buffer.from(JSON.stringify({ s: '9'.repeat(19) })).toString('base64url');
      await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history`)
        .query({ cursor: huge })
        .set(as(suite.viewer))
        .expect(400);
    });

    it('numbers existing moves in their (moved_at, id) order when the sequence is added', async () => {
      const p = await threeVersions('Backfilled');
      await moveLabel(suite.editor, p.id, 'staging', 1, 200);
      await moveLabel(suite.editor, p.id, 'staging', 2, 200);
      await moveLabel(suite.editor, p.id, 'canary', 3, 200);
      // The migration runs again over moves whose times say canary came first, then staging→2,
      // then staging→1, and as a table owner who is not a superuser (whom forced RLS binds).
      const migrator = `pv_migrator_${randomBytes(4).toString('hex')}`;
      const client = await suite.t.owner.connect();
      try {
        const migration = new LabelMoveSequence1763900600000();
        const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
        await client.query(
          `UPDATE prompt_label_moves SET moved_at = CASE to_version WHEN 3 THEN timestamptz '2026-01-01'
             WHEN 2 THEN timestamptz '2026-01-02' ELSE timestamptz '2026-01-03' END WHERE prompt_id = $1`,
          [p.id],
        );
        await client.query('BEGIN');
        await migration.down(runner);
        const { rows } = await client.query(`SELECT current_user AS owner`);
        await client.query(`CREATE ROLE ${migrator} NOSUPERUSER`);
        // What an owner of the schema has: creating the sequence, reading what the policies read.
        await client.query(`GRANT CREATE ON SCHEMA public TO ${migrator}`);
        await client.query(`GRANT SELECT ON prompts TO ${migrator}`);
        await client.query(`ALTER TABLE prompt_label_moves OWNER TO ${migrator}`);
        await client.query(`SET LOCAL ROLE ${migrator}`);
        await migration.up(runner);
        await client.query(`RESET ROLE`);
        await client.query(`ALTER TABLE prompt_label_moves OWNER TO ${rows[0].owner}`);
        await client.query(`REVOKE CREATE ON SCHEMA public FROM ${migrator}`);
        await client.query(`REVOKE SELECT ON prompts FROM ${migrator}`);
        await client.query('COMMIT');
        await client.query(`DROP ROLE ${migrator}`);
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
      await moveLabel(suite.editor, p.id, 'canary', 1, 200);
      const history = await suite.t
        .http()
        .get(`/api/v1/prompts/${p.id}/labels/history`)
        .set(as(suite.viewer))
        .expect(200);
      expect(
        history.body.items.map((m: { label: string; toVersion: number }) => [m.label, m.toVersion]),
      ).toEqual([
        ['canary', 1],
        ['staging', 1],
        ['staging', 2],
        ['canary', 3],
      ]);
      const bySeq = await suite.t.owner.query(
        `SELECT label, to_version FROM prompt_label_moves WHERE prompt_id = $1 ORDER BY seq`,
        [p.id],
      );
      expect(bySeq.rows.map((r) => [r.label, r.to_version])).toEqual([
        ['canary', 3],
        ['staging', 2],
        ['staging', 1],
        ['canary', 1],
      ]);
      const seq = await suite.t.owner.query(
        `SELECT attidentity FROM pg_attribute WHERE attrelid = 'prompt_label_moves'::regclass AND attname = 'seq'`,
      );
      expect(seq.rows).toEqual([{ attidentity: 'a' }]);
    });

    it('validates the label name and version (400) and the prompt (404)', async () => {
      const p = await create(suite.editor, { title: 'Label input', content: 'x' });
      for (const label of ['Production', '-x', 'a'.repeat(41), 'sp ace'])
        await suite.t
          .http()
          .put(`/api/v1/prompts/${p.id}/labels/${encodeURIComponent(label)}`)
          .set(as(suite.admin))
          .send({ version: 1 })
          .expect(400);
      await moveLabel(suite.admin, p.id, 'production', 0, 400);
      await suite.t
        .http()
        .put(`/api/v1/prompts/${p.id}/labels/production`)
        .set(as(suite.admin))
        .send({})
        .expect(400);
      const missing = await moveLabel(suite.admin, p.id, 'production', 7, 400);
      expect(missing.body.errors[0].field).toBe('version');
      await suite.t
        .http()
        .put(`/api/v1/prompts/00000000-0000-4000-8000-000000000000/labels/production`)
        .set(as(suite.admin))
        .send({ version: 1 })
        .expect(404);
      await suite.t
        .http()
        .put(`/api/v1/prompts/${p.id}/labels/production`)
        .set(auth(suite.outsider, suite.org))
        .send({ version: 1 })
        .expect(404);
      await suite.t.http().put(`/api/v1/prompts/${p.id}/labels/production`).send({ version: 1 }).expect(401);
      expect(await count(`SELECT count(*) n FROM prompt_labels WHERE prompt_id = $1`, [p.id])).toBe(0);
    });
  });

  describe('runtime fetch by slug', () => {
    it('serves the current, a labelled or a numbered version with an ETag and 304', async () => {
      const p = await threeVersions('Runtime');
      await moveLabel(suite.admin, p.id, 'production', 2, 200);

      const current = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}`)
        .set(as(suite.viewer))
        .expect(200);
      expect(current.body).toEqual({
        id: p.id,
        slug: p.slug,
        version: 3,
        label: null,
        title: 'Runtime v3',
        content: 'Hello {{name}}, welcome aboard.',
        variables: [{ name: 'name', type: 'text', required: true }],
        metadata: { model: 'b', temperature: 1 },
        createdAt: expect.any(String),
      });
      const etag = current.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);

      const prod = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(suite.viewer))
        .expect(200);
      expect(prod.body).toMatchObject({ version: 2, label: 'production', title: 'Runtime' });
      expect(prod.headers.etag).not.toBe(etag);

      const numbered = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?version=1`)
        .set(as(suite.viewer))
        .expect(200);
      expect(numbered.body).toMatchObject({ version: 1, content: 'Hello {{name}}, welcome.' });

      const notModified = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(suite.viewer))
        .set('If-None-Match', prod.headers.etag)
        .expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe(prod.headers.etag);
      await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(suite.viewer))
        .set('If-None-Match', `"other", W/${prod.headers.etag}`)
        .expect(304);

      // Moving the label changes the answer and its ETag.
      await moveLabel(suite.admin, p.id, 'production', 3, 200);
      const moved = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(suite.viewer))
        .set('If-None-Match', prod.headers.etag)
        .expect(200);
      expect(moved.body.version).toBe(3);
    });

    it('fetches prompts whose slugs look like sub-routes of /prompts/:id', async () => {
      for (const slug of ['versions', 'test-cases', 'labels', 'diff']) {
        const p = await create(suite.editor, { title: `Route ${slug}`, slug, content: slug });
        const res = await suite.t
          .http()
          .get(`/api/v1/prompts/by-slug/${slug}`)
          .set(as(suite.viewer))
          .expect(200);
        expect(res.body).toMatchObject({ id: p.id, slug, content: slug });
      }
    });

    it('works with an API key and keeps to the key’s organization and the caller’s visibility', async () => {
      const p = await create(suite.editor, { title: 'Keyed', content: 'k' });
      const priv = await create(suite.editor2, { title: 'Hidden', content: 'h', visibility: 'private' });
      const key = (
        await suite.t
          .http()
          .post(`/api/v1/organizations/${suite.org}/api-keys`)
          .set({ Authorization: `Bearer ${suite.viewer.token}` })
          .send({ name: 'runtime' })
          .expect(201)
      ).body.key as string;
      const res = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}`)
        .set('X-API-Key', key)
        .expect(200);
      expect(res.body.id).toBe(p.id);
      await suite.t.http().get(`/api/v1/prompts/by-slug/${priv.slug}`).set('X-API-Key', key).expect(404);
      await suite.t.http().get(`/api/v1/prompts/by-slug/${priv.slug}`).set(as(suite.editor2)).expect(200);
      await suite.t.http().get(`/api/v1/prompts/by-slug/${p.slug}`).set(auth(suite.outsider)).expect(404);
      await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}`)
        .set(auth(suite.outsider, suite.org))
        .expect(404);
      await suite.t.http().get(`/api/v1/prompts/by-slug/${p.slug}`).expect(401);
    });

    it('answers 404 for unknown slugs, labels and versions and 400 for bad input', async () => {
      const p = await create(suite.editor, { title: 'Lookup', content: 'x' });
      const noLabel = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(suite.viewer))
        .expect(404);
      expect(noLabel.body.detail).toContain('production');
      expect(noLabel.body.code).toBe('version_label_not_found');
      const noVersion = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?version=2`)
        .set(as(suite.viewer))
        .expect(404);
      expect(noVersion.body.code).toBe('version_not_found');
      const noPrompt = await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/no-such-prompt`)
        .set(as(suite.viewer))
        .expect(404);
      expect(noPrompt.body.code).toBe('not_found');
      await suite.t.http().get(`/api/v1/prompts/by-slug/Bad_Slug`).set(as(suite.viewer)).expect(400);
      await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?version=0`)
        .set(as(suite.viewer))
        .expect(400);
      await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?version=1&label=production`)
        .set(as(suite.viewer))
        .expect(400);
      await suite.t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=NOPE`)
        .set(as(suite.viewer))
        .expect(400);
    });
  });
});
