import { loadConfig } from '../src/config/app-config';
import { auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

/**
 * The probe (`GET /health`) is public and says only ok/error; the detailed report behind the
 * console's System status page (`GET /health/details`) needs sign-in unless the operator sets
 * STATUS_PAGE_PUBLIC=true. It is not an organization's route: any signed-in user or API key may
 * read it, so there is no 403 or cross-tenant 404 to answer.
 */
describe('System status visibility', () => {
  describe('by default (STATUS_PAGE_PUBLIC unset)', () => {
    let t: TestApp;
    let u: SignedUpUser;
    beforeAll(async () => {
      t = await bootTestApp();
      u = await signUp(t);
    });
    afterAll(() => t?.close());

    it('keeps the probe public and tells it nothing but the statuses (Terminus shape)', async () => {
      const res = await t.http().get('/api/v1/health').expect(200);
      const up = { database: { status: 'up' }, queue: { status: 'up' }, search: { status: 'up' } };
      expect(res.body).toEqual({ status: 'ok', info: up, error: {}, details: up });
    });

    it('refuses the detailed report without sign-in (401 problem)', async () => {
      const res = await t.http().get('/api/v1/health/details').expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect(res.body.details).toBeUndefined();
      await t.http().get('/api/v1/health/details').set('Authorization', 'Bearer not-a-token').expect(401);
      await t.http().get('/api/v1/health/details').set('X-API-Key', 'pv_unknown_key_0000000000').expect(401);
    });

    it('answers the detailed report to a signed-in user and to an API key', async () => {
      const byToken = await t.http().get('/api/v1/health/details').set(auth(u)).expect(200);
      expect(byToken.body.status).toBe('ok');
      expect(byToken.body.details.database).toEqual({ status: 'up', driver: t.database.driver });

      const key = await t
        .http()
        .post(`/api/v1/organizations/${u.organizationId}/api-keys`)
        .set(auth(u))
        .send({ name: 'status' })
        .expect(201);
      const byKey = await t.http().get('/api/v1/health/details').set('X-API-Key', key.body.key).expect(200);
      expect(Object.keys(byKey.body.details)).toEqual(
        expect.arrayContaining(['database', 'queue', 'search']),
      );
      // Reading the report changes nothing: no audit entry for it.
      const { rows } = await t.owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action LIKE 'health%'`,
        [u.organizationId],
      );
      expect(rows[0].n).toBe(0);
    });

    it('refuses input the shared guard refuses (400) on both routes', async () => {
      await t.http().get('/api/v1/health?x=%00').expect(400);
      await t.http().get('/api/v1/health/details?x=%00').set(auth(u)).expect(400);
    });

    it('documents the probe as public and the report as authenticated', async () => {
      const { paths } = (await t.http().get('/api/docs-json').expect(200)).body;
      expect(paths['/api/v1/health'].get.security).toEqual([]);
      expect(paths['/api/v1/health/details'].get.security).toEqual(
        expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]),
      );
      expect(paths['/api/v1/health/details'].get.responses['401']).toBeDefined();
    });
  });

  describe('with STATUS_PAGE_PUBLIC=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ env: { STATUS_PAGE_PUBLIC: 'true' } });
    });
    afterAll(() => t?.close());

    it('answers the detailed report without sign-in', async () => {
      const res = await t.http().get('/api/v1/health/details').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.details.database).toEqual({ status: 'up', driver: t.database.driver });
      expect(res.body.details.queue.status).toBe('up');
    });

    it('refuses a value of the variable that is not a boolean at boot', () => {
      expect(() => loadConfig({ NODE_ENV: 'test', STATUS_PAGE_PUBLIC: 'maybe' })).toThrow(
        /STATUS_PAGE_PUBLIC/,
      );
      expect(loadConfig({ NODE_ENV: 'test', STATUS_PAGE_PUBLIC: '' }).statusPagePublic).toBe(false);
      expect(loadConfig({ NODE_ENV: 'test', STATUS_PAGE_PUBLIC: 'on' }).statusPagePublic).toBe(true);
    });
  });
});
