import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

/**
 * Issue 16, items 1–6: hostile input is a 400 naming the field, decided before anything reaches
 * the database, and races answer as the request would have a moment later. Each case checks the
 * database did not change.
 */
describe('Hostile input and races (issue 16)', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let promptId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    owner = await signUp(t, 'Owner');
    const created = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(owner))
      .send({ title: 'Triage', content: 'Hello {{name}}', tags: ['ops'] })
      .expect(201);
    promptId = created.body.id;
  });
  afterAll(() => t?.close());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.owner.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0].n);
  /** A snapshot of everything a request might have written. */
  const tables = [
    'users',
    'organizations',
    'prompts',
    'prompt_versions',
    'categories',
    'collections',
    'saved_searches',
    'audit_events',
  ];
  const snapshot = async () =>
    Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await count(name)] as const)));
  const rawJson = (path: string, method: 'post' | 'patch' | 'put', json: string, as = true) => {
    const req = t.http()[method](path).set('Content-Type', 'application/json');
    return (as ? req.set(auth(owner)) : req).send(json);
  };
  /** Test names show `:prompt`; the ids exist only once the tests run. */
  const fill = (path: string) =>
    path
      .replace(':prompt', promptId)
      .replace(':category', fixtures.categoryId)
      .replace(':collection', fixtures.collectionId)
      .replace(':org', owner.organizationId)
      .replace(':case', fixtures.caseId)
      .replace(':huge', '99999999999999999999');
  const fixtures = { categoryId: '', collectionId: '', caseId: '' };
  const expectFieldError = (
    res: { status: number; body: unknown; headers: Record<string, string> },
    field: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'validation_failed', status: 400 });
    expect((res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain(field);
  };

  describe('1. NUL bytes', () => {
    it('are refused in a public body (signup) and nothing is stored', async () => {
      const before = await snapshot();
      const res = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({ email: 'nul@example.com', password: 'correct horse battery', name: 'a\u0000b' });
      expectFieldError(res, 'name');
      expect(await snapshot()).toEqual(before);
      expect(await count(`users WHERE email = 'nul@example.com'`)).toBe(0);
    });

    it('are refused in a query string, in nested body fields and in path parameters', async () => {
      const before = await snapshot();
      expectFieldError(await t.http().get('/api/v1/search?q=%00').set(auth(owner)), 'q');
      expectFieldError(
        await t
          .http()
          .post('/api/v1/prompts')
          .set(auth(owner))
          .send({
            title: 'T',
            content: 'c',
            variables: [{ name: 'x', type: 'text', description: 'd\u0000' }],
          }),
        'variables.0.description',
      );
      expectFieldError(await t.http().get('/api/v1/prompts/by-slug/a%00b').set(auth(owner)), 'path');
      expectFieldError(
        await t
          .http()
          .patch(`/api/v1/prompts/${promptId}`)
          .set(auth(owner))
          .send({ ['ti\u0000tle']: 'x' }),
        'ti\u0000tle',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('are refused in header values before the request reaches the application', async () => {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `GET /api/v1/prompts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${owner.token}\r\n` +
              `X-Organization-Id: ${owner.organizationId}\u0000\r\nConnection: close\r\n\r\n`,
          );
        });
        let data = '';
        socket.on('data', (d) => (data += d.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    });
  });

  describe('2. Deep nesting', () => {
    const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

    it('a body 5,000 levels deep is a 400 on /auth/login, not a stack overflow', async () => {
      const res = await rawJson('/api/v1/auth/login', 'post', deep(5000), false);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors[0].message).toMatch(/nested too deeply/);
    });

    it('on a tenant route too, inside an allowed field, and nothing is written', async () => {
      const before = await snapshot();
      const body = `{"title":"T","content":"c","metadata":${deep(5000)}}`;
      const res = await rawJson('/api/v1/prompts', 'post', body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toMatch(/^metadata\.a\.a/);
      const arrays = await rawJson(
        `/api/v1/prompts/${promptId}/render`,
        'post',
        '['.repeat(5000) + ']'.repeat(5000),
      );
      expect(arrays.status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('a body of ordinary depth still passes', async () => {
      await t
        .http()
        .post(`/api/v1/prompts/${promptId}/render`)
        .set(auth(owner))
        .send({ variables: { name: 'Ann' } })
        .expect(200);
    });
  });

  describe('3. Lone UTF-16 surrogates', () => {
    it('are refused in e-mails and names', async () => {
      const before = await snapshot();
      const email = await rawJson(
        '/api/v1/auth/signup',
        'post',
        '{"email":"a\\ud800@example.com","password":"correct horse battery","name":"A"}',
        false,
      );
      expectFieldError(email, 'email');
      const forgot = await rawJson(
        '/api/v1/auth/password/forgot',
        'post',
        '{"email":"\\udc00x@example.com"}',
        false,
      );
      expectFieldError(forgot, 'email');
      const title = await rawJson('/api/v1/prompts', 'post', '{"title":"bad \\ud800 title","content":"c"}');
      expectFieldError(title, 'title');
      const category = await rawJson('/api/v1/categories', 'post', '{"name":"\\udfff"}');
      expectFieldError(category, 'name');
      expect(await snapshot()).toEqual(before);
    });

    it('paired surrogates (an emoji) are fine', async () => {
      const res = await t.http().post('/api/v1/categories').set(auth(owner)).send({ name: 'Rockets 🚀' });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('Rockets 🚀');
    });
  });

  describe('4. null in optional fields', () => {
    let categoryId: string;
    let collectionId: string;
    let savedId: string;
    let caseId: string;

    beforeAll(async () => {
      categoryId = (
        await t.http().post('/api/v1/categories').set(auth(owner)).send({ name: 'Nulls' }).expect(201)
      ).body.id;
      collectionId = (
        await t.http().post('/api/v1/collections').set(auth(owner)).send({ name: 'Nulls' }).expect(201)
      ).body.id;
      savedId = (
        await t
          .http()
          .post('/api/v1/search/saved')
          .set(auth(owner))
          .send({ name: 'S', query: 'x' })
          .expect(201)
      ).body.id;
      caseId = (
        await t
          .http()
          .post(`/api/v1/prompts/${promptId}/test-cases`)
          .set(auth(owner))
          .send({ name: 'Case', variables: { name: 'Ann' } })
          .expect(201)
      ).body.id;
      Object.assign(fixtures, { categoryId, collectionId, caseId });
    });

    it.each([
      ['PATCH', '/api/v1/prompts/:prompt', { slug: null }, 'slug'],
      ['PATCH', '/api/v1/prompts/:prompt', { tags: null }, 'tags'],
      ['PATCH', '/api/v1/prompts/:prompt', { status: null }, 'status'],
      ['PATCH', '/api/v1/prompts/:prompt', { visibility: null }, 'visibility'],
      ['PATCH', '/api/v1/prompts/:prompt', { title: null }, 'title'],
      ['POST', '/api/v1/prompts', { title: 'T', content: 'c', variables: null }, 'variables'],
      ['PATCH', '/api/v1/categories/:category', { name: null }, 'name'],
      ['PATCH', '/api/v1/collections/:collection', { name: null }, 'name'],
      ['PATCH', '/api/v1/organizations/:org', { name: null }, 'name'],
      ['POST', '/api/v1/search/saved', { name: 'S2', query: null }, 'query'],
      ['PATCH', '/api/v1/prompts/:prompt/test-cases/:case', { name: null }, 'name'],
      ['PATCH', '/api/v1/prompts/:prompt/test-cases/:case', { variables: null }, 'variables'],
      ['POST', '/api/v1/prompts/:prompt/test-cases', { name: 'C', variables: null }, 'variables'],
    ] as const)('%s %s with %j → 400 naming %s', async (method, path, body, field) => {
      const before = await snapshot();
      const res = await t
        .http()
        [method === 'POST' ? 'post' : 'patch'](fill(path))
        .set(auth(owner))
        .send(body);
      expectFieldError(res, field);
      expect(await snapshot()).toEqual(before);
    });

    it('null still clears what the contract says it clears', async () => {
      await t
        .http()
        .patch(`/api/v1/prompts/${promptId}`)
        .set(auth(owner))
        .send({ categoryId, collectionId })
        .expect(200);
      const cleared = await t
        .http()
        .patch(`/api/v1/prompts/${promptId}`)
        .set(auth(owner))
        .send({ categoryId: null, collectionId: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ categoryId: null, collectionId: null });
      await t
        .http()
        .patch(`/api/v1/categories/${categoryId}`)
        .set(auth(owner))
        .send({ description: null })
        .expect(200);
      await t
        .http()
        .patch(`/api/v1/prompts/${promptId}/test-cases/${caseId}`)
        .set(auth(owner))
        .send({ expectedContains: null })
        .expect(200);
      expect(savedId).toBeTruthy();
    });
  });

  describe('5. Integers beyond the column type', () => {
    it.each([
      ['GET', '/api/v1/prompts/:prompt/versions/:huge', 'version'],
      ['GET', '/api/v1/prompts/:prompt/versions/2147483648', 'version'],
      ['GET', '/api/v1/prompts/:prompt/versions/1.5', 'version'],
      ['GET', '/api/v1/prompts/by-slug/triage?version=:huge', 'version'],
      ['GET', '/api/v1/prompts/:prompt/diff?from=:huge&to=1', 'from'],
      ['POST', '/api/v1/prompts/:prompt/versions/:huge/revert', 'version'],
    ] as const)('%s %s → 400', async (method, path, field) => {
      const before = await snapshot();
      const res = await (
        method === 'GET' ? t.http().get(fill(path)) : t.http().post(fill(path)).send({})
      ).set(auth(owner));
      expectFieldError(res, field);
      expect(await snapshot()).toEqual(before);
    });

    it('in bodies: a label to version 1e308, a render of version 2^53+1, an expectedVersion', async () => {
      const before = await snapshot();
      expectFieldError(
        await rawJson(`/api/v1/prompts/${promptId}/labels/staging`, 'put', '{"version":1e308}'),
        'version',
      );
      expectFieldError(
        await rawJson(`/api/v1/prompts/${promptId}/render`, 'post', '{"version":9007199254740993}'),
        'version',
      );
      expectFieldError(
        await rawJson(`/api/v1/prompts/${promptId}/test-cases/run`, 'post', '{"version":2147483648}'),
        'version',
      );
      expectFieldError(
        await rawJson(`/api/v1/prompts/${promptId}`, 'patch', '{"title":"X","expectedVersion":1e20}'),
        'expectedVersion',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('the largest int32 is a valid number (an absent version, 404)', async () => {
      const res = await t.http().get(`/api/v1/prompts/${promptId}/versions/2147483647`).set(auth(owner));
      expect(res.status).toBe(404);
    });
  });

  describe('Values beyond what PostgreSQL can hold, found by the fuzz suite', () => {
    it('a date before 4713 BC (valid in JavaScript) is a 400 naming the field', async () => {
      expectFieldError(
        await t.http().get('/api/v1/audit-events?to=-271821-04-20T00:00:00.000Z').set(auth(owner)),
        'to',
      );
    });

    it('a forged cursor of the right shape but with values no column takes is a 400, not a 500', async () => {
      const forged = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const tags = await t
        .http()
        .get(`/api/v1/tags?cursor=${forged({ n: 'a', id: '-'.repeat(36) })}`)
        .set(auth(owner));
      expect(tags.status).toBe(400);
      expect(tags.body.code).toBe('validation_failed');
      const versions = await t
        .http()
        .get(`/api/v1/prompts/${promptId}/versions?cursor=${forged({ v: 2 ** 53 - 1 })}`)
        .set(auth(owner));
      expect(versions.status).toBe(400);
    });
  });

  describe('6. Races', () => {
    it('ten parallel subscriptions to one saved search all succeed, once', async () => {
      const saved = await t
        .http()
        .post('/api/v1/search/saved')
        .set(auth(owner))
        .send({ name: 'Race', query: 'race' })
        .expect(201);
      const id = saved.body.id as string;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http().put(`/api/v1/search/saved/${id}/subscription`).set(auth(owner)),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(204));
      expect(await count(`search_subscriptions WHERE saved_search_id = $1`, [id])).toBe(1);
      expect(
        await count(`audit_events WHERE action = 'saved_search.subscribed' AND target_id = $1`, [id]),
      ).toBe(1);
    });

    it('a search whose organization vanishes mid-request is a 404, not a 500', async () => {
      // The race, made deterministic: the recent-search insert meets exactly the foreign-key error
      // PostgreSQL raises when the organization row was deleted after the request was admitted.
      await t.owner.query(`
        CREATE FUNCTION pv_test_vanish() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'insert or update on table "recent_searches" violates foreign key constraint'
            USING ERRCODE = '23503',
                  DETAIL = 'Key (organization_id)=(' || NEW.organization_id || ') is not present in table "organizations".';
        END $$;
        CREATE TRIGGER pv_test_vanish BEFORE INSERT ON recent_searches
          FOR EACH ROW EXECUTE FUNCTION pv_test_vanish();`);
      try {
        const res = await t.http().get('/api/v1/search?q=triage').set(auth(owner));
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('not_found');
      } finally {
        await t.owner.query(
          `DROP TRIGGER pv_test_vanish ON recent_searches; DROP FUNCTION pv_test_vanish();`,
        );
      }
      await t.http().get('/api/v1/search?q=triage').set(auth(owner)).expect(200);
    });
  });
});
