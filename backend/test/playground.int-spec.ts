import { randomBytes } from 'node:crypto';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { AppConfig } from '../src/config/app-config';
import { FakeProvider, FakeProviders, startFakeProviders } from './support/fake-providers';
import { waitFor } from './support/wait';
import {
  auth,
  bootTestApp,
  signUpTeam,
  SignedUpUser,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const secret = (prefix: string) => `${prefix}-${randomBytes(24).toString('hex')}`;

/** A local port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A raw streamed `POST /prompts/:id/run` (supertest buffers; these tests watch the socket). */
function runStream(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
  onResponse: (res: IncomingMessage) => void,
) {
  return httpRequest(
    {
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: {
        ...headers,
        accept: 'text/event-stream',
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    },
    onResponse,
  );
}

interface SseEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are checked field by field
  data: any;
}
function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(
        lines
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n'),
      );
      return { event, data };
    });
}

// Prices of the catalogue the arithmetic below relies on (tokens × price / 1e6).
const PRICE = {
  'gpt-4o': { in: 2.5, out: 10 },
  'claude-sonnet-4-5': { in: 3, out: 15 },
  'gemini-2.5-flash': { in: 0.3, out: 2.5 },
};
const cost = (model: keyof typeof PRICE, input: number, output: number) =>
  Math.round(((input * PRICE[model].in + output * PRICE[model].out) / 1e6) * 1e10) / 1e10;

