import { recordMails } from './support/mailbox';
import { addMember, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('organizations, members and invitations', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let editor: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;
  let org: string;
  let mailbox: ReturnType<typeof recordMails>;

  beforeAll(async () => {
    // Pro by default: these tests create several organizations per user and invite freely; the
    // Free/Starter limits on both are billing.int-spec's.
    t = await bootTestApp({ env: { DEFAULT_PLAN: 'pro' } });
    mailbox = recordMails(t.app);
    [owner, admin, editor, viewer, outsider] = await Promise.all(
      ['Owner', 'Admin', 'Editor', 'Viewer', 'Outsider'].map((n) => signUp(t, n)),
    );
    org = owner.organizationId;
    await addMember(t, org, admin.userId, 'ADMIN');
    await addMember(t, org, editor.userId, 'EDITOR');
    await addMember(t, org, viewer.userId, 'VIEWER');
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser) => ({ Authorization: `Bearer ${u.token}` });
  const roleOf = async (userId: string) =>
    (
      await t.owner.query(`SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
        org,
        userId,
      ])
    ).rows[0]?.role;

  describe('organizations', () => {
    it('creates an organization with the caller as OWNER, and refuses a taken slug with 409', async () => {
      const res = await t
        .http()
        .post('/api/v1/organizations')
        .set(as(editor))
        .send({ name: 'Acme Research', slug: 'acme-research' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Acme Research',
        slug: 'acme-research',
        plan: 'pro',
      });
      const { rows } = await t.owner.query(
        `SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`,
        [res.body.id, editor.userId],
      );
      expect(rows).toEqual([{ role: 'OWNER' }]);
      const dup = await t
        .http()
        .post('/api/v1/organizations')
        .set(as(viewer))
        .send({ name: 'Other', slug: 'acme-research' })
        .expect(409);
      expect(dup.body.detail).toMatch(/taken/);
      expect(dup.body.code).toBe('organization_slug_taken');
      const generated = await t
        .http()
        .post('/api/v1/organizations')
        .set(as(viewer))
        .send({ name: 'Zoë & Co' })
        .expect(201);
      expect(generated.body.slug).toMatch(/^zoe-co-[0-9a-f]{6}$/);
      await t
        .http()
        .post('/api/v1/organizations')
        .set(as(viewer))
        .send({ name: '', slug: 'Bad Slug' })
        .expect(400);
      await t.http().post('/api/v1/organizations').send({ name: 'x' }).expect(401);
      const me = await t.http().get('/api/v1/me').set(as(editor)).expect(200);
      expect(me.body.memberships.map((m: { slug: string }) => m.slug)).toContain('acme-research');
    });

    it('reads for members, 404 for others, and validates the id', async () => {
      const res = await t.http().get(`/api/v1/organizations/${org}`).set(as(viewer)).expect(200);
      expect(res.body).toMatchObject({ id: org, name: "Owner's organization" });
      await t.http().get(`/api/v1/organizations/${org}`).set(as(outsider)).expect(404);
      await t
        .http()
        .get(`/api/v1/organizations/00000000-0000-4000-8000-000000000000`)
        .set(as(owner))
        .expect(404);
      await t.http().get(`/api/v1/organizations/not-a-uuid`).set(as(owner)).expect(400);
      await t.http().get(`/api/v1/organizations/${org}`).expect(401);
    });

    it('renames for OWNER and ADMIN only, with an audit event', async () => {
      await t.http().patch(`/api/v1/organizations/${org}`).set(as(editor)).send({ name: 'Nope' }).expect(403);
      const res = await t
        .http()
        .patch(`/api/v1/organizations/${org}`)
        .set(as(admin))
        .send({ name: 'Renamed Org' })
        .expect(200);
      expect(res.body.name).toBe('Renamed Org');
      await t.http().patch(`/api/v1/organizations/${org}`).set(as(admin)).send({ plan: 'pro' }).expect(400);
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'organization.updated'`,
        [org],
      );
      expect(audit.rows[0].changes).toEqual({ name: { from: "Owner's organization", to: 'Renamed Org' } });
    });

    it('deletes only as OWNER, with all of its data', async () => {
      const created = await t
        .http()
        .post('/api/v1/organizations')
        .set(as(admin))
        .send({ name: 'Short lived' })
        .expect(201);
      const id = created.body.id;
      await addMember(t, id, viewer.userId, 'ADMIN');
      await t.http().delete(`/api/v1/organizations/${id}`).set(as(viewer)).expect(403);
      await t.http().delete(`/api/v1/organizations/${id}`).set(as(admin)).expect(204);
      await t.http().get(`/api/v1/organizations/${id}`).set(as(admin)).expect(404);
      const left = await t.owner.query(
        `SELECT (SELECT count(*) FROM memberships WHERE organization_id = $1)::int AS m, (SELECT count(*) FROM audit_events WHERE organization_id = $1)::int AS a`,
        [id],
      );
      expect(left.rows[0]).toEqual({ m: 0, a: 0 });
      const outbox = await t.owner.query(`SELECT type FROM outbox_events WHERE organization_id = $1`, [id]);
      expect(outbox.rows).toEqual([{ type: 'organization.deleted' }]);
    });
  });

  describe('members', () => {
    it('lists members for every member', async () => {
      const res = await t.http().get(`/api/v1/organizations/${org}/members`).set(as(viewer)).expect(200);
      expect(res.body).toHaveLength(4);
      expect(res.body).toContainEqual({
        userId: owner.userId,
        email: owner.email,
        name: 'Owner',
        role: 'OWNER',
        joinedAt: expect.any(String),
      });
      await t.http().get(`/api/v1/organizations/${org}/members`).set(as(outsider)).expect(404);
    });

    it('changes roles as OWNER/ADMIN; only an OWNER touches OWNER; the last OWNER stays', async () => {
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${viewer.userId}`)
        .set(as(editor))
        .send({ role: 'EDITOR' })
        .expect(403);
      const res = await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${viewer.userId}`)
        .set(as(admin))
        .send({ role: 'EDITOR' })
        .expect(200);
      expect(res.body).toMatchObject({ userId: viewer.userId, role: 'EDITOR' });
      expect(await roleOf(viewer.userId)).toBe('EDITOR');
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${viewer.userId}`)
        .set(as(admin))
        .send({ role: 'OWNER' })
        .expect(403);
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${owner.userId}`)
        .set(as(admin))
        .send({ role: 'VIEWER' })
        .expect(403);
      const last = await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${owner.userId}`)
        .set(as(owner))
        .send({ role: 'ADMIN' })
        .expect(409);
      expect(last.body.detail).toMatch(/at least one OWNER/);
      expect(last.body.code).toBe('last_owner');
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${viewer.userId}`)
        .set(as(admin))
        .send({ role: 'KING' })
        .expect(400);
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${outsider.userId}`)
        .set(as(admin))
        .send({ role: 'VIEWER' })
        .expect(404);
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/nope`)
        .set(as(admin))
        .send({ role: 'VIEWER' })
        .expect(400);
      await t
        .http()
        .patch(`/api/v1/organizations/${org}/members/${viewer.userId}`)
        .set(as(admin))
        .send({ role: 'VIEWER' })
        .expect(200);
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'member.role_changed' ORDER BY seq`,
        [org],
      );
      expect(audit.rows[0].changes).toEqual({ role: { from: 'VIEWER', to: 'EDITOR' } });
    });

    it('removes members with the same rules', async () => {
      const extra = await signUp(t, 'Extra');
      await addMember(t, org, extra.userId, 'VIEWER');
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/members/${extra.userId}`)
        .set(as(viewer))
        .expect(403);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/members/${extra.userId}`)
        .set(as(admin))
        .expect(204);
      expect(await roleOf(extra.userId)).toBeUndefined();
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/members/${owner.userId}`)
        .set(as(admin))
        .expect(403);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/members/${owner.userId}`)
        .set(as(owner))
        .expect(409);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/members/${extra.userId}`)
        .set(as(admin))
        .expect(404);
    });
  });

  describe('invitations', () => {
    it('invites, mails the link, lists it, and lets the invitee with that e-mail accept once', async () => {
      const invitee = await signUp(t, 'Invitee');
      await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(editor))
        .send({ email: invitee.email, role: 'EDITOR' })
        .expect(403);
      const res = await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: invitee.email.toUpperCase(), role: 'EDITOR' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: invitee.email,
        role: 'EDITOR',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
        inviteUrl: expect.stringMatching(/\/invites\/accept\?token=[A-Za-z0-9_-]{40,}$/),
      });
      const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThan(7.1);
      const token = mailbox.linkTo(invitee.email, '/invites/accept');
      expect(res.body.inviteUrl).toContain(token);

      const pending = await t.http().get(`/api/v1/organizations/${org}/invites`).set(as(admin)).expect(200);
      expect(pending.body.map((i: { id: string }) => i.id)).toContain(res.body.id);
      await t.http().get(`/api/v1/organizations/${org}/invites`).set(as(viewer)).expect(403);

      const wrongUser = await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(outsider))
        .send({ token })
        .expect(403);
      expect(wrongUser.body.detail).toMatch(/another e-mail/);
      expect(wrongUser.body.code).toBe('invite_email_mismatch');
      const ok = await t.http().post('/api/v1/invites/accept').set(as(invitee)).send({ token }).expect(200);
      expect(ok.body).toEqual({ organizationId: org, role: 'EDITOR' });
      expect(await roleOf(invitee.userId)).toBe('EDITOR');
      const again = await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(invitee))
        .send({ token })
        .expect(410);
      expect(again.body.code).toBe('invite_already_accepted');
      await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(invitee))
        .send({ token: 'z'.repeat(43) })
        .expect(404);
      await t.http().post('/api/v1/invites/accept').send({ token }).expect(401);

      // The new member can act in the organization now.
      await t.http().get(`/api/v1/organizations/${org}/members`).set(as(invitee)).expect(200);
      const joined = await t.owner.query(
        `SELECT actor_id FROM audit_events WHERE organization_id = $1 AND action = 'member.joined'`,
        [org],
      );
      expect(joined.rows).toEqual([{ actor_id: invitee.userId }]);
    });

    it('refuses to invite an existing member (409) and OWNER invites from non-OWNERs (403)', async () => {
      const member = await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: viewer.email, role: 'ADMIN' })
        .expect(409);
      expect(member.body.code).toBe('already_member');
      await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: 'new-owner@example.com', role: 'OWNER' })
        .expect(403);
      await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(owner))
        .send({ email: 'new-owner@example.com', role: 'OWNER' })
        .expect(201);
      await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: 'not-an-email', role: 'VIEWER' })
        .expect(400);
    });

    it('answers 410 for a revoked or an expired invitation', async () => {
      const a = await signUp(t, 'Revoked');
      const revoked = await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: a.email, role: 'VIEWER' })
        .expect(201);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/invites/${revoked.body.id}`)
        .set(as(viewer))
        .expect(403);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/invites/${revoked.body.id}`)
        .set(as(admin))
        .expect(204);
      await t
        .http()
        .delete(`/api/v1/organizations/${org}/invites/${revoked.body.id}`)
        .set(as(admin))
        .expect(404);
      const revokedToken = new URL(revoked.body.inviteUrl).searchParams.get('token');
      const refused = await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(a))
        .send({ token: revokedToken })
        .expect(410);
      expect(refused.body.code).toBe('invite_revoked');

      const b = await signUp(t, 'Expired');
      const expired = await t
        .http()
        .post(`/api/v1/organizations/${org}/invites`)
        .set(as(admin))
        .send({ email: b.email, role: 'VIEWER' })
        .expect(201);
      await t.owner.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        expired.body.id,
      ]);
      const expiredToken = new URL(expired.body.inviteUrl).searchParams.get('token');
      const late = await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(b))
        .send({ token: expiredToken })
        .expect(410);
      expect(late.body.code).toBe('invite_expired');
      const pending = await t.http().get(`/api/v1/organizations/${org}/invites`).set(as(admin)).expect(200);
      expect(pending.body.map((i: { id: string }) => i.id)).not.toEqual(
        expect.arrayContaining([revoked.body.id, expired.body.id]),
      );
    });
  });
});
