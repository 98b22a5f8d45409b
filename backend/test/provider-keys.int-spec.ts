import { createServer, AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { masterKeyVersion, SecretBox } from '../src/common/security/secret-box';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { MasterKey } from '../src/common/security/master-key';
import { MasterKeyRotation, RotationError } from '../src/common/security/master-key-rotation';
import { FakeProviders, startFakeProviders } from './support/fake-providers';
import {
  auth,
  bootTestApp,
  signUp,
  signUpTeam,
  SignedUpUser,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('hex');
const VERSION_A = masterKeyVersion(Buffer.from(KEY_A, 'base64'));
const VERSION_B = masterKeyVersion(Buffer.from(KEY_B, 'hex'));
/** A local port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const secret = (prefix: string) => `${prefix}-${randomBytes(24).toString('hex')}`;

describe('Provider keys', () => {
  let t: TestApp;
  let team: Team;
  let fake: FakeProviders;
  /** Every secret this file sends; none may come back in any response, row or audit event. */
  const secrets: string[] = [];
  /** Every response body and header block this file received. */
  const seen: string[] = [];
  const GOOD = {
    openai: secret('sk-proj'),
    anthropic: secret('sk-ant-api03'),
    google: secret('AIzaSy'),
    compatible: secret('sk-local'),
  };

  beforeAll(async () => {
    fake = await startFakeProviders();
    for (const key of Object.values(GOOD)) {
      fake.validKeys.add(key);
      secrets.push(key);
    }
    t = await bootTestApp({ env: { ENCRYPTION_KEY: KEY_A } });
    team = await signUpTeam(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  type Method = 'get' | 'post' | 'delete';
  async function call(
    app: TestApp,
    method: Method,
    path: string,
    user?: SignedUpUser,
    body?: object,
    org?: string,
  ) {
    let req = app.http()[method](`/api/v1${path}`);
    if (user) req = req.set(auth(user, org ?? user.organizationId));
    const res = await (body ? req.send(body) : req);
    seen.push(res.text ?? '', JSON.stringify(res.headers));
    return res;
  }
  const as = (user: SignedUpUser) => ({
    get: (path: string) => call(t, 'get', path, user, undefined, team.org),
    post: (path: string, body?: object) => call(t, 'post', path, user, body ?? {}, team.org),
    delete: (path: string) => call(t, 'delete', path, user, undefined, team.org),
  });
  async function addKey(
    body: { provider: string; name: string; apiKey: string; baseUrl?: string },
    user = team.owner,
  ) {
    if (!secrets.includes(body.apiKey)) secrets.push(body.apiKey);
    const res = await as(user).post('/provider-keys', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; last4: string; lastUsedAt: string | null };
  }
  const row = async (id: string) =>
    (await t.owner.query(`SELECT *, row_to_json(k)::text AS json FROM provider_keys k WHERE id = $1`, [id]))
      .rows[0];

  it('adds a key encrypted at rest, shows only its last four characters, and audits without the secret', async () => {
    const res = await as(team.admin).post('/provider-keys', {
      provider: 'openai',
      name: '  OpenAI production ',
      apiKey: GOOD.openai,
      baseUrl: `${fake.baseUrl('openai')}/`,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      provider: 'openai',
      name: 'OpenAI production',
      last4: GOOD.openai.slice(-4),
      baseUrl: fake.baseUrl('openai'),
      createdAt: expect.any(String),
      lastUsedAt: null,
    });
    const stored = await row(res.body.id);
    expect(stored).toMatchObject({
      organization_id: team.org,
      provider: 'openai',
      last4: GOOD.openai.slice(-4),
      key_version: VERSION_A,
      created_by: team.admin.userId,
      last_used_at: null,
    });
    expect(stored.iv).toHaveLength(12);
    expect(stored.auth_tag).toHaveLength(16);
    expect(stored.ciphertext.includes(Buffer.from(GOOD.openai))).toBe(false);
    expect(stored.json).not.toContain(GOOD.openai);
    expect(stored.json).not.toContain(Buffer.from(GOOD.openai).toString('hex'));
    const audit = await t.owner.query(
      `SELECT actor_id, changes FROM audit_events WHERE organization_id = $1 AND action = 'provider_key.created' AND target_id = $2`,
      [team.org, res.body.id],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: team.admin.userId,
        changes: {
          provider: 'openai',
          name: 'OpenAI production',
          last4: GOOD.openai.slice(-4),
          baseUrl: fake.baseUrl('openai'),
        },
      },
    ]);

    // A key without a base URL uses the provider's default and has no baseUrl in the answer.
    const plain = await addKey({
      provider: 'anthropic',
      name: 'Anthropic default',
      apiKey: secret('sk-ant'),
    });
    expect(plain).not.toHaveProperty('baseUrl');
    expect((await row(plain.id)).base_url).toBeNull();
  });

  it('lists keys for OWNER, ADMIN and EDITOR; VIEWER gets 403, anonymous 401, outsiders 404', async () => {
    for (const user of [team.owner, team.admin, team.editor]) {
      const res = await as(user).get('/provider-keys');
      expect(res.status).toBe(200);
      expect(res.body.map((k: { name: string }) => k.name)).toEqual([
        'Anthropic default',
        'OpenAI production',
      ]);
      for (const k of res.body)
        expect(Object.keys(k).sort()).toEqual(expect.arrayContaining(['id', 'last4', 'lastUsedAt']));
      expect(JSON.stringify(res.body)).not.toMatch(/apiKey|ciphertext|auth_tag/);
    }
    expect((await as(team.viewer).get('/provider-keys')).status).toBe(403);
    expect((await call(t, 'get', '/provider-keys')).status).toBe(401);
    expect((await as(team.outsider).get('/provider-keys')).status).toBe(404);
    // The outsider's own organization has none of them.
    const own = await call(t, 'get', '/provider-keys', team.outsider);
    expect(own.status).toBe(200);
    expect(own.body).toEqual([]);
  });

  it('refuses bad input with 400 naming the field, a taken name with 409, and EDITOR/VIEWER with 403', async () => {
    const cases: Array<[object, string]> = [
      [{ provider: 'mistral', name: 'x', apiKey: secret('k') }, 'provider'],
      [{ provider: 'openai-compatible', name: 'Local', apiKey: secret('k') }, 'baseUrl'],
      [{ provider: 'openai', name: '', apiKey: secret('k') }, 'name'],
      [{ provider: 'openai', name: 'x'.repeat(101), apiKey: secret('k') }, 'name'],
      [{ provider: 'openai', name: 'Empty', apiKey: '' }, 'apiKey'],
      [{ provider: 'openai', name: 'Spaces', apiKey: 'sk-has some spaces' }, 'apiKey'],
      [{ provider: 'openai', name: 'Long', apiKey: 'k'.repeat(4097) }, 'apiKey'],
      [{ provider: 'openai', name: 'Ftp', apiKey: secret('k'), baseUrl: 'ftp://example.com/v1' }, 'baseUrl'],
      [{ provider: 'openai', name: 'Rel', apiKey: secret('k'), baseUrl: '/v1' }, 'baseUrl'],
      [
        { provider: 'openai', name: 'Creds', apiKey: secret('k'), baseUrl: 'https://u:p@example.com/v1' },
        'baseUrl',
      ],
      [{ provider: 'openai', name: 'Extra', apiKey: secret('k'), organization: 'x' }, 'organization'],
    ];
    for (const [body, field] of cases) {
      const res = await as(team.owner).post('/provider-keys', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const taken = await as(team.owner).post('/provider-keys', {
      provider: 'google',
      name: 'openai PRODUCTION',
      apiKey: secret('k'),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('provider_key_name_taken');
    for (const user of [team.editor, team.viewer]) {
      const res = await as(user).post('/provider-keys', {
        provider: 'openai',
        name: 'Mine',
        apiKey: secret('k'),
      });
      expect(res.status).toBe(403);
    }
    expect(
      (
        await call(t, 'post', '/provider-keys', undefined, {
          provider: 'openai',
          name: 'x',
          apiKey: 'k'.repeat(10),
        })
      ).status,
    ).toBe(401);
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM provider_keys WHERE organization_id = $1`,
      [team.org],
    );
    expect(rows[0].n).toBe(2);
  });

  it('tests keys against each provider: accepted, refused, rate limited, failing and unreachable, as a 200 result', async () => {
    const keys = {
      openai: await addKey({
        provider: 'openai',
        name: 'OpenAI fake',
        apiKey: GOOD.openai,
        baseUrl: fake.baseUrl('openai'),
      }),
      anthropic: await addKey({
        provider: 'anthropic',
        name: 'Anthropic fake',
        apiKey: GOOD.anthropic,
        baseUrl: fake.baseUrl('anthropic'),
      }),
      google: await addKey({
        provider: 'google',
        name: 'Gemini fake',
        apiKey: GOOD.google,
        baseUrl: fake.baseUrl('google'),
      }),
      compatible: await addKey({
        provider: 'openai-compatible',
        name: 'vLLM',
        apiKey: GOOD.compatible,
        baseUrl: fake.baseUrl('openai'),
      }),
    };
    const test = async (id: string, user = team.owner, body?: object) => {
      const res = await as(user).post(`/provider-keys/${id}/test`, body);
      return res;
    };

    fake.requests.length = 0;
    for (const [name, key] of Object.entries(keys)) {
      const res = await test(key.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: true,
        detail: expect.stringContaining('The provider accepted the key'),
      });
      const stored = await row(key.id);
      expect(stored.last_used_at).not.toBeNull();
      expect(name).toBeTruthy();
    }
    // One output token asked of each provider, with the key as that provider expects it.
    const calls = fake.requests.map(
      (r) => `${r.provider} ${r.method} ${r.path} ${r.apiKey === undefined ? '-' : 'key'}`,
    );
    expect(calls).toEqual([
      'openai POST /v1/chat/completions key',
      'anthropic POST /v1/messages key',
      'google POST /v1beta/models/gemini-2.5-flash-lite:generateContent key',
      'openai GET /v1/models key',
      'openai POST /v1/chat/completions key',
    ]);
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4.1-nano', max_tokens: 1 });
    expect(fake.requests[1].body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1 });
    expect(fake.requests[2].body).toMatchObject({ generationConfig: { maxOutputTokens: 1 } });
    expect(fake.requests[4].body).toMatchObject({ model: fake.models.openai[0] });

    // A model named in the request is the one asked.
    fake.requests.length = 0;
    expect((await test(keys.anthropic.id, team.owner, { model: 'claude-sonnet-4-5' })).body.ok).toBe(true);
    expect(fake.requests[0].body).toMatchObject({ model: 'claude-sonnet-4-5' });

    // Refused keys: 401 from OpenAI and Anthropic, Gemini's 400 API_KEY_INVALID.
    for (const provider of ['openai', 'anthropic', 'google'] as const) {
      const bad = await addKey({
        provider,
        name: `${provider} revoked`,
        apiKey: secret('sk-revoked'),
        baseUrl: fake.baseUrl(provider),
      });
      const res = await test(bad.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: false,
        detail: `The provider refused the key (${provider === 'google' ? 400 : 401})`,
      });
    }

    // Rate limited (with Retry-After), failing, and unreachable.
    fake.script(GOOD.anthropic, { status: 429, retryAfter: 17 });
    expect((await test(keys.anthropic.id)).body).toEqual({
      ok: false,
      detail: 'The provider is rate limiting this key (429); retry after 17 s',
    });
    fake.script(GOOD.anthropic, undefined);
    fake.script(GOOD.google, { status: 500 });
    expect((await test(keys.google.id)).body).toEqual({
      ok: false,
      detail: expect.stringMatching(/^The provider had an error \(500\): An internal error has occurred/),
    });
    fake.script(GOOD.google, undefined);
    fake.script(GOOD.openai, { status: 429 });
    expect((await test(keys.openai.id)).body).toEqual({
      ok: false,
      detail: 'The provider is rate limiting this key (429)',
    });
    fake.script(GOOD.openai, { status: 500 });
    expect((await test(keys.openai.id)).body).toEqual({
      ok: false,
      detail: expect.stringMatching(/^The provider had an error \(500\)/),
    });
    fake.script(GOOD.openai, undefined);
    const nowhere = await addKey({
      provider: 'openai-compatible',
      name: 'Down',
      apiKey: secret('sk-down'),
      baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
    });
    expect((await test(nowhere.id)).body).toEqual({
      ok: false,
      detail: 'The provider could not be reached (ECONNREFUSED)',
    });
    const unknownModel = await test(keys.openai.id, team.owner, { model: 'gpt-nonexistent' });
    expect(unknownModel.body.ok).toBe(true); // the fake serves any model name: the request carried it
    expect(fake.requests.at(-1)?.body).toMatchObject({ model: 'gpt-nonexistent' });

    // Roles and tenants.
    expect((await test(keys.openai.id, team.editor)).status).toBe(403);
    expect((await test(keys.openai.id, team.viewer)).status).toBe(403);
    expect((await call(t, 'post', `/provider-keys/${keys.openai.id}/test`, team.outsider, {})).status).toBe(
      404,
    );
    expect((await call(t, 'post', `/provider-keys/${keys.openai.id}/test`)).status).toBe(401);
    expect((await test('not-a-uuid')).status).toBe(400);
    expect((await test(keys.openai.id, team.owner, { model: '' })).status).toBe(400);

    const audit = await t.owner.query(
      `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'provider_key.tested' AND target_id = $2 ORDER BY occurred_at`,
      [team.org, keys.anthropic.id],
    );
    expect(audit.rows[0].changes).toMatchObject({ provider: 'anthropic', name: 'Anthropic fake', ok: true });
    expect(audit.rows.at(-1).changes).toMatchObject({
      ok: false,
      detail: 'The provider is rate limiting this key (429); retry after 17 s',
    });
  });

  it('deletes a key (OWNER, ADMIN) with its secret; EDITOR 403, other tenants 404', async () => {
    const key = await addKey({ provider: 'google', name: 'To delete', apiKey: secret('AIza') });
    const other = (
      await call(t, 'post', '/provider-keys', team.outsider, {
        provider: 'openai',
        name: 'Theirs',
        apiKey: secret('sk-theirs'),
      })
    ).body as { id: string };
    expect((await as(team.editor).delete(`/provider-keys/${key.id}`)).status).toBe(403);
    expect((await as(team.viewer).delete(`/provider-keys/${key.id}`)).status).toBe(403);
    expect((await call(t, 'delete', `/provider-keys/${key.id}`)).status).toBe(401);
    expect((await as(team.owner).delete(`/provider-keys/${other.id}`)).status).toBe(404);
    expect((await call(t, 'delete', `/provider-keys/${key.id}`, team.outsider)).status).toBe(404);
    expect((await as(team.admin).delete(`/provider-keys/${key.id}`)).status).toBe(204);
    expect(await row(key.id)).toBeUndefined();
    expect(await row(other.id)).toBeDefined();
    expect((await as(team.admin).delete(`/provider-keys/${key.id}`)).status).toBe(404);
    const audit = await t.owner.query(
      `SELECT actor_id, changes FROM audit_events WHERE action = 'provider_key.deleted' AND target_id = $1`,
      [key.id],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: team.admin.userId,
        changes: { provider: 'google', name: 'To delete', last4: expect.any(String) },
      },
    ]);
  });

  it('does not decrypt a ciphertext moved into another organization', async () => {
    const mine = await addKey({
      provider: 'openai',
      name: 'Moved',
      apiKey: GOOD.openai,
      baseUrl: fake.baseUrl('openai'),
    });
    const theirs = (
      await call(t, 'post', '/provider-keys', team.outsider, {
        provider: 'openai',
        name: 'Stolen',
        apiKey: secret('sk-placeholder'),
        baseUrl: fake.baseUrl('openai'),
      })
    ).body as { id: string };
    await t.owner.query(
      `UPDATE provider_keys t SET ciphertext = m.ciphertext, iv = m.iv, auth_tag = m.auth_tag, key_version = m.key_version
         FROM provider_keys m WHERE m.id = $1 AND t.id = $2`,
      [mine.id, theirs.id],
    );
    fake.requests.length = 0;
    const res = await call(t, 'post', `/provider-keys/${theirs.id}/test`, team.outsider, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, detail: expect.stringContaining('cannot be decrypted') });
    expect(fake.requests).toHaveLength(0);
    expect((await row(theirs.id)).last_used_at).toBeNull();
    await t.owner.query(`DELETE FROM provider_keys WHERE id = $1`, [theirs.id]);
  });

  it('refuses private and plain-http base URLs where private addresses are not allowed, on create and at call time', async () => {
    // Its own database: PGlite is one session, so two apps cannot share it.
    const strict = await bootTestApp({
      env: { ENCRYPTION_KEY: KEY_A, PROVIDER_BASE_URL_ALLOW_PRIVATE: 'false' },
    });
    try {
      const owner = await signUp(strict, 'Strict Owner');
      for (const [baseUrl, message] of [
        ['https://127.0.0.1:8443/v1', /private address \(127\.0\.0\.1\)/],
        ['https://[::1]/v1', /private address \(::1\)/],
        ['https://169.254.169.254/latest', /private address/],
        ['https://localhost:8443/v1', /private address/],
        [fake.baseUrl('openai'), /must be an https URL/],
      ] as const) {
        const res = await call(strict, 'post', '/provider-keys', owner, {
          provider: 'openai-compatible',
          name: `Private ${baseUrl}`,
          apiKey: secret('sk-private'),
          baseUrl,
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'baseUrl', message: expect.stringMatching(message) }]);
      }
      // A key stored while private addresses were allowed is refused at connect time now.
      const sealed = new SecretBox(Buffer.from(KEY_A, 'base64')).seal(GOOD.compatible, owner.organizationId);
      const inserted = await strict.owner.query(
        `INSERT INTO provider_keys (organization_id, provider, name, ciphertext, iv, auth_tag, key_version, last4, base_url)
         VALUES ($1, 'openai-compatible', 'Old local', $2, $3, $4, $5, 'xxxx', $6) RETURNING id`,
        [
          owner.organizationId,
          sealed.ciphertext,
          sealed.iv,
          sealed.authTag,
          sealed.keyVersion,
          fake.baseUrl('openai'),
        ],
      );
      fake.requests.length = 0;
      const res = await call(strict, 'post', `/provider-keys/${inserted.rows[0].id}/test`, owner, {});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: false,
        detail: expect.stringMatching(/private address \(127\.0\.0\.1\)/),
      });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('rotates every key to a new master key in one transaction, idempotently', async () => {
    const before = (
      await t.owner.query(
        `SELECT id, organization_id, ciphertext, key_version FROM provider_keys ORDER BY id`,
      )
    ).rows;
    expect(before.length).toBeGreaterThan(5);
    expect(before.every((r) => r.key_version === VERSION_A)).toBe(true);
    const openaiKey = (await t.owner.query(`SELECT id FROM provider_keys WHERE name = 'OpenAI fake'`)).rows[0]
      .id;

    // What `npm run keys:rotate` runs, configured with ENCRYPTION_KEY=B and ENCRYPTION_KEY_PREVIOUS=A.
    const rotation = new MasterKeyRotation(
      t.app.get(TenantTransactions),
      new MasterKey(
        t.config.with({
          encryption: { key: Buffer.from(KEY_B, 'hex'), previous: Buffer.from(KEY_A, 'base64') },
        }),
      ),
    );
    // A webhook signing secret, sealed under the same master key, rotates with the provider keys.
    const webhook = (
      await t.owner.query(
        `INSERT INTO webhooks (organization_id, url, events) VALUES ($1, 'https://hooks.example/rotation', '{prompt.created}') RETURNING id`,
        [team.org],
      )
    ).rows[0].id;
    const webhookSecret = t.app.get(MasterKey).seal('whsec_rotation-test-secret', team.org);
    await t.owner.query(
      `INSERT INTO webhook_secrets (organization_id, webhook_id, ciphertext, iv, auth_tag, key_version)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        team.org,
        webhook,
        webhookSecret.ciphertext,
        webhookSecret.iv,
        webhookSecret.authTag,
        webhookSecret.keyVersion,
      ],
    );

    // A row under an unknown master key stops the rotation before anything changes.
    await t.owner.query(`UPDATE provider_keys SET key_version = 12345 WHERE id = $1`, [before[0].id]);
    await expect(rotation.rotate()).rejects.toThrow(RotationError);
    const untouched = await t.owner.query(
      `SELECT count(*)::int AS n FROM provider_keys WHERE key_version = $1`,
      [VERSION_A],
    );
    expect(untouched.rows[0].n).toBe(before.length - 1);
    await t.owner.query(`UPDATE provider_keys SET key_version = $2 WHERE id = $1`, [before[0].id, VERSION_A]);

    expect(await rotation.rotate()).toEqual({
      rotated: before.length + 1,
      byTable: { provider_keys: before.length, webhook_secrets: 1 },
      keyVersion: VERSION_B,
    });
    const [sealedHook] = (
      await t.owner.query(`SELECT * FROM webhook_secrets WHERE webhook_id = $1`, [webhook])
    ).rows;
    expect(sealedHook.key_version).toBe(VERSION_B);
    expect(
      new SecretBox(Buffer.from(KEY_B, 'hex')).open(
        {
          ciphertext: sealedHook.ciphertext,
          iv: sealedHook.iv,
          authTag: sealedHook.auth_tag,
          keyVersion: VERSION_B,
        },
        team.org,
      ),
    ).toBe('whsec_rotation-test-secret');
    const after = (await t.owner.query(`SELECT * FROM provider_keys ORDER BY id`)).rows;
    expect(after.every((r) => r.key_version === VERSION_B)).toBe(true);
    after.forEach((r, i) => expect(r.ciphertext.equals(before[i].ciphertext)).toBe(false));
    const newBox = new SecretBox(Buffer.from(KEY_B, 'hex'));
    const opened = after.find((r) => r.id === openaiKey);
    expect(
      newBox.open(
        {
          ciphertext: opened.ciphertext,
          iv: opened.iv,
          authTag: opened.auth_tag,
          keyVersion: opened.key_version,
        },
        opened.organization_id,
      ),
    ).toBe(GOOD.openai);
    expect(await rotation.rotate()).toEqual({
      rotated: 0,
      byTable: { provider_keys: 0, webhook_secrets: 0 },
      keyVersion: VERSION_B,
    });

    // The old master key alone no longer opens anything.
    const old = await call(t, 'post', `/provider-keys/${openaiKey}/test`, team.owner, {}, team.org);
    expect(old.body).toEqual({ ok: false, detail: expect.stringContaining('cannot be decrypted') });

    // A server started with the new key (and, during the rotation window, with both) uses the keys.
    // PGlite is one session that two apps cannot share, so this part needs the real PostgreSQL.
    if (!usingRealPostgres) return;
    for (const env of [
      { ENCRYPTION_KEY: KEY_B, ENCRYPTION_KEY_PREVIOUS: KEY_A },
      { ENCRYPTION_KEY: KEY_B },
    ]) {
      const restarted = await bootTestApp({ database: t.database, keepDatabase: true, env });
      try {
        const res = await call(
          restarted,
          'post',
          `/provider-keys/${openaiKey}/test`,
          team.owner,
          {},
          team.org,
        );
        expect(res.body).toEqual({ ok: true, detail: expect.stringContaining('accepted the key') });
      } finally {
        await restarted.close();
      }
    }
  });

  it('never let a secret out: not in any response, header, audit event or row in clear', async () => {
    expect(seen.length).toBeGreaterThan(50);
    const audit = (await t.owner.query(`SELECT row_to_json(a)::text AS json FROM audit_events a`)).rows.map(
      (r) => r.json,
    );
    const rows = (await t.owner.query(`SELECT row_to_json(k)::text AS json FROM provider_keys k`)).rows.map(
      (r) => r.json,
    );
    for (const s of secrets) {
      for (const text of [...seen, ...audit, ...rows]) expect(text.includes(s)).toBe(false);
    }
  });
});