describe('Playground: models, estimates, runs, compare', () => {
  let t: TestApp;
  let team: Team;
  let fake: FakeProviders;
  const secrets: string[] = [];
  const seen: string[] = [];
  const KEYS = {
    openai: secret('sk-proj'),
    anthropic: secret('sk-ant-api03'),
    google: secret('AIzaSy'),
    slow: secret('sk-slow'),
    limited: secret('sk-limited'),
    broken: secret('sk-broken'),
    revoked: secret('sk-revoked'),
    local: secret('sk-local'),
  };
  const keyIds: Record<string, string> = {};
  let promptId: string;
  const REPLY = 'The answer is forty two';
  const CONTENT = 'Write a {{tone}} reply to {{customer}} about billing.';

  beforeAll(async () => {
    fake = await startFakeProviders();
    for (const [name, key] of Object.entries(KEYS)) {
      secrets.push(key);
      if (name !== 'revoked') fake.validKeys.add(key);
    }
    fake.reply = () => REPLY;
    t = await bootTestApp({ env: { ENCRYPTION_KEY } });
    team = await signUpTeam(t);
    const add = async (name: string, provider: string, apiKey: string, baseUrl?: string) => {
      const res = await as(team.owner).post('/provider-keys', { provider, name, apiKey, baseUrl });
      expect(res.status).toBe(201);
      keyIds[name] = res.body.id;
    };
    // "A …" names sort first: they are the organization's default key for their provider.
    await add('A OpenAI', 'openai', KEYS.openai, fake.baseUrl('openai'));
    await add('A Anthropic', 'anthropic', KEYS.anthropic, fake.baseUrl('anthropic'));
    await add('A Google', 'google', KEYS.google, fake.baseUrl('google'));
    await add('Slow', 'openai', KEYS.slow, fake.baseUrl('openai'));
    await add('Limited', 'openai', KEYS.limited, fake.baseUrl('openai'));
    await add('Broken', 'anthropic', KEYS.broken, fake.baseUrl('anthropic'));
    await add('Revoked', 'google', KEYS.revoked, fake.baseUrl('google'));
    await add('Local', 'openai-compatible', KEYS.local, fake.baseUrl('openai'));
    const created = await as(team.editor).post('/prompts', {
      title: 'Billing reply',
      content: CONTENT,
      variables: [
        { name: 'tone', type: 'select', options: ['friendly', 'formal'], defaultValue: 'friendly' },
      ],
      metadata: { maxTokens: 200, temperature: 0.3 },
    });
    expect(created.status).toBe(201);
    promptId = created.body.id;
    const v2 = await as(team.editor).patch(`/prompts/${promptId}`, {
      content: `${CONTENT} Sign as {{signature}}.`,
      variables: [
        { name: 'tone', type: 'select', options: ['friendly', 'formal'], defaultValue: 'friendly' },
        { name: 'signature', type: 'text', required: false },
      ],
    });
    expect(v2.status).toBe(200);
  });
  afterAll(async () => {
    // The decrypted keys never left the server: not in any response, stored run or audit event.
    const stored = await t.owner.query(
      `SELECT (SELECT coalesce(json_agg(r)::text, '') FROM runs r) AS runs,
              (SELECT coalesce(json_agg(a)::text, '') FROM audit_events a) AS audit`,
    );
    for (const key of secrets) {
      for (const text of [...seen, stored.rows[0].runs, stored.rows[0].audit]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(key.slice(-12));
      }
    }
    await t?.close();
    await fake?.close();
  });

  function as(user: SignedUpUser, org = team.org, app = () => t) {
    const call = async (method: 'get' | 'post' | 'patch', path: string, body?: object, stream = false) => {
      let req = app().http()[method](`/api/v1${path}`).set(auth(user, org));
      if (stream)
        req = req
          .set('Accept', 'text/event-stream')
          .buffer(true)
          .parse((res, cb) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => cb(null, text));
          });
      const res = await (body ? req.send(body) : req);
      seen.push(typeof res.body === 'string' ? res.body : (res.text ?? ''), JSON.stringify(res.headers));
      return res;
    };
    return {
      get: (path: string) => call('get', path),
      post: (path: string, body: object = {}) => call('post', path, body),
      patch: (path: string, body: object) => call('patch', path, body),
      stream: (path: string, body: object) => call('post', path, body, true),
    };
  }
  const runRow = async (id: string) =>
    (await t.owner.query(`SELECT *, cost_usd::text AS cost FROM runs WHERE id = $1`, [id])).rows[0];
  const lastRequest = (provider: FakeProvider) =>
    fake.requests.filter((r) => r.provider === provider).at(-1)!;

  describe('GET /models', () => {
    it('lists the catalogue with prices and their date to any member', async () => {
      const res = await as(team.viewer).get('/models');
      expect(res.status).toBe(200);
      expect(res.body).toContainEqual({
        provider: 'openai',
        id: 'gpt-4o',
        name: 'GPT-4o',
        contextWindow: 128000,
        inputPerMTokUsd: 2.5,
        outputPerMTokUsd: 10,
        pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        priceSource: 'catalogue',
      });
      const providers = new Set(res.body.map((m: { provider: string }) => m.provider));
      expect([...providers].sort()).toEqual(['anthropic', 'google', 'openai']);
    });
    it('answers 401 without credentials', async () => {
      await t.http().get('/api/v1/models').expect(401);
    });
  });

  describe('POST /prompts/:id/estimate', () => {
    const SENTENCE =
      'Schreibe eine freundliche Antwort an Ann über die Rechnung. こんにちは世界、お元気ですか？';
    let scratchId: string;
    beforeAll(async () => {
      const res = await as(team.editor).post('/prompts', { title: 'Tokens', content: '{{text}}' });
      scratchId = res.body.id;
    });

    it('counts OpenAI tokens with the model family’s real encoding (o200k for gpt-4o)', async () => {
      // o200k_base gives 22 tokens for this sentence, cl100k_base 27.
      const res = await as(team.viewer).post(`/prompts/${scratchId}/estimate`, {
        model: 'gpt-4o',
        variables: { text: SENTENCE },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        inputTokens: 22,
        estimatedOutputTokens: 500,
        costUsd: cost('gpt-4o', 22, 500),
        exact: true,
      });
    });

    it('approximates other providers and takes the expected output from metadata.maxTokens', async () => {
      const res = await as(team.editor).post(`/prompts/${promptId}/estimate`, {
        model: 'claude-sonnet-4-5',
        version: 1,
        variables: { customer: 'Ann' },
      });
      expect(res.status).toBe(200);
      const rendered = 'Write a friendly reply to Ann about billing.';
      const input = Math.ceil(rendered.length / 3.5);
      expect(res.body).toEqual({
        inputTokens: input,
        estimatedOutputTokens: 200,
        costUsd: cost('claude-sonnet-4-5', input, 200),
        exact: false,
      });
    });

    it('refuses unknown models (400) and missing variables (422)', async () => {
      const unknown = await as(team.editor).post(`/prompts/${promptId}/estimate`, {
        model: 'gpt-9-ultra',
        variables: { customer: 'Ann' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('model');
      const missing = await as(team.editor).post(`/prompts/${promptId}/estimate`, { model: 'gpt-4o' });
      expect(missing.status).toBe(422);
      expect(missing.body.code).toBe('prompt_variables_invalid');
      expect(missing.body.errors).toEqual([{ field: 'variables.customer', message: 'customer is required' }]);
    });

    it('answers 404 for a prompt of another organization', async () => {
      const res = await as(team.outsider, team.outsider.organizationId).post(
        `/prompts/${promptId}/estimate`,
        {
          model: 'gpt-4o',
          variables: { customer: 'Ann' },
        },
      );
      expect(res.status).toBe(404);
    });
  });

  describe('POST /prompts/:id/run', () => {
    const cases: Array<{ provider: FakeProvider; model: keyof typeof PRICE; key: string }> = [
      { provider: 'openai', model: 'gpt-4o', key: 'openai' },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', key: 'anthropic' },
      { provider: 'google', model: 'gemini-2.5-flash', key: 'google' },
    ];

    it.each(cases)(
      'runs on $provider with the organization’s key, stores the run with the provider’s usage and its cost',
      async ({ provider, model, key }) => {
        const res = await as(team.editor).post(`/prompts/${promptId}/run`, {
          model,
          variables: { customer: 'Ann', signature: 'Bob' },
          settings: { maxTokens: 50 },
        });
        expect(res.status).toBe(200);
        const rendered = 'Write a friendly reply to Ann about billing. Sign as Bob.';
        // The fake counts a token per word: the provider's usage, not the estimate, is stored.
        const inputTokens = rendered.split(' ').length;
        expect(res.body).toEqual({
          id: expect.any(String),
          promptId,
          version: 2,
          model,
          provider,
          output: REPLY,
          usage: { inputTokens, outputTokens: 5 },
          costUsd: cost(model, inputTokens, 5),
          latencyMs: expect.any(Number),
          status: 'success',
          error: null,
          providerKeyId:
            keyIds[
              `A ${provider === 'openai' ? 'OpenAI' : provider === 'anthropic' ? 'Anthropic' : 'Google'}`
            ],
          createdBy: team.editor.userId,
          createdAt: expect.any(String),
        });
        const call = lastRequest(provider);
        expect(call.apiKey).toBe(KEYS[key as keyof typeof KEYS]);
        expect(JSON.stringify(call.body)).toContain(rendered);
        // Settings: maxTokens from the request, temperature from the prompt's metadata.
        expect(JSON.stringify(call.body)).toMatch(/"(max_tokens|max_completion_tokens|maxOutputTokens)":50/);
        expect(JSON.stringify(call.body)).toContain('0.3');
        const row = await runRow(res.body.id);
        expect(row).toMatchObject({
          organization_id: team.org,
          prompt_id: promptId,
          version: 2,
          model,
          provider,
          provider_key_id: res.body.providerKeyId,
          variables: { customer: 'Ann', signature: 'Bob' },
          input: rendered,
          output: REPLY,
          input_tokens: inputTokens,
          output_tokens: 5,
          status: 'success',
          error: null,
          created_by: team.editor.userId,
        });
        expect(Number(row.cost)).toBeCloseTo(cost(model, inputTokens, 5), 10);
        // A run counts a use of the prompt, like render (counted in memory, flushed every second):
        // every stored run of the prompt is one use. The key records its use.
        await waitFor('the uses to be flushed', async () => {
          const { rows } = await t.owner.query(
            `SELECT p.uses::int AS uses, (SELECT count(*)::int FROM runs r WHERE r.prompt_id = p.id) AS runs
               FROM prompts p WHERE p.id = $1`,
            [promptId],
          );
          return rows[0].runs > 0 && rows[0].uses === rows[0].runs;
        });
        const used = await t.owner.query(`SELECT last_used_at FROM provider_keys WHERE id = $1`, [
          res.body.providerKeyId,
        ]);
        expect(used.rows[0].last_used_at).not.toBeNull();
      },
    );

    it('marks the key used at most once a minute (a busy key is not rewritten by every run)', async () => {
      const keyId = keyIds['A OpenAI'];
      const lastUsed = async () =>
        (await t.owner.query(`SELECT last_used_at FROM provider_keys WHERE id = $1`, [keyId])).rows[0]
          .last_used_at as Date | null;
      const run = async () => {
        const res = await as(team.editor).post(`/prompts/${promptId}/run`, {
          model: 'gpt-4o',
          providerKeyId: keyId,
          variables: { customer: 'Ann', signature: 'Bob' },
        });
        expect(res.status).toBe(200);
      };
      await t.owner.query(`UPDATE provider_keys SET last_used_at = NULL WHERE id = $1`, [keyId]);
      await run();
      const first = await lastUsed();
      expect(first).toBeInstanceOf(Date);
      await run();
      expect(await lastUsed()).toEqual(first);
      // A use more than a minute ago is moved forward by the next run.
      const old = new Date(Date.now() - 5 * 60_000);
      await t.owner.query(`UPDATE provider_keys SET last_used_at = $2 WHERE id = $1`, [keyId, old]);
      await run();
      expect((await lastUsed())!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
    });

    it('runs the version a label points at, and answers 404 for an unknown label or version', async () => {
      const labelled = await t
        .http()
        .put(`/api/v1/prompts/${promptId}/labels/production`)
        .set(auth(team.owner, team.org))
        .send({ version: 1 });
      expect(labelled.status).toBe(200);
      const run = (at: object) =>
        as(team.editor).post(`/prompts/${promptId}/run`, {
          model: 'gpt-4o',
          variables: { customer: 'Ann' },
          ...at,
        });
      const byLabel = await run({ label: 'production' });
      expect(byLabel.status).toBe(200);
      expect(byLabel.body.version).toBe(1);
      expect((await runRow(byLabel.body.id)).input).toBe('Write a friendly reply to Ann about billing.');
      expect((await run({ version: 2 })).body.version).toBe(2);
      expect((await run({})).body.version).toBe(2);
      const noLabel = await run({ label: 'staging' });
      expect(noLabel.status).toBe(404);
      expect(noLabel.body).toMatchObject({
        code: 'version_label_not_found',
        detail: 'Label "staging" was not found',
      });
      const noVersion = await run({ version: 9 });
      expect(noVersion.status).toBe(404);
      expect(noVersion.body).toMatchObject({ code: 'version_not_found', detail: 'Version 9 was not found' });
      // The prompt's 404 comes first, whatever the version asked for.
      const missing = await as(team.editor).post(`/prompts/00000000-0000-4000-8000-000000000000/run`, {
        model: 'gpt-4o',
        label: 'staging',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('stores inputs, variables and outputs with quotes, backslashes and other characters as they are', async () => {
      const customer = `O'Brien \\ "Ann" $1 \\x00 E'\\n' 😀 ü\ttab`;
      const tricky = `It's \\ done: "ok" '' $$ ; COMMIT; 😀`;
      fake.reply = () => tricky;
      try {
        for (const [path, body] of [
          [`/prompts/${promptId}/run`, { model: 'gpt-4o', variables: { customer, signature: "a'b" } }],
          [
            '/playground/run',
            { content: `Hi {{name}} ' \\`, variables: { name: customer }, model: 'gpt-4o' },
          ],
        ] as const) {
          const res = await as(team.editor).post(path, body);
          expect(res.status).toBe(200);
          expect(res.body.output).toBe(tricky);
          const row = await runRow(res.body.id);
          expect(row.variables).toEqual(body.variables);
          expect(row.output).toBe(tricky);
          expect(row.input).toBe(
            path === '/playground/run'
              ? `Hi ${customer} ' \\`
              : `Write a friendly reply to ${customer} about billing. Sign as a'b.`,
          );
        }
      } finally {
        fake.reply = () => REPLY;
      }
    });

    it.each(cases)(
      'streams $provider as server-sent events: delta… then done with the run',
      async ({ provider, model }) => {
        const res = await as(team.editor).stream(`/prompts/${promptId}/run`, {
          model,
          label: undefined,
          version: 1,
          variables: { customer: 'Ann' },
        });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        const events = parseSse(res.body);
        const deltas = events.filter((e) => e.event === 'delta');
        expect(deltas.length).toBeGreaterThan(1);
        expect(deltas.map((e) => e.data.text).join('')).toBe(REPLY);
        expect(events.at(-1)!.event).toBe('done');
        const run = events.at(-1)!.data;
        expect(run).toMatchObject({
          promptId,
          version: 1,
          model,
          provider,
          output: REPLY,
          status: 'success',
        });
        expect(run.usage.outputTokens).toBe(5);
        expect(run.costUsd).toBe(cost(model, run.usage.inputTokens, 5));
        expect(await runRow(run.id)).toMatchObject({ status: 'success', output: REPLY, version: 1 });
      },
    );

    it('uses the key named by providerKeyId, and refuses one of another provider (400)', async () => {
      const ok = await as(team.admin).post(`/prompts/${promptId}/run`, {
        model: 'gpt-4o',
        providerKeyId: keyIds.Slow,
        variables: { customer: 'Ann' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.providerKeyId).toBe(keyIds.Slow);
      expect(lastRequest('openai').apiKey).toBe(KEYS.slow);
      const wrong = await as(team.admin).post(`/prompts/${promptId}/run`, {
        model: 'gpt-4o',
        providerKeyId: keyIds['A Anthropic'],
        variables: { customer: 'Ann' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors[0].field).toBe('providerKeyId');
    });

    it('runs any model id on an OpenAI-compatible key, at cost 0 unless the catalogue knows it', async () => {
      const res = await as(team.editor).post(`/prompts/${promptId}/run`, {
        model: 'llama3.1:8b',
        providerKeyId: keyIds.Local,
        variables: { customer: 'Ann' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ model: 'llama3.1:8b', provider: 'openai-compatible', costUsd: 0 });
      expect(res.body.usage.outputTokens).toBe(5);
    });

    it('answers 422 for missing variables and stores nothing', async () => {
      const before = await t.owner.query(`SELECT count(*)::int AS n FROM runs`);
      const res = await as(team.editor).post(`/prompts/${promptId}/run`, { model: 'gpt-4o', variables: {} });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('prompt_variables_invalid');
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM runs`)).rows[0].n).toBe(before.rows[0].n);
    });

    it('answers 400 for bad input', async () => {
      for (const body of [
        { model: 'gpt-9-ultra', variables: { customer: 'Ann' } },
        { variables: { customer: 'Ann' } },
        { model: 'gpt-4o', variables: { customer: 'Ann' }, settings: { temperature: 3 } },
        { model: 'gpt-4o', variables: { customer: 'Ann' }, settings: { maxTokens: 0 } },
        { model: 'gpt-4o', variables: 'Ann' },
        { model: 'gpt-4o', providerKeyId: 'not-a-uuid' },
        { model: 'gpt-4o', version: 1, label: 'production' },
      ]) {
        const res = await as(team.editor).post(`/prompts/${promptId}/run`, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect((await as(team.editor).post(`/prompts/not-a-uuid/run`, { model: 'gpt-4o' })).status).toBe(400);
    });

    it('refuses VIEWER (403) and anonymous callers (401)', async () => {
      const res = await as(team.viewer).post(`/prompts/${promptId}/run`, {
        model: 'gpt-4o',
        variables: { customer: 'Ann' },
      });
      expect(res.status).toBe(403);
      expect((await as(team.viewer).post('/playground/run', { content: 'Hi', model: 'gpt-4o' })).status).toBe(
        403,
      );
      await t.http().post(`/api/v1/prompts/${promptId}/run`).send({ model: 'gpt-4o' }).expect(401);
    });

    it('answers 404 across organizations (prompt and key) and 409 when the organization has no key', async () => {
      const outsider = as(team.outsider, team.outsider.organizationId);
      expect(
        (await outsider.post(`/prompts/${promptId}/run`, { model: 'gpt-4o', variables: { customer: 'Ann' } }))
          .status,
      ).toBe(404);
      const own = await outsider.post('/prompts', { title: 'Mine', content: 'Hello {{name}}' });
      const missing = await outsider.post(`/prompts/${own.body.id}/run`, {
        model: 'claude-haiku-4-5',
        variables: { name: 'Ann' },
      });
      expect(missing.status).toBe(409);
      expect(missing.body).toMatchObject({ code: 'provider_key_missing', provider: 'anthropic' });
      const foreignKey = await outsider.post(`/prompts/${own.body.id}/run`, {
        model: 'gpt-4o',
        providerKeyId: keyIds['A OpenAI'],
        variables: { name: 'Ann' },
      });
      expect(foreignKey.status).toBe(404);
    });
  });

  describe('provider failures', () => {
    const run = (providerKeyId: string, model = 'gpt-4o') =>
      as(team.editor).post(`/prompts/${promptId}/run`, {
        model,
        providerKeyId,
        variables: { customer: 'Ann' },
      });
    afterEach(() => {
      for (const key of Object.values(KEYS)) fake.script(key, undefined);
    });

    it('a refused key → 502 provider_error, providerStatus 401, told to check the key; the run is stored', async () => {
      for (const [keyName, model] of [
        ['Revoked', 'gemini-2.5-flash'],
        ['Broken', 'claude-sonnet-4-5'],
      ] as const) {
        if (keyName === 'Broken') fake.validKeys.delete(KEYS.broken);
        const res = await run(keyIds[keyName], model);
        fake.validKeys.add(KEYS.broken);
        expect(res.status).toBe(502);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({
          code: 'provider_error',
          providerStatus: 401,
          runId: expect.any(String),
        });
        expect(res.body.detail).toMatch(/refused the key.*check the key/);
        const row = await runRow(res.body.runId);
        expect(row).toMatchObject({ status: 'error', output: '', input_tokens: 0, output_tokens: 0 });
        expect(row.error).toEqual({ code: 'provider_error', providerStatus: 401, detail: res.body.detail });
      }
    });

    it('a provider rate limit → 429 provider_rate_limited with Retry-After', async () => {
      fake.script(KEYS.limited, { status: 429, retryAfter: 7 });
      const res = await run(keyIds.Limited);
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body).toMatchObject({ code: 'provider_rate_limited', providerStatus: 429 });
      expect((await runRow(res.body.runId)).status).toBe('error');
    });

    it('a provider failure → 502 provider_error with the provider’s status', async () => {
      fake.script(KEYS.broken, { status: 500 });
      const res = await run(keyIds.Broken, 'claude-sonnet-4-5');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'provider_error', providerStatus: 500 });
      expect(res.body.detail).toContain('Internal server error');
    });

    it('an unreachable endpoint → 502 provider_unreachable', async () => {
      const port = await closedPort();
      const key = await as(team.owner).post('/provider-keys', {
        provider: 'openai-compatible',
        name: 'Nowhere',
        apiKey: KEYS.local,
        baseUrl: `http://127.0.0.1:${port}/v1`,
      });
      const res = await run(key.body.id, 'llama3');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'provider_unreachable', providerStatus: null });
      expect(res.body.detail).toContain('ECONNREFUSED');
    });

    it('a streamed failure ends with an error event carrying the problem', async () => {
      fake.script(KEYS.limited, { status: 429, retryAfter: 3 });
      const res = await as(team.editor).stream(`/prompts/${promptId}/run`, {
        model: 'gpt-4o',
        providerKeyId: keyIds.Limited,
        variables: { customer: 'Ann' },
      });
      expect(res.status).toBe(200);
      const events = parseSse(res.body);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        event: 'error',
        data: { status: 429, code: 'provider_rate_limited', providerStatus: 429, runId: expect.any(String) },
      });
    });

    it('a provider slower than PROVIDER_TIMEOUT_MS → 504 provider_timeout, run stored as error', async () => {
      // The timeout is read per call: lowered here for this test (a second app cannot share the
      // embedded database).
      const config: { providerTimeoutMs: number } = t.app.get(AppConfig);
      const previous = config.providerTimeoutMs;
      config.providerTimeoutMs = 1000;
      try {
        fake.script(KEYS.slow, { delayMs: 2500 });
        const res = await run(keyIds.Slow);
        expect(res.status).toBe(504);
        expect(res.body).toMatchObject({ code: 'provider_timeout', providerStatus: null });
        expect(res.body.detail).toContain('1 s');
        const row = await runRow(res.body.runId);
        expect(row.status).toBe('error');
        expect(row.latency_ms).toBeGreaterThanOrEqual(900);
      } finally {
        config.providerTimeoutMs = previous;
      }
    });

    (usingRealPostgres ? it : it.skip)(
      'holds no database transaction open while the provider works',
      async () => {
        fake.script(KEYS.slow, { delayMs: 1500 });
        const pending = run(keyIds.Slow);
        await waitFor('the provider call', async () =>
          fake.requests.some((r) => r.apiKey === KEYS.slow && r.path.endsWith('completions')),
        );
        // The call has been waiting 300 ms: a transaction held across it would be at least that old
        // (a stats flush or a sweep may be open for a moment, never that long).
        await new Promise((r) => setTimeout(r, 300));
        const open = await t.owner.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%'
              AND xact_start < now() - interval '250 milliseconds'`,
        );
        expect(open.rows[0].n).toBe(0);
        expect((await pending).status).toBe(200);
      },
    );

    it('a client that goes away mid-stream aborts the provider call; the run is stored as canceled', async () => {
      fake.reply = () => 'one two three four five six seven eight nine ten eleven twelve';
      fake.script(KEYS.slow, { chunkDelayMs: 150 });
      const abortedBefore = fake.aborted;
      const port = (t.app.getHttpServer().address() as AddressInfo).port;
      const body = JSON.stringify({
        model: 'gpt-4o',
        providerKeyId: keyIds.Slow,
        variables: { customer: 'Ann' },
      });
      const firstDelta = await new Promise<string>((resolve, reject) => {
        const req = runStream(
          port,
          `/api/v1/prompts/${promptId}/run`,
          auth(team.editor, team.org),
          body,
          (res) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.includes('event: delta')) {
                req.destroy();
                resolve(text);
              }
            });
            res.on('error', () => undefined);
          },
        );
        req.on('error', () => undefined);
        req.on('close', () => resolve(''));
        req.end(body);
        setTimeout(() => reject(new Error('no delta')), 5000).unref();
      });
      expect(firstDelta).toContain('event: delta');
      await waitFor('the fake to see the connection closed', () => fake.aborted > abortedBefore);
      const row = await waitFor('the canceled run', async () => {
        const r = await t.owner.query(
          `SELECT * FROM runs WHERE provider_key_id = $1 ORDER BY created_at DESC LIMIT 1`,
          [keyIds.Slow],
        );
        return r.rows[0]?.status === 'canceled' ? r.rows[0] : undefined;
      });
      expect(row.output.length).toBeGreaterThan(0);
      expect(row.output.length).toBeLessThan(
        fake.reply({ provider: 'openai', model: '', prompt: '' }).length,
      );
      fake.reply = () => REPLY;
    });

    it('sends the stream’s headers with the first events, or on their own while the model is slow', async () => {
      const port = (t.app.getHttpServer().address() as AddressInfo).port;
      const streamed = (delayMs: number) => {
        fake.script(KEYS.slow, { delayMs, times: 1 });
        const body = JSON.stringify({
          model: 'gpt-4o',
          providerKeyId: keyIds.Slow,
          variables: { customer: 'Ann' },
        });
        return new Promise<{
          status: number;
          type: string;
          headersAt: number;
          firstDataAt: number;
          text: string;
        }>((resolve, reject) => {
          const started = performance.now();
          const req = runStream(
            port,
            `/api/v1/prompts/${promptId}/run`,
            auth(team.editor, team.org),
            body,
            (res) => {
              const headersAt = performance.now() - started;
              let firstDataAt = -1;
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                if (firstDataAt < 0) firstDataAt = performance.now() - started;
                text += chunk;
              });
              res.on('end', () =>
                resolve({
                  status: res.statusCode!,
                  type: String(res.headers['content-type']),
                  headersAt,
                  firstDataAt,
                  text,
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      };
      // A slow model: the client sees 200 text/event-stream long before the first event.
      const slow = await streamed(2000);
      expect(slow.status).toBe(200);
      expect(slow.type).toMatch(/^text\/event-stream/);
      expect(slow.firstDataAt - slow.headersAt).toBeGreaterThan(1000);
      expect(parseSse(slow.text).at(-1)!.event).toBe('done');
      // A quick one: the headers come with the events, and the run is whole.
      const quick = await streamed(0);
      expect(quick.status).toBe(200);
      const events = parseSse(quick.text);
      expect(
        events
          .filter((e) => e.event === 'delta')
          .map((e) => e.data.text)
          .join(''),
      ).toBe(REPLY);
      expect(events.at(-1)!.event).toBe('done');
    });
  });

  describe('POST /playground/run', () => {
    it('runs unsaved content (every placeholder a required text variable) and stores it without a prompt', async () => {
      const res = await as(team.editor).post('/playground/run', {
        content: 'Say hello to {{name}}.',
        variables: { name: 'Ann' },
        model: 'claude-haiku-4-5',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        promptId: null,
        version: null,
        model: 'claude-haiku-4-5',
        output: REPLY,
      });
      expect(await runRow(res.body.id)).toMatchObject({ prompt_id: null, input: 'Say hello to Ann.' });
      const missing = await as(team.editor).post('/playground/run', {
        content: 'Say hello to {{name}}.',
        model: 'gpt-4o',
      });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([{ field: 'variables.name', message: 'name is required' }]);
      expect((await as(team.editor).post('/playground/run', { content: '', model: 'gpt-4o' })).status).toBe(
        400,
      );
    });

    it('streams too', async () => {
      const res = await as(team.editor).stream('/playground/run', {
        content: 'Hi',
        model: 'gemini-2.5-flash',
      });
      const events = parseSse(res.body);
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { output: REPLY, promptId: null } });
    });
  });

  describe('POST /prompts/:id/compare', () => {
    const targets = [
      { version: 1, model: 'gpt-4o' },
      { version: 2, model: 'claude-sonnet-4-5' },
    ];
    it('runs the targets in parallel and answers every run in order', async () => {
      const res = await as(team.editor).post(`/prompts/${promptId}/compare`, {
        variables: { customer: 'Ann', signature: 'Bob' },
        targets,
      });
      expect(res.status).toBe(200);
      expect(res.body.runs).toHaveLength(2);
      expect(res.body.runs[0]).toMatchObject({
        version: 1,
        model: 'gpt-4o',
        provider: 'openai',
        status: 'success',
      });
      expect(res.body.runs[1]).toMatchObject({ version: 2, model: 'claude-sonnet-4-5', status: 'success' });
      for (const run of res.body.runs) expect((await runRow(run.id)).status).toBe('success');
    });

    it('includes a failed target as a run with its error', async () => {
      fake.script(KEYS.limited, { status: 429, retryAfter: 5 });
      const res = await as(team.editor).post(`/prompts/${promptId}/compare`, {
        variables: { customer: 'Ann' },
        targets: [{ model: 'gpt-4o' }, { model: 'gpt-4o', providerKeyId: keyIds.Limited }],
      });
      fake.script(KEYS.limited, undefined);
      expect(res.status).toBe(200);
      expect(res.body.runs.map((r: { status: string }) => r.status)).toEqual(['success', 'error']);
      expect(res.body.runs[1].error).toMatchObject({ code: 'provider_rate_limited', providerStatus: 429 });
    });

    it('answers a run it could not store with that problem, once the other targets are stored', async () => {
      // Storing the Claude target fails (a trigger stands in for the database refusing the row);
      // the other target waits 1.5 s at the provider. The answer must not leave before that run is stored.
      await t.owner.query(`
        CREATE FUNCTION test_refuse_run() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.variables->>'customer' = 'Refused' AND NEW.model = 'claude-sonnet-4-5' THEN
            RAISE EXCEPTION 'refused by the test';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_refuse_run BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION test_refuse_run();`);
      fake.script(KEYS.slow, { delayMs: 1500 });
      try {
        const res = await as(team.editor).post(`/prompts/${promptId}/compare`, {
          variables: { customer: 'Refused' },
          targets: [{ model: 'claude-sonnet-4-5' }, { model: 'gpt-4o', providerKeyId: keyIds.Slow }],
        });
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const stored = await t.owner.query(
          `SELECT model, status FROM runs WHERE variables->>'customer' = 'Refused' ORDER BY model`,
        );
        expect(stored.rows).toEqual([{ model: 'gpt-4o', status: 'success' }]);
      } finally {
        fake.script(KEYS.slow, undefined);
        await t.owner.query(`DROP TRIGGER test_refuse_run ON runs; DROP FUNCTION test_refuse_run();`);
      }
    });

    it('streams events tagged with the target index, then end', async () => {
      const res = await as(team.editor).stream(`/prompts/${promptId}/compare`, {
        variables: { customer: 'Ann' },
        targets,
      });
      const events = parseSse(res.body);
      expect(events.at(-1)).toEqual({ event: 'end', data: {} });
      for (const target of [0, 1]) {
        const deltas = events.filter((e) => e.event === 'delta' && e.data.target === target);
        expect(deltas.map((e) => e.data.text).join('')).toBe(REPLY);
        const done = events.find((e) => e.event === 'done' && e.data.target === target);
        expect(done!.data.run).toMatchObject({ version: target + 1, output: REPLY });
      }
    });

    it('needs 2 to 4 targets (400), a runner’s role (403) and a visible prompt (404)', async () => {
      for (const n of [0, 1, 5]) {
        const res = await as(team.editor).post(`/prompts/${promptId}/compare`, {
          variables: { customer: 'Ann' },
          targets: Array.from({ length: n }, () => ({ model: 'gpt-4o' })),
        });
        expect({ n, status: res.status }).toEqual({ n, status: 400 });
      }
      const unknown = await as(team.editor).post(`/prompts/${promptId}/compare`, {
        variables: { customer: 'Ann' },
        targets: [{ model: 'gpt-4o' }, { model: 'nope' }],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('targets[1].model');
      expect(
        (
          await as(team.viewer).post(`/prompts/${promptId}/compare`, {
            variables: { customer: 'Ann' },
            targets,
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await as(team.outsider, team.outsider.organizationId).post(`/prompts/${promptId}/compare`, {
            variables: { customer: 'Ann' },
            targets,
          })
        ).status,
      ).toBe(404);
    });
  });

  describe('GET /runs', () => {
    let privateId: string;
    let privateRun: string;
    let scratchRun: string;
    beforeAll(async () => {
      const p = await as(team.editor).post('/prompts', {
        title: 'Secret',
        content: 'Hush',
        visibility: 'private',
      });
      privateId = p.body.id;
      privateRun = (await as(team.editor).post(`/prompts/${privateId}/run`, { model: 'gpt-4o-mini' })).body
        .id;
      scratchRun = (
        await as(team.editor).post('/playground/run', { content: 'Scratch', model: 'gpt-4o-mini' })
      ).body.id;
    });

    it('filters by prompt, model and time, newest first, with keyset pagination', async () => {
      const all = await as(team.editor).get(`/runs?promptId=${promptId}&limit=100`);
      expect(all.status).toBe(200);
      const expected = (
        await t.owner.query(`SELECT id FROM runs WHERE prompt_id = $1 ORDER BY created_at DESC, id DESC`, [
          promptId,
        ])
      ).rows.map((r) => r.id);
      expect(all.body.items.map((r: { id: string }) => r.id)).toEqual(expected);
      expect(all.body.items[0]).toHaveProperty('input');
      expect(all.body.nextCursor).toBeNull();

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
          await as(team.editor).get(`/runs?promptId=${promptId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        pages.push(...page.body.items.map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pages).toEqual(expected);

      const claude = await as(team.editor).get(`/runs?model=claude-sonnet-4-5&limit=100`);
      expect(claude.body.items.length).toBeGreaterThan(0);
      expect(claude.body.items.every((r: { model: string }) => r.model === 'claude-sonnet-4-5')).toBe(true);

      const future = new Date(Date.now() + 3600_000).toISOString();
      expect((await as(team.editor).get(`/runs?from=${future}`)).body.items).toEqual([]);
      const past = await as(team.editor).get(`/runs?to=${future}&promptId=${promptId}&limit=100`);
      expect(past.body.items).toHaveLength(expected.length);
    });

    it('shows runs of private prompts and of unsaved content only to whom may see them', async () => {
      const mine = await as(team.editor).get('/runs?limit=100');
      const mineIds = mine.body.items.map((r: { id: string }) => r.id);
      expect(mineIds).toEqual(expect.arrayContaining([privateRun, scratchRun]));
      for (const other of [team.owner, team.editor2, team.viewer]) {
        const list = await as(other).get('/runs?limit=100');
        const ids = list.body.items.map((r: { id: string }) => r.id);
        expect(ids).not.toContain(privateRun);
        expect(ids).not.toContain(scratchRun);
        expect(list.body.items.length).toBeGreaterThan(0);
        expect((await as(other).get(`/runs/${privateRun}`)).status).toBe(404);
      }
      expect(
        (
          await as(team.viewer).get(
            `/runs/${mineIds.find((id: string) => id !== privateRun && id !== scratchRun)}`,
          )
        ).status,
      ).toBe(200);
    });

    it('GET /runs/:id answers the run, 404 across organizations, 400 for bad ids and cursors, 401 anonymous', async () => {
      const one = await as(team.editor).get(`/runs/${privateRun}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: privateRun, promptId: privateId, input: 'Hush', variables: {} });
      expect((await as(team.outsider, team.outsider.organizationId).get(`/runs/${privateRun}`)).status).toBe(
        404,
      );
      expect((await as(team.outsider, team.outsider.organizationId).get(`/runs`)).body.items).toEqual([]);
      expect((await as(team.editor).get('/runs/nope')).status).toBe(400);
      expect((await as(team.editor).get('/runs?cursor=garbage')).status).toBe(400);
      expect((await as(team.editor).get('/runs?from=yesterday')).status).toBe(400);
      expect((await as(team.editor).get('/runs?promptId=x')).status).toBe(400);
      await t.http().get('/api/v1/runs').expect(401);
    });
  });
});
