import { recordMails } from './support/mailbox';
import { bootTestApp, SignedUpUser, TestApp } from './support/test-app';

/**
 * Issue 17 item 7: the invite accept page's preview, and a sign-up from an invitation joining the
 * inviting organization without creating one of its own. E-mail verification is on here: the
 * invited sign-up signs in at once, the invitation having proved the address.
 */
describe('invitation preview and invited sign-up', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let mailbox: ReturnType<typeof recordMails>;
  const password = 'correct horse battery';

  beforeAll(async () => {
    t = await bootTestApp({ env: { DEFAULT_PLAN: 'pro', AUTH_EMAIL_VERIFICATION: 'on' } });
    mailbox = recordMails(t.app);
    const email = `owner${Date.now()}@example.com`;
    const signup = await t.http().post('/api/v1/auth/signup').send({ email, password, name: 'Olivia Owner' });
    await t.owner.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [signup.body.user.id]);
    const login = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    const token = login.body.accessToken as string;
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    owner = {
      userId: signup.body.user.id,
      email,
      token,
      organizationId: me.body.memberships[0].organizationId,
    };
    await t
      .http()
      .patch(`/api/v1/organizations/${owner.organizationId}`)
      .set({ Authorization: `Bearer ${owner.token}`, 'X-Organization-Id': owner.organizationId })
      .send({ name: 'Acme Prompts' })
      .expect(200);
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser) => ({
    Authorization: `Bearer ${u.token}`,
    'X-Organization-Id': u.organizationId,
  });
  let n = 0;
  const freshEmail = () => `invitee${Date.now()}${++n}@example.com`;
  const invite = async (email: string, role = 'EDITOR') => {
    const res = await t
      .http()
      .post(`/api/v1/organizations/${owner.organizationId}/invites`)
      .set(as(owner))
      .send({ email, role })
      .expect(201);
    return { id: res.body.id as string, token: new URL(res.body.inviteUrl).searchParams.get('token')! };
  };
  const organizationsOf = async (email: string) =>
    (
      await t.owner.query(
        `SELECT m.organization_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = $1`,
        [email],
      )
    ).rows;
  const organizationCount = async () =>
    Number((await t.owner.query(`SELECT count(*) AS n FROM organizations`)).rows[0].n);

  it('previews an invitation publicly: organization, role, inviter, e-mail and expiry', async () => {
    const email = freshEmail();
    const { token } = await invite(email, 'VIEWER');
    const res = await t.http().get('/api/v1/invites/preview').query({ token }).expect(200);
    expect(res.body).toEqual({
      organizationName: 'Acme Prompts',
      role: 'VIEWER',
      invitedBy: { name: 'Olivia Owner' },
      email,
      expiresAt: expect.any(String),
    });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
  });

  it('answers 400 without a token, 404 for an unknown one and 410 for revoked or expired ones', async () => {
    const missing = await t.http().get('/api/v1/invites/preview').expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('token');
    const unknown = await t
      .http()
      .get('/api/v1/invites/preview')
      .query({ token: 'z'.repeat(43) })
      .expect(404);
    expect(unknown.body.code).toBe('not_found');

    const revoked = await invite(freshEmail());
    await t
      .http()
      .delete(`/api/v1/organizations/${owner.organizationId}/invites/${revoked.id}`)
      .set(as(owner))
      .expect(204);
    const r = await t.http().get('/api/v1/invites/preview').query({ token: revoked.token }).expect(410);
    expect(r.body.code).toBe('invite_revoked');

    const expired = await invite(freshEmail());
    await t.owner.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.id,
    ]);
    const e = await t.http().get('/api/v1/invites/preview').query({ token: expired.token }).expect(410);
    expect(e.body.code).toBe('invite_expired');
  });

  it('an invited sign-up joins the inviting organization with the invited role and creates no organization', async () => {
    const email = freshEmail();
    const { id, token } = await invite(email, 'EDITOR');
    const before = await organizationCount();

    const res = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: email.toUpperCase(), password, name: 'Ivy Invitee', inviteToken: token })
      .expect(201);
    expect(res.body.user).toEqual({ id: expect.any(String), email, name: 'Ivy Invitee' });

    expect(await organizationCount()).toBe(before);
    expect(await organizationsOf(email)).toEqual([{ organization_id: owner.organizationId, role: 'EDITOR' }]);
    const { rows: users } = await t.owner.query(`SELECT email_verified_at FROM users WHERE id = $1`, [
      res.body.user.id,
    ]);
    expect(users[0].email_verified_at).not.toBeNull();
    const { rows: invites } = await t.owner.query(
      `SELECT accepted_by, accepted_at FROM invites WHERE id = $1`,
      [id],
    );
    expect(invites[0]).toEqual({ accepted_by: res.body.user.id, accepted_at: expect.any(Date) });
    const { rows: audit } = await t.owner.query(
      `SELECT action FROM audit_events WHERE organization_id = $1 AND actor_id = $2 ORDER BY seq`,
      [owner.organizationId, res.body.user.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['user.signed_up', 'member.joined']);
    // No verification mail: the invitation link already proved the address.
    const toInvitee = mailbox.mails.filter((m) => m.to === email);
    expect(toInvitee.map((m) => m.subject)).toEqual(['You are invited to Acme Prompts on Prompt Vault']);

    // Signs in at once and sees only the inviting organization.
    const login = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({
        organizationId: owner.organizationId,
        organizationName: 'Acme Prompts',
        role: 'EDITOR',
      }),
    ]);

    // The invitation is used up: neither another sign-up nor the preview accepts it again.
    const again = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: freshEmail(), password, name: 'Again', inviteToken: token })
      .expect(410);
    expect(again.body.code).toBe('invite_already_accepted');
    await t.http().get('/api/v1/invites/preview').query({ token }).expect(410);
  });

  it('refuses an invited sign-up with another e-mail (403), an unknown token (404) or an organization name (400), creating nothing', async () => {
    const email = freshEmail();
    const { token } = await invite(email);
    const before = await organizationCount();
    const other = freshEmail();

    const mismatch = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: other, password, name: 'Mallory', inviteToken: token })
      .expect(403);
    expect(mismatch.body.code).toBe('invite_email_mismatch');
    await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email, password, name: 'Ivy', inviteToken: 'z'.repeat(43) })
      .expect(404);
    const both = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email, password, name: 'Ivy', inviteToken: token, organizationName: 'Mine' })
      .expect(400);
    expect(both.body.errors).toEqual([{ field: 'organizationName', message: expect.any(String) }]);
    await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email, password, name: 'Ivy', inviteToken: 'short' })
      .expect(400);

    expect(await organizationCount()).toBe(before);
    const { rows } = await t.owner.query(`SELECT id FROM users WHERE lower(email) IN ($1, $2)`, [
      email,
      other,
    ]);
    expect(rows).toEqual([]);
  });

  it('a sign-up without an invitation creates the organization it names, or one named after the user', async () => {
    const named = freshEmail();
    await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: named, password, name: 'Nora', organizationName: '  Nora Labs ' })
      .expect(201);
    const [membership] = await organizationsOf(named);
    expect(membership.role).toBe('OWNER');
    const { rows } = await t.owner.query(`SELECT name, slug FROM organizations WHERE id = $1`, [
      membership.organization_id,
    ]);
    expect(rows[0].name).toBe('Nora Labs');
    expect(rows[0].slug).toMatch(/^nora-labs-[0-9a-f]{6}$/);

    const unnamed = freshEmail();
    await t.http().post('/api/v1/auth/signup').send({ email: unnamed, password, name: 'Otto' }).expect(201);
    const [m2] = await organizationsOf(unnamed);
    const { rows: r2 } = await t.owner.query(`SELECT name FROM organizations WHERE id = $1`, [
      m2.organization_id,
    ]);
    expect(r2[0].name).toBe("Otto's organization");

    const blank = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: freshEmail(), password, name: 'Blank', organizationName: '   ' })
      .expect(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toEqual(['organizationName']);
  });
});
