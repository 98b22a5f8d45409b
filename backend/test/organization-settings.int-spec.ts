import { auth, bootTestApp, signUpTeam, Team, TestApp } from './support/test-app';

/**
 * Organization settings (issue 15 item 5): GET|PATCH /organizations/:id/settings, OWNER and ADMIN
 * only, every change audited; the role-widening ones (viewersMayRun, membersMayExport) reach the
 * caller's ability at admission and the console through GET /organizations/:id.
 */
describe('organization settings', () => {
  let t: TestApp;
  let team: Team;
  const url = () => `/api/v1/organizations/${team.org}/settings`;
  const DEFAULTS = {
    defaultRole: 'EDITOR',
    allowedEmailDomains: [],
    membersMayExport: true,
    viewersMayRun: false,
    sessionTtlMinutes: null,
    requireTestRunForProduction: false,
    updatedAt: null,
  };

  const settingsRow = async () =>
    (await t.owner.query(`SELECT * FROM organization_settings WHERE organization_id = $1`, [team.org]))
      .rows[0];
  const settingsEvents = async () =>
    (
      await t.owner.query(
        `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'organization.settings_updated' ORDER BY seq`,
        [team.org],
      )
    ).rows as Array<{ changes: Record<string, { from: unknown; to: unknown }> }>;

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
  });
  afterAll(() => t?.close());

  it('answers the defaults before anything was set, to OWNER and ADMIN', async () => {
    for (const u of [team.owner, team.admin]) {
      const res = await t.http().get(url()).set(auth(u, team.org)).expect(200);
      expect(res.body).toEqual(DEFAULTS);
    }
    expect(await settingsRow()).toBeUndefined();
  });

  it('refuses EDITOR and VIEWER (403), anonymous callers (401) and outsiders (404)', async () => {
    for (const u of [team.editor, team.viewer]) {
      await t.http().get(url()).set(auth(u, team.org)).expect(403);
      await t.http().patch(url()).set(auth(u, team.org)).send({ viewersMayRun: true }).expect(403);
    }
    await t.http().get(url()).expect(401);
    await t.http().patch(url()).send({ viewersMayRun: true }).expect(401);
    await t.http().get(url()).set(auth(team.outsider, team.org)).expect(404);
    await t
      .http()
      .get(`/api/v1/organizations/${team.outsider.organizationId}/settings`)
      .set(auth(team.owner, team.outsider.organizationId))
      .expect(404);
    await t
      .http()
      .get('/api/v1/organizations/not-a-uuid/settings')
      .set(auth(team.owner, team.org))
      .expect(400);
    expect(await settingsRow()).toBeUndefined();
  });

  it.each([
    ['defaultRole', { defaultRole: 'OWNER' }],
    ['allowedEmailDomains', { allowedEmailDomains: ['not a domain'] }],
    ['allowedEmailDomains', { allowedEmailDomains: 'example.com' }],
    [
      'allowedEmailDomains',
      { allowedEmailDomains: Array.from({ length: 51 }, (_, i) => `d${i}.example.com`) },
    ],
    ['sessionTtlMinutes', { sessionTtlMinutes: 2 }],
    ['sessionTtlMinutes', { sessionTtlMinutes: 50000 }],
    ['membersMayExport', { membersMayExport: null }],
    ['viewersMayRun', { viewersMayRun: 'yes' }],
    ['requireTestRunForProduction', { requireTestRunForProduction: 1 }],
    ['color', { color: 'blue' }],
  ])('refuses a bad %s with 400 naming it, and changes nothing', async (field, body) => {
    const res = await t.http().patch(url()).set(auth(team.owner, team.org)).send(body).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await settingsRow()).toBeUndefined();
  });

  it('changes only the fields sent, stores them and audits each change with before and after', async () => {
    const res = await t
      .http()
      .patch(url())
      .set(auth(team.admin, team.org))
      .send({
        defaultRole: 'VIEWER',
        allowedEmailDomains: ['Example.COM', 'corp.example.org'],
        sessionTtlMinutes: 480,
      })
      .expect(200);
    expect(res.body).toMatchObject({
      ...DEFAULTS,
      defaultRole: 'VIEWER',
      allowedEmailDomains: ['example.com', 'corp.example.org'],
      sessionTtlMinutes: 480,
      updatedAt: expect.any(String),
    });
    expect(await settingsRow()).toMatchObject({
      default_role: 'VIEWER',
      allowed_email_domains: ['example.com', 'corp.example.org'],
      session_ttl_minutes: 480,
      members_may_export: true,
    });
    const [event] = await settingsEvents();
    expect(event.changes).toEqual({
      defaultRole: { from: 'EDITOR', to: 'VIEWER' },
      allowedEmailDomains: { from: [], to: ['example.com', 'corp.example.org'] },
      sessionTtlMinutes: { from: null, to: 480 },
    });

    // The same values again: nothing to record.
    await t.http().patch(url()).set(auth(team.owner, team.org)).send({ defaultRole: 'VIEWER' }).expect(200);
    expect(await settingsEvents()).toHaveLength(1);

    // null puts the session lifetime back to the server default.
    const cleared = await t
      .http()
      .patch(url())
      .set(auth(team.owner, team.org))
      .send({ sessionTtlMinutes: null });
    expect(cleared.body.sessionTtlMinutes).toBeNull();
    expect((await t.http().get(url()).set(auth(team.owner, team.org))).body.defaultRole).toBe('VIEWER');
  });

  it('viewersMayRun lets VIEWERs run (the policy passes; the next answer is about the missing key)', async () => {
    const run = () =>
      t
        .http()
        .post('/api/v1/playground/run')
        .set(auth(team.viewer, team.org))
        .send({ content: 'Hello', variables: {}, model: 'gpt-4o' });
    expect((await run()).status).toBe(403);
    expect(
      (await t.http().get(`/api/v1/organizations/${team.org}`).set(auth(team.viewer, team.org))).body
        .policies,
    ).toEqual({
      viewersMayRun: false,
      membersMayExport: true,
    });

    await t
      .http()
      .patch(url())
      .set(auth(team.owner, team.org))
      .send({ viewersMayRun: true, membersMayExport: false })
      .expect(200);
    const allowed = await run();
    expect(allowed.status).toBe(409);
    expect(allowed.body.code).toBe('provider_key_missing');
    expect(
      (await t.http().get(`/api/v1/organizations/${team.org}`).set(auth(team.viewer, team.org))).body
        .policies,
    ).toEqual({
      viewersMayRun: true,
      membersMayExport: false,
    });
    // Managing keys stays OWNER/ADMIN whatever the setting.
    await t
      .http()
      .post('/api/v1/provider-keys')
      .set(auth(team.viewer, team.org))
      .send({ provider: 'openai', name: 'mine', apiKey: 'sk-test-123456789' })
      .expect(403);

    await t.http().patch(url()).set(auth(team.owner, team.org)).send({ viewersMayRun: false }).expect(200);
    expect((await run()).status).toBe(403);
  });
});
