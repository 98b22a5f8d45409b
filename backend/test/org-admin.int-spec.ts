import { createHash } from 'node:crypto';
import { auth, SignedUpUser, signUp, useTeamApp } from './support/test-app';

/**
 * Organization administration (issue 15 items 5–7): merging tags, narrowing the activity feed by
 * member and kind, re-slugging an organization (its SSO URLs follow), and SSO-first sign-in
 * discovery. Each route: success with the database state afterwards, 401, 403 by role, 404 across
 * tenants, 400 on bad input.
 */
describe('organization administration', () => {
  const suite = useTeamApp();

  let seq = 0;
  const createPrompt = async (
    author: SignedUpUser,
    opts: { visibility?: 'private' | 'organization'; tags?: string[] } = {},
  ): Promise<string> => {
    const res = await suite.t
      .http()
      .post('/api/v1/prompts')
      .set(auth(author, suite.org))
      .send({ title: `Admin prompt ${++seq}`, content: 'Hello', ...opts });
    if (res.status !== 201) throw new Error(`create prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const createTag = async (name: string) =>
    (await suite.t.http().post('/api/v1/tags').set(auth(suite.editor, suite.org)).send({ name }).expect(201))
      .body as {
      id: string;
      name: string;
    };
  const tagsOf = async (promptId: string) =>
    (
      await suite.t.owner.query(
        `SELECT t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1 ORDER BY t.name`,
        [promptId],
      )
    ).rows.map((r: { name: string }) => r.name);
  const dbNow = async () =>
    (await suite.t.owner.query(`SELECT clock_timestamp() AS now`)).rows[0].now as Date;

  describe('POST /tags/:id/merge', () => {
    it('moves every prompt (private ones included) onto the surviving tag once, deletes the merged one, audits and reindexes', async () => {
      const from = await createTag('summarise');
      const into = await createTag('summarize');
      const onlyFrom = await createPrompt(suite.editor, { tags: [from.name] });
      const both = await createPrompt(suite.editor, { tags: [from.name, into.name] });
      const privateOne = await createPrompt(suite.editor2, { tags: [from.name], visibility: 'private' });
      const untouched = await createPrompt(suite.editor, { tags: [into.name] });
      const since = await dbNow();

      const res = await suite.t
        .http()
        .post(`/api/v1/tags/${from.id}/merge`)
        .set(auth(suite.admin, suite.org))
        .send({ into: into.id })
        .expect(200);
      // The admin sees two of the three prompts that carry it now (the private one is editor2's) plus `untouched`.
      expect(res.body).toEqual({ id: into.id, name: 'summarize', usage: 3, createdAt: expect.any(String) });

      expect((await suite.t.owner.query(`SELECT 1 FROM tags WHERE id = $1`, [from.id])).rowCount).toBe(0);
      for (const p of [onlyFrom, both, privateOne, untouched]) expect(await tagsOf(p)).toEqual(['summarize']);
      const searchTags = await suite.t.owner.query(`SELECT search_tags FROM prompts WHERE id = $1`, [
        privateOne,
      ]);
      expect(searchTags.rows[0].search_tags).toEqual(['summarize']);

      const audit = await suite.t.owner.query(
        `SELECT actor_id, target_type, target_id, changes FROM audit_events
          WHERE organization_id = $1 AND action = 'tag.merged'`,
        [suite.org],
      );
      expect(audit.rows).toEqual([
        {
          actor_id: suite.admin.userId,
          target_type: 'tag',
          target_id: into.id,
          changes: {
            from: { id: from.id, name: 'summarise' },
            into: { id: into.id, name: 'summarize' },
            prompts: 3,
          },
        },
      ]);
      const outbox = await suite.t.owner.query(
        `SELECT aggregate_id FROM outbox_events
          WHERE organization_id = $1 AND type = 'prompt.updated' AND created_at >= $2 ORDER BY aggregate_id`,
        [suite.org, since],
      );
      expect(outbox.rows.map((r: { aggregate_id: string }) => r.aggregate_id)).toEqual(
        [onlyFrom, both, privateOne].sort(),
      );
    });

    it('answers 401, 403 below ADMIN, 404 across tenants or for an unknown tag, 400 on bad input', async () => {
      const from = await createTag('merge-me');
      const into = await createTag('keep-me');
      const url = `/api/v1/tags/${from.id}/merge`;
      await suite.t.http().post(url).set('X-Organization-Id', suite.org).send({ into: into.id }).expect(401);
      await suite.t.http().post(url).set(auth(suite.editor, suite.org)).send({ into: into.id }).expect(403);
      await suite.t.http().post(url).set(auth(suite.viewer, suite.org)).send({ into: into.id }).expect(403);
      await suite.t.http().post(url).set(auth(suite.outsider)).send({ into: into.id }).expect(404);
      await suite.t.http().post(url).set(auth(suite.outsider, suite.org)).send({ into: into.id }).expect(404);
      const unknown = '00000000-0000-4000-8000-000000000000';
      await suite.t.http().post(url).set(auth(suite.owner, suite.org)).send({ into: unknown }).expect(404);
      await suite.t
        .http()
        .post(`/api/v1/tags/${unknown}/merge`)
        .set(auth(suite.owner, suite.org))
        .send({ into: into.id })
        .expect(404);
      // A tag of another organization is absent here.
      const foreign = (
        await suite.t
          .http()
          .post('/api/v1/tags')
          .set(auth(suite.outsider))
          .send({ name: 'foreign' })
          .expect(201)
      ).body.id as string;
      await suite.t.http().post(url).set(auth(suite.owner, suite.org)).send({ into: foreign }).expect(404);

      const bad = async (body: unknown, field: string) => {
        const res = await suite.t
          .http()
          .post(url)
          .set(auth(suite.owner, suite.org))
          .send(body as object)
          .expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      await bad({}, 'into');
      await bad({ into: 'nope' }, 'into');
      await bad({ into: from.id }, 'into');
      await bad({ into: into.id, extra: 1 }, 'extra');
      await suite.t
        .http()
        .post(`/api/v1/tags/nope/merge`)
        .set(auth(suite.owner, suite.org))
        .send({ into: into.id })
        .expect(400);

      // Nothing moved.
      expect(
        (await suite.t.owner.query(`SELECT 1 FROM tags WHERE id = ANY($1)`, [[from.id, into.id]])).rowCount,
      ).toBe(2);
      const merged = await suite.t.owner.query(
        `SELECT 1 FROM audit_events WHERE action = 'tag.merged' AND target_id = $1`,
        [into.id],
      );
      expect(merged.rowCount).toBe(0);
    });
  });

  describe('GET /activity filters', () => {
    it('narrows the feed to one member and to one kind of change', async () => {
      const mine = await createPrompt(suite.editor2);
      await suite.t
        .http()
        .post(`/api/v1/prompts/${mine}/comments`)
        .set(auth(suite.editor2, suite.org))
        .send({ content: 'hi' })
        .expect(201);
      await createPrompt(suite.editor);

      const feed = async (query: string) =>
        (
          await suite.t
            .http()
            .get(`/api/v1/activity?limit=100&${query}`)
            .set(auth(suite.viewer, suite.org))
            .expect(200)
        ).body.items as Array<{ actor: { id: string } | null; action: string; target: { id: string } }>;

      const byEditor2 = await feed(`actorId=${suite.editor2.userId}`);
      expect(byEditor2.length).toBeGreaterThan(0);
      expect(byEditor2.every((e) => e.actor?.id === suite.editor2.userId)).toBe(true);
      expect(byEditor2.map((e) => e.action)).toEqual(
        expect.arrayContaining(['comment.created', 'prompt.created']),
      );

      const comments = await feed(`type=comment&actorId=${suite.editor2.userId}`);
      expect(comments.map((e) => e.action)).toEqual(['comment.created']);

      const prompts = await feed('type=prompt');
      expect(prompts.length).toBeGreaterThan(1);
      expect(prompts.every((e) => e.action.startsWith('prompt.'))).toBe(true);

      expect(await feed(`actorId=${suite.outsider.userId}`)).toEqual([]);
    });

    it('refuses an unknown type or a malformed member id (400)', async () => {
      for (const q of ['type=member', 'type=', 'actorId=nope']) {
        const res = await suite.t
          .http()
          .get(`/api/v1/activity?${q}`)
          .set(auth(suite.viewer, suite.org))
          .expect(400);
        expect(res.body.errors[0].field).toBe(q.split('=')[0]);
      }
      await suite.t
        .http()
        .get('/api/v1/activity?type=prompt')
        .set('X-Organization-Id', suite.org)
        .expect(401);
      await suite.t
        .http()
        .get('/api/v1/activity?type=prompt')
        .set(auth(suite.outsider, suite.org))
        .expect(404);
    });
  });

  describe('re-slugging an organization', () => {
    it('changes the slug (OWNER, ADMIN), audits it, and the SSO URLs follow; a taken slug is 409', async () => {
      const other = await signUp(suite.t, 'Slug Holder');
      const taken = (
        await suite.t.http().get(`/api/v1/organizations/${other.organizationId}`).set(auth(other)).expect(200)
      ).body.slug as string;
      const before = (
        await suite.t
          .http()
          .get(`/api/v1/organizations/${suite.org}`)
          .set(auth(suite.owner, suite.org))
          .expect(200)
      ).body.slug as string;

      await suite.t
        .http()
        .patch(`/api/v1/organizations/${suite.org}`)
        .set(auth(suite.editor, suite.org))
        .send({ slug: 'x-y-z' })
        .expect(403);
      await suite.t.http().patch(`/api/v1/organizations/${suite.org}`).send({ slug: 'x-y-z' }).expect(401);
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${suite.org}`)
        .set(auth(suite.outsider, suite.org))
        .send({ slug: 'x-y-z' })
        .expect(404);
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${suite.org}`)
        .set(auth(suite.admin, suite.org))
        .send({ slug: 'Bad Slug' })
        .expect(400);
      const conflict = await suite.t
        .http()
        .patch(`/api/v1/organizations/${suite.org}`)
        .set(auth(suite.admin, suite.org))
        .send({ slug: taken })
        .expect(409);
      expect(conflict.body.code).toBe('organization_slug_taken');

      const slug = `acme-${Date.now()}`;
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${suite.org}`)
        .set(auth(suite.admin, suite.org))
        .send({ slug })
        .expect(200);
      const row = await suite.t.owner.query(`SELECT slug FROM organizations WHERE id = $1`, [suite.org]);
      expect(row.rows[0].slug).toBe(slug);
      const audit = await suite.t.owner.query(
        `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'organization.updated' ORDER BY seq DESC LIMIT 1`,
        [suite.org],
      );
      expect(audit.rows[0].changes).toEqual({ slug: { from: before, to: slug } });

      const metadata = await suite.t.http().get(`/api/v1/auth/saml/${slug}/metadata`).expect(200);
      expect(metadata.text).toContain(`/api/v1/auth/saml/${slug}/acs`);
      await suite.t.http().get(`/api/v1/auth/saml/${before}/metadata`).expect(404);
    });
  });

  describe('GET /auth/sso/discover', () => {
    let ssoOrg: string;
    let ssoSlug: string;

    beforeAll(async () => {
      const ssoOwner = await signUp(suite.t, 'SSO Owner');
      ssoOrg = ssoOwner.organizationId;
      ssoSlug = `sso-first-${Date.now()}`;
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${ssoOrg}`)
        .set(auth(ssoOwner))
        .send({ slug: ssoSlug })
        .expect(200);
      await suite.t.owner.query(
        `INSERT INTO sso_settings (organization_id, enabled, idp_entity_id, idp_sso_url, idp_certificate,
                                   attribute_mapping, default_role, sso_required)
         VALUES ($1, true, 'https://idp.example.test', 'https://idp.example.test/sso', 'cert',
                 '{"email":"email","name":"name"}', 'VIEWER', true)`,
        [ssoOrg],
      );
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${ssoOrg}/settings`)
        .set(auth(ssoOwner))
        .send({ allowedEmailDomains: ['Corp.Example.Test'] })
        .expect(200);
    });

    const discover = (query: string) => suite.t.http().get(`/api/v1/auth/sso/discover?${query}`);

    it('sends an address of a claimed domain to its IdP, whether or not the account exists', async () => {
      const expected = {
        ssoRequired: true,
        loginUrl: `${suite.t.config.publicUrl}/api/v1/auth/saml/${ssoSlug}/login`,
        organizationSlug: ssoSlug,
      };
      const known = await discover('email=Ada@Corp.Example.Test').expect(200);
      const unknown = await discover(`email=nobody-${Date.now()}@corp.example.test`).expect(200);
      expect(known.body).toEqual(expected);
      expect(unknown.body).toEqual(expected);
      expect(known.headers['cache-control']).toBe('no-store');
      // A remembered organization counts first, whatever the e-mail.
      expect((await discover(`organization=${ssoSlug}&email=a@elsewhere.test`).expect(200)).body).toEqual(
        expected,
      );
    });

    it('answers "not required" for other domains, organizations without SSO, and SSO turned off or optional', async () => {
      const none = { ssoRequired: false, loginUrl: null, organizationSlug: null };
      expect((await discover('email=a@example.com').expect(200)).body).toEqual(none);
      expect((await discover('email=a@sub.corp.example.test').expect(200)).body).toEqual(none);
      const plain = (
        await suite.t
          .http()
          .get(`/api/v1/organizations/${suite.org}`)
          .set(auth(suite.owner, suite.org))
          .expect(200)
      ).body.slug;
      expect((await discover(`organization=${plain}`).expect(200)).body).toEqual(none);
      expect((await discover('organization=no-such-org').expect(200)).body).toEqual(none);

      await suite.t.owner.query(`UPDATE sso_settings SET sso_required = false WHERE organization_id = $1`, [
        ssoOrg,
      ]);
      expect((await discover('email=a@corp.example.test').expect(200)).body).toEqual(none);
      expect((await discover(`organization=${ssoSlug}`).expect(200)).body).toEqual(none);
      await suite.t.owner.query(
        `UPDATE sso_settings SET sso_required = true, enabled = false WHERE organization_id = $1`,
        [ssoOrg],
      );
      expect((await discover('email=a@corp.example.test').expect(200)).body).toEqual(none);
      await suite.t.owner.query(`UPDATE sso_settings SET enabled = true WHERE organization_id = $1`, [
        ssoOrg,
      ]);
      expect((await discover('email=a@corp.example.test').expect(200)).body.ssoRequired).toBe(true);
    });

    it('refuses a request with neither field, a malformed e-mail or slug (400)', async () => {
      for (const [query, field] of [
        ['', 'email'],
        ['email=not-an-email', 'email'],
        ['organization=Not%20A%20Slug', 'organization'],
        ['email=a@corp.example.test&extra=1', 'extra'],
      ]) {
        const res = await discover(query).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });
  });

  describe('settings at work', () => {
    it('invitations take the default role when they name none, and only allowed e-mail domains', async () => {
      // A small organization of its own: the team's one is at the Free plan's member limit.
      const boss = await signUp(suite.t, 'Inviter');
      const own = boss.organizationId;
      await suite.t
        .http()
        .patch(`/api/v1/organizations/${own}/settings`)
        .set(auth(boss))
        .send({ defaultRole: 'VIEWER', allowedEmailDomains: ['team.example.test'] })
        .expect(200);
      const invites = `/api/v1/organizations/${own}/invites`;
      const res = await suite.t
        .http()
        .post(invites)
        .set(auth(boss))
        .send({ email: 'new.person@team.example.test' })
        .expect(201);
      expect(res.body.role).toBe('VIEWER');
      const stored = await suite.t.owner.query(`SELECT role FROM invites WHERE id = $1`, [res.body.id]);
      expect(stored.rows[0].role).toBe('VIEWER');
      // An explicit role still wins.
      const explicit = await suite.t
        .http()
        .post(invites)
        .set(auth(boss))
        .send({ email: 'other.person@team.example.test', role: 'EDITOR' })
        .expect(201);
      expect(explicit.body.role).toBe('EDITOR');

      const refused = await suite.t
        .http()
        .post(invites)
        .set(auth(boss))
        .send({ email: 'someone@elsewhere.example.test' })
        .expect(400);
      expect(refused.body.code).toBe('email_domain_not_allowed');
      expect(refused.body.errors).toEqual([
        { field: 'email', message: expect.stringContaining('team.example.test') },
      ]);
      const none = await suite.t.owner.query(`SELECT 1 FROM invites WHERE email = $1`, [
        'someone@elsewhere.example.test',
      ]);
      expect(none.rowCount).toBe(0);
    });

    it("ends a session older than the organization's session lifetime at its next refresh", async () => {
      const member = await signUp(suite.t, 'Short Session');
      const memberOrg = member.organizationId;
      const login = async () => {
        const res = await suite.t
          .http()
          .post('/api/v1/auth/login')
          .send({ email: member.email, password: 'correct horse battery' })
          .expect(200);
        return res.body.refreshToken as string;
      };
      const refresh = (token: string) =>
        suite.t.http().post('/api/v1/auth/refresh').send({ refreshToken: token });
      const age = (token: string, minutes: number) =>
        suite.t.owner.query(
          `UPDATE refresh_tokens SET created_at = now() - make_interval(mins => $2)
            WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
          [createHash('sha256').update(token).digest('hex'), minutes],
        );

      // Without a lifetime, an old session refreshes.
      const old = await login();
      await age(old, 600);
      const renewed = (await refresh(old).expect(200)).body.refreshToken as string;

      await suite.t
        .http()
        .patch(`/api/v1/organizations/${memberOrg}/settings`)
        .set(auth(member))
        .send({ sessionTtlMinutes: 30 })
        .expect(200);

      // Younger than 30 minutes: still fine.
      const fresh = await login();
      await age(fresh, 10);
      await refresh(fresh).expect(200);

      // The 10-hour-old session has outlived it: refused, and the whole family is revoked.
      const res = await refresh(renewed).expect(401);
      expect(res.body.code).toBe('refresh_token_expired');
      const live = await suite.t.owner.query(
        `SELECT count(*)::int AS n FROM refresh_tokens
          WHERE user_id = $1 AND revoked_at IS NULL AND replaced_by IS NULL AND created_at < now() - interval '1 hour'`,
        [member.userId],
      );
      expect(live.rows[0].n).toBe(0);
    });
  });
});
