import IORedis from 'ioredis';
import { hasRedisServer, PrivateRedis } from './support/redis-server';
import { waitFor } from './support/wait';
import { auth, bootTestApp, redisUrl, signUp, SignedUpUser, TestApp } from './support/test-app';

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ env: { BODY_LIMIT: '10kb' } });
  });
  afterAll(() => t?.close());

  it('answers health with every part up and the driver each uses', async () => {
    const u = await signUp(t);
    const res = await t.http().get('/api/v1/health/details').set(auth(u)).expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database).toEqual({ status: 'up', driver: t.database.driver });
    expect(res.body.details.queue).toMatchObject({ status: 'up', driver: redisUrl ? 'bullmq' : 'inline' });
    expect(res.body.details.search).toEqual({ status: 'up', driver: 'postgres' });
  });

  it('puts an X-Request-Id on every response and keeps a sane incoming one', async () => {
    const generated = await t.http().get('/api/v1/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http().get('/api/v1/nope').set('X-Request-Id', 'trace-abc.123');
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    expect(kept.body.requestId).toBe('trace-abc.123');
    const replaced = await t.http().get('/api/v1/health').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http().get('/api/v1/does/not/exist').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 404,
      title: 'No such route',
      instance: '/api/v1/does/not/exist',
    });
    expect(res.body.type).toMatch(/^https:\/\//);
  });

  it('answers malformed JSON with 400 and an oversized body with 413, both problem+json', async () => {
    const bad = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'malformed_json', status: 400 });
    const big = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(20_000) }))
      .expect(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses unknown and invalid fields with field errors', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/signup')
      .send({ email: 'not-an-email', password: 'short', name: 'X', admin: true })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'admin']));
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const doc = await t.http().get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/audit-events',
        '/api/v1/audit-events/verify',
        '/api/v1/me',
      ]),
    );
    const ui = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('declares public operations with an empty security requirement and lists specific codes', async () => {
    const { paths } = (await t.http().get('/api/docs-json').expect(200)).body;
    // @Public() on a method (sign-in) and on a controller (health, SAML).
    expect(paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(paths['/api/v1/health'].get.security).toEqual([]);
    expect(paths['/api/v1/auth/saml/{orgSlug}/acs'].post.security).toEqual([]);
    expect(paths['/api/v1/me'].get.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/v1/organizations/{id}/members/{userId}'].patch.responses['409'].description).toContain(
      '`last_owner`',
    );
  });

  it('sets security headers and refuses cross-origin callers by default', async () => {
    const res = await t.http().get('/api/v1/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('sign-up, sign-in and /me', () => {
    it('signs up, signs in and lists the default organization as OWNER', async () => {
      const u = await signUp(t, 'Ada Lovelace');
      const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${u.token}`).expect(200);
      expect(me.body).toMatchObject({ id: u.userId, email: u.email, name: 'Ada Lovelace' });
      expect(me.body.memberships).toEqual([
        expect.objectContaining({
          organizationId: u.organizationId,
          role: 'OWNER',
          organizationName: "Ada Lovelace's organization",
        }),
      ]);
      const { rows } = await t.owner.query(`SELECT role FROM memberships WHERE user_id = $1`, [u.userId]);
      expect(rows).toEqual([{ role: 'OWNER' }]);
    });

    it('normalizes e-mail case and refuses a duplicate with 409', async () => {
      const u = await signUp(t);
      const res = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({ email: u.email.toUpperCase(), password: 'another long password', name: 'Dup' })
        .expect(409);
      expect(res.body.code).toBe('email_taken');
      const { rows } = await t.owner.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = $1`, [
        u.email,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('answers unknown e-mail and wrong password with the same 401', async () => {
      const u = await signUp(t);
      const wrong = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: 'wrong password!' })
        .expect(401);
      const unknown = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'wrong password!' })
        .expect(401);
      expect(wrong.body.detail).toBe(unknown.body.detail);
      expect(wrong.body.code).toBe('invalid_credentials');
    });

    it('needs a valid token for /me', async () => {
      await t.http().get('/api/v1/me').expect(401);
      const res = await t.http().get('/api/v1/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
      expect(res.body.code).toBe('unauthenticated');
    });
  });
});

const redisAvailable = hasRedisServer();
if (!redisAvailable)
  console.warn('SKIPPED: rate limits over Redis need a redis-server binary on this machine');

(redisAvailable ? describe : describe.skip)('rate limits while Redis goes down and comes back', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let u: SignedUpUser;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    t = await bootTestApp({
      env: {
        REDIS_URL: redis.url,
        API_KEY_RATE_LIMIT: '3',
        API_KEY_RATE_WINDOW_SECONDS: '3600',
        LOGIN_MAX_FAILURES: '2',
        LOGIN_LOCKOUT_SECONDS: '600',
      },
    });
    u = await signUp(t);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const newKey = async () =>
    (
      await t
        .http()
        .post(`/api/v1/organizations/${u.organizationId}/api-keys`)
        .set('Authorization', `Bearer ${u.token}`)
        .send({ name: 'limited' })
        .expect(201)
    ).body as { id: string; key: string };
  const callWith = (key: string) =>
    t.http().get(`/api/v1/organizations/${u.organizationId}`).set('X-API-Key', key);

  it('counts an API key in Redis, shared by every process', async () => {
    const key = await newKey();
    await callWith(key.key).expect(200);
    const client = new IORedis(redis.url);
    try {
      const keys = await client.keys(`${t.config.queuePrefix}:rl:*`);
      expect(keys.some((k) => k.includes(`apikey:${key.id}`))).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('keeps limiting API keys and sign-in failures in the process while Redis is down', async () => {
    const key = await newKey();
    await redis.stop();
    try {
      for (const remaining of ['2', '1', '0']) {
        const ok = await callWith(key.key).expect(200);
        expect(ok.headers['x-ratelimit-remaining']).toBe(remaining);
      }
      const limited = await callWith(key.key).expect(429);
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // An unknown key is still 401, never 429: the key is checked before it is counted.
      await callWith('pv_not-a-real-key-at-all-000000000000000000000').expect(401);

      const login = (password: string) =>
        t.http().post('/api/v1/auth/login').send({ email: u.email, password });
      await login('wrong password 1').expect(401);
      await login('wrong password 2').expect(401);
      await login('correct horse battery').expect(429);
    } finally {
      await redis.start();
    }
  });

  it('counts in Redis again once it is back', async () => {
    await waitFor(
      'the queue to reconnect',
      async () => (await t.http().get('/api/v1/health')).status === 200,
    );
    const key = await newKey();
    const client = new IORedis(redis.url);
    try {
      await waitFor('a count in Redis', async () => {
        await callWith(key.key).expect(200);
        const keys = await client.keys(`${t.config.queuePrefix}:rl:*`);
        return keys.some((k) => k.includes(`apikey:${key.id}`));
      });
    } finally {
      client.disconnect();
    }
  });
});
