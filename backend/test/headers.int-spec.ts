import { bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

/**
 * Headers (issue 16, item 11): token answers are never cached, and an API key's request that
 * names two different organizations (path and X-Organization-Id), or a malformed header, is a 400.
 */
describe('headers', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let outsider: SignedUpUser;
  let key: string;
  const PASSWORD = 'correct horse battery';

  beforeAll(async () => {
    t = await bootTestApp();
    [owner, outsider] = await Promise.all([signUp(t, 'Owner'), signUp(t, 'Outsider')]);
    key = (
      await t
        .http()
        .post(`/api/v1/organizations/${owner.organizationId}/api-keys`)
        .set({ Authorization: `Bearer ${owner.token}` })
        .send({ name: 'ci' })
        .expect(201)
    ).body.key;
  });
  afterAll(() => t?.close());

  it('marks every answer that carries tokens Cache-Control: no-store', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ email: owner.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refresh = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    expect(refresh.body.accessToken).toEqual(expect.any(String));
  });

  it('answers 400 when an API key names another organization in the header than in the path', async () => {
    const members = `/api/v1/organizations/${owner.organizationId}/members`;
    await t.http().get(members).set('X-API-Key', key).expect(200);
    await t
      .http()
      .get(members)
      .set({ 'X-API-Key': key, 'X-Organization-Id': owner.organizationId })
      .expect(200);
    // Case does not make another organization.
    await t
      .http()
      .get(members)
      .set({ 'X-API-Key': key, 'X-Organization-Id': owner.organizationId.toUpperCase() })
      .expect(200);

    const res = await t
      .http()
      .get(members)
      .set({ 'X-API-Key': key, 'X-Organization-Id': outsider.organizationId })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'X-Organization-Id' }] });

    // The header alone naming another organization stays a 404: unknown to the key.
    await t
      .http()
      .get('/api/v1/tags')
      .set({ 'X-API-Key': key, 'X-Organization-Id': outsider.organizationId })
      .expect(404);
  });

  it('answers 400 for a malformed X-Organization-Id even when the path names the organization', async () => {
    const members = `/api/v1/organizations/${owner.organizationId}/members`;
    for (const headers of [
      { 'X-API-Key': key, 'X-Organization-Id': 'garbage' },
      { Authorization: `Bearer ${owner.token}`, 'X-Organization-Id': 'garbage' },
    ]) {
      const res = await t.http().get(members).set(headers).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'X-Organization-Id' }] });
    }
  });
});
