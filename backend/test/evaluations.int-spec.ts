import { randomBytes } from 'node:crypto';
import { FakeProvider, FakeProviders, startFakeProviders } from './support/fake-providers';
import { auth, bootTestApp, signUpTeam, SignedUpUser, Team, TestApp } from './support/test-app';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const secret = (prefix: string) => `${prefix}-${randomBytes(24).toString('hex')}`;

const all = (n: number) => ({ relevance: n, clarity: n, depth: n, creativity: n, robustness: n });
const SUGGESTIONS = [
  { text: 'Name the tone', example: 'Write in a warm, formal tone.' },
  { text: 'Give a length', example: 'Answer in at most 120 words.' },
  { text: 'Show an example', example: 'Example: "Dear Ann, thank you for ..."' },
];
/** A complete answer of the evaluator model, as its JSON schema asks. */
const answer = (over: Record<string, unknown> = {}) => ({
  reasoning: 'Relevance: the prompt says who and what. Clarity: the tone is open. ...',
  scores: all(4),
  overall: 4,
  strengths: ['Names the customer', 'States the subject'],
  doesWell: 'It names the audience and the subject of the reply.',
  overview: 'A clear prompt that leaves tone and length open.',
  suggestions: SUGGESTIONS,
  ambiguities: ['"reply" could be an e-mail or a chat message'],
  ...over,
});

// Catalogue prices (per million tokens) the cost arithmetic relies on.
const PRICE: Record<string, { in: number; out: number }> = {
  'gpt-4.1-mini': { in: 0.4, out: 1.6 },
  'claude-sonnet-4-5': { in: 3, out: 15 },
};
const cost = (model: string, input: number, output: number) =>
  Math.round(((input * PRICE[model].in + output * PRICE[model].out) / 1e6) * 1e10) / 1e10;
const words = (text: string) => Math.max(1, text.split(/\s+/).filter(Boolean).length);

describe('AI evaluator: POST/GET /prompts/:id/evaluations', () => {
  let t: TestApp;
  let team: Team;
  let fake: FakeProviders;
  const KEYS = {
    openai: secret('sk-proj'),
    anthropic: secret('sk-ant-api03'),
    google: secret('AIzaSy'),
    outsider: secret('sk-proj-out'),
  };
  const seen: string[] = [];
  let promptId: string;
  let otherPromptId: string;
  const CONTENT = 'Write a {{tone}} reply to {{customer}} about billing.';
  let structured: unknown;

  beforeAll(async () => {
    fake = await startFakeProviders();
    for (const key of Object.values(KEYS)) fake.validKeys.add(key);
    fake.reply = () => 'Dear Ann, your invoice is attached.';
    fake.structured = () => structured;
    t = await bootTestApp({ env: { ENCRYPTION_KEY } });
    team = await signUpTeam(t);
    const plan = await as(team.owner).put('/billing/plan', { plan: 'pro' });
    expect(plan.status).toBe(200);
    const add = async (name: string, provider: string, apiKey: string) => {
      const res = await as(team.owner).post('/provider-keys', {
        provider,
        name,
        apiKey,
        baseUrl: fake.baseUrl(provider as FakeProvider),
      });
      expect(res.status).toBe(201);
    };
    await add('OpenAI', 'openai', KEYS.openai);
    await add('Anthropic', 'anthropic', KEYS.anthropic);
    await add('Google', 'google', KEYS.google);
    const created = await as(team.editor).post('/prompts', { title: 'Billing reply', content: CONTENT });
    expect(created.status).toBe(201);
    promptId = created.body.id;
    const v2 = await as(team.editor).patch(`/prompts/${promptId}`, { content: `${CONTENT} Sign as Vault.` });
    expect(v2.status).toBe(200);
    otherPromptId = (
      await as(team.editor).post('/prompts', { title: 'Other', content: 'Summarize {{text}}' })
    ).body.id;
  });

  afterAll(async () => {
    // The decrypted keys never left the server: not in any response, evaluation or audit event.
    const stored = await t.owner.query(
      `SELECT (SELECT coalesce(json_agg(e)::text, '') FROM evaluations e) AS evaluations,
              (SELECT coalesce(json_agg(a)::text, '') FROM audit_events a) AS audit`,
    );
    for (const key of Object.values(KEYS))
      for (const text of [...seen, stored.rows[0].evaluations, stored.rows[0].audit]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(key.slice(-12));
      }
    await t?.close();
    await fake?.close();
  });

  function as(user: SignedUpUser, org = team.org) {
    const call = async (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
      const req = t.http()[method](`/api/v1${path}`).set(auth(user, org));
      const res = await (body ? req.send(body) : req);
      seen.push(res.text ?? '', JSON.stringify(res.headers));
      return res;
    };
    return {
      get: (path: string) => call('get', path),
      post: (path: string, body: object = {}) => call('post', path, body),
      put: (path: string, body: object) => call('put', path, body),
      patch: (path: string, body: object) => call('patch', path, body),
      delete: (path: string) => call('delete', path),
    };
  }
  const evaluate = (body: object = {}, user = team.editor, id = promptId) =>
    as(user).post(`/prompts/${id}/evaluations`, body);
  const count = async (org = team.org) =>
    Number(
      (await t.owner.query(`SELECT count(*) AS n FROM evaluations WHERE organization_id = $1`, [org])).rows[0]
        .n,
    );
  const lastRequest = (provider: FakeProvider) =>
    fake.requests.filter((r) => r.provider === provider).at(-1)!;

  describe('success', () => {
    it('judges the current version with EVALUATOR_MODEL; excellent → strengths, no suggestions; stored, audited', async () => {
      structured = answer({ scores: all(4.8), overall: 4.7 });
      const res = await evaluate();
      expect(res.status).toBe(201);
      const req = lastRequest('openai');
      const body = req.body as {
        model: string;
        messages: Array<{ role: string; content: unknown }>;
        response_format: {
          type: string;
          json_schema: { schema: { properties: object; required: string[] } };
        };
      };
      expect(body.model).toBe('gpt-4.1-mini');
      // The schema asks for the reasoning first, then the structured answer.
      expect(body.response_format.type).toBe('json_schema');
      expect(Object.keys(body.response_format.json_schema.schema.properties)[0]).toBe('reasoning');
      expect(body.response_format.json_schema.schema.required).toContain('suggestions');
      const system = body.messages.find((m) => m.role === 'system')!.content as string;
      expect(system).toMatch(/internal reasoning/);
      expect(system).toMatch(/overall >= 4.5 and no metric is below 4/);
      const user = JSON.stringify(body.messages.find((m) => m.role === 'user')!.content);
      expect(user).toContain(`${CONTENT} Sign as Vault.`);
      expect(user).toContain('No output is given');

      const promptText = [
        system,
        ...body.messages.filter((m) => m.role === 'user').map((m) => m.content as string),
      ]
        .map((c) => (typeof c === 'string' ? c : JSON.stringify(c)))
        .join('\n');
      const inputTokens = words(promptText);
      const outputTokens = words(JSON.stringify(structured));
      expect(res.body).toEqual({
        id: expect.any(String),
        promptId,
        version: 2,
        runId: null,
        scores: all(4.8),
        overall: 4.7,
        excellent: true,
        strengths: ['Names the customer', 'States the subject'],
        doesWell: 'It names the audience and the subject of the reply.',
        evaluatorModel: 'gpt-4.1-mini',
        usage: { inputTokens: expect.any(Number), outputTokens },
        costUsd: cost('gpt-4.1-mini', res.body.usage.inputTokens, outputTokens),
        createdBy: team.editor.userId,
        createdAt: expect.any(String),
      });
      expect(res.body.usage.inputTokens).toBeGreaterThan(0);
      expect(Math.abs(res.body.usage.inputTokens - inputTokens)).toBeLessThan(5);
      expect(res.body).not.toHaveProperty('suggestions');
      expect(res.body).not.toHaveProperty('reasoning');

      const row = (
        await t.owner.query(
          `SELECT *, overall::text AS o, cost_usd::text AS c FROM evaluations WHERE id = $1`,
          [res.body.id],
        )
      ).rows[0];
      expect(row).toMatchObject({
        organization_id: team.org,
        prompt_id: promptId,
        version: 2,
        o: '4.70',
        excellent: true,
        evaluator_model: 'gpt-4.1-mini',
        provider: 'openai',
        created_by: team.editor.userId,
        output: null,
      });
      expect(Number(row.c)).toBe(res.body.costUsd);
      expect(row.feedback).toEqual({ strengths: res.body.strengths, doesWell: res.body.doesWell });
      expect(JSON.stringify(row)).not.toContain('Relevance: the prompt says');

      const audit = (
        await t.owner.query(
          `SELECT actor_id, target_type, changes FROM audit_events WHERE action = 'evaluation.created' AND target_id = $1`,
          [res.body.id],
        )
      ).rows;
      expect(audit).toEqual([
        {
          actor_id: team.editor.userId,
          target_type: 'evaluation',
          changes: {
            promptId,
            version: 2,
            runId: null,
            evaluatorModel: 'gpt-4.1-mini',
            overall: 4.7,
            excellent: true,
            costUsd: res.body.costUsd,
          },
        },
      ]);
    });

    it('is not excellent at overall 4.5 with one metric at 3.9: overview, 3–5 suggestions with examples, ambiguities', async () => {
      structured = answer({ scores: { ...all(5), creativity: 3.9 }, overall: 4.5 });
      const res = await evaluate({ version: 1, output: 'Dear Ann, your invoice is attached.' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        version: 1,
        overall: 4.5,
        excellent: false,
        overview: 'A clear prompt that leaves tone and length open.',
        suggestions: SUGGESTIONS,
        ambiguities: ['"reply" could be an e-mail or a chat message'],
      });
      expect(res.body).not.toHaveProperty('strengths');
      expect(res.body).not.toHaveProperty('doesWell');
      const user = JSON.stringify(
        (lastRequest('openai').body as { messages: Array<{ role: string; content: unknown }> }).messages,
      );
      expect(user).toContain(CONTENT);
      expect(user).not.toContain('Sign as Vault');
      expect(user).toContain('<output>\\nDear Ann, your invoice is attached.\\n</output>');
      const row = (
        await t.owner.query(`SELECT output, excellent FROM evaluations WHERE id = $1`, [res.body.id])
      ).rows[0];
      expect(row).toEqual({ output: 'Dear Ann, your invoice is attached.', excellent: false });
    });

    it('judges the output of a run (its version and output) by runId', async () => {
      const run = await as(team.editor).post(`/prompts/${promptId}/run`, {
        model: 'gpt-4o',
        version: 1,
        variables: { tone: 'warm', customer: 'Ann' },
      });
      expect(run.status).toBe(200);
      structured = answer();
      const res = await evaluate({ runId: run.body.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ version: 1, runId: run.body.id, excellent: false });
      expect(JSON.stringify(lastRequest('openai').body)).toContain('Dear Ann, your invoice is attached.');

      const mismatch = await evaluate({ runId: run.body.id, version: 2 });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors[0].field).toBe('version');
      const otherPrompt = await evaluate({ runId: run.body.id }, team.editor, otherPromptId);
      expect(otherPrompt.status).toBe(400);
      expect(otherPrompt.body.errors[0].field).toBe('runId');
      const both = await evaluate({ runId: run.body.id, output: 'x' });
      expect(both.status).toBe(400);
      expect(both.body.errors[0].field).toBe('runId');
      const unknown = await evaluate({ runId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(404);
    });

    it('uses each provider’s structured output: Anthropic output format and json tool, Gemini JSON schema', async () => {
      structured = answer({ scores: all(3), overall: 3 });
      const sonnet = await evaluate({ model: 'claude-sonnet-4-5' });
      expect(sonnet.status).toBe(201);
      const sent = lastRequest('anthropic').body as {
        output_config?: { format?: { type: string } };
        tools?: unknown;
      };
      expect(sent.output_config?.format?.type).toBe('json_schema');
      expect(sonnet.body).toMatchObject({
        evaluatorModel: 'claude-sonnet-4-5',
        overall: 3,
        excellent: false,
      });
      expect(sonnet.body.costUsd).toBe(
        cost('claude-sonnet-4-5', sonnet.body.usage.inputTokens, sonnet.body.usage.outputTokens),
      );
      expect(sonnet.body.costUsd).toBeGreaterThan(0);

      const haiku = await evaluate({ model: 'claude-3-5-haiku-latest' });
      expect(haiku.status).toBe(201);
      // A model without native structured output gets the schema as a forced `json` tool.
      const viaTool = lastRequest('anthropic').body as {
        tools?: Array<{ name: string }>;
        tool_choice?: { type: string; name?: string };
        output_config?: unknown;
      };
      expect(viaTool.tools?.map((x) => x.name)).toEqual(['json']);
      expect(viaTool.output_config).toBeUndefined();
      expect(haiku.body.scores).toEqual(all(3));

      const gemini = await evaluate({ model: 'gemini-2.5-flash' });
      expect(gemini.status).toBe(201);
      const config = (lastRequest('google').body as { generationConfig: { responseMimeType: string } })
        .generationConfig;
      expect(config.responseMimeType).toBe('application/json');
      expect(gemini.body.evaluatorModel).toBe('gemini-2.5-flash');
    });
  });

  describe('invalid answers and provider failures store nothing', () => {
    it.each([
      ['not JSON', 'The prompt is quite good, I would say 4 out of 5.', /not a JSON object of the schema/],
      [
        'a score above 5',
        answer({ scores: { ...all(4), depth: 7 } }),
        /scores.depth must be a number from 1 to 5/,
      ],
      ['two suggestions', answer({ suggestions: SUGGESTIONS.slice(0, 2) }), /suggestions must hold 3 to 5/],
      [
        'a suggestion without example',
        answer({ suggestions: [...SUGGESTIONS.slice(0, 2), { text: 'x' }] }),
        /example/,
      ],
      [
        'an overview over its word limit',
        answer({ overview: 'word '.repeat(151) }),
        /overview is longer than 150 words/,
      ],
      ['no scores', answer({ scores: undefined }), /scores is missing/],
    ])('502 evaluator_answer_invalid for %s', async (_name, reply, detail) => {
      structured = reply;
      const before = await count();
      const res = await evaluate();
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'evaluator_answer_invalid', evaluatorModel: 'gpt-4.1-mini' });
      expect(res.body.detail).toMatch(detail);
      expect(res.body.usage.outputTokens).toBeGreaterThan(0);
      expect(await count()).toBe(before);
    });

    it('answers the provider’s rate limit as 429 with Retry-After, and a refused key as 502 provider_error', async () => {
      structured = answer();
      const before = await count();
      fake.script(KEYS.openai, { status: 429, retryAfter: 17 });
      const limited = await evaluate();
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('17');
      expect(limited.body.code).toBe('provider_rate_limited');
      fake.script(KEYS.openai, undefined);
      fake.validKeys.delete(KEYS.anthropic);
      const refused = await evaluate({ model: 'claude-sonnet-4-5' });
      fake.validKeys.add(KEYS.anthropic);
      expect(refused.status).toBe(502);
      expect(refused.body).toMatchObject({ code: 'provider_error', providerStatus: 401 });
      expect(await count()).toBe(before);
    });
  });

  describe('input checks', () => {
    it('400 for bad input, naming the field', async () => {
      const cases: Array<[object, string]> = [
        [{ model: 'gpt-9-ultra' }, 'model'],
        [{ model: 'not a model!' }, 'model'],
        [{ version: 0 }, 'version'],
        [{ output: '' }, 'output'],
        [{ output: 'word '.repeat(6001) }, 'output'],
        [{ runId: 'nope' }, 'runId'],
        [{ unknown: true }, 'unknown'],
      ];
      for (const [body, field] of cases) {
        const res = await evaluate(body);
        expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, field]);
      }
      const badId = await as(team.editor).post('/prompts/not-a-uuid/evaluations', {});
      expect(badId.status).toBe(400);
      const badCursor = await as(team.viewer).get(`/prompts/${promptId}/evaluations?cursor=abc`);
      expect(badCursor.status).toBe(400);
      const badLimit = await as(team.viewer).get(`/prompts/${promptId}/evaluations?limit=101`);
      expect(badLimit.status).toBe(400);
    });

    it('404 for an unknown version, 422 for a prompt longer than the evaluator reads', async () => {
      const missing = await evaluate({ version: 99 });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('version_not_found');
      const long = await as(team.editor).post('/prompts', { title: 'Long', content: 'word '.repeat(6001) });
      expect(long.status).toBe(201);
      const requests = fake.requests.length;
      const res = await evaluate({}, team.editor, long.body.id);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'evaluation_input_too_long', limit: 'promptWords', max: 6000 });
      expect(fake.requests.length).toBe(requests);
    });
  });

  describe('access', () => {
    it('401 without credentials', async () => {
      await t.http().post(`/api/v1/prompts/${promptId}/evaluations`).send({}).expect(401);
      await t.http().get(`/api/v1/prompts/${promptId}/evaluations`).expect(401);
    });

    it('403 for a VIEWER (who may still list); OWNER and ADMIN evaluate', async () => {
      structured = answer();
      const viewer = await evaluate({}, team.viewer);
      expect(viewer.status).toBe(403);
      expect((await as(team.viewer).get(`/prompts/${promptId}/evaluations`)).status).toBe(200);
      expect((await evaluate({}, team.owner)).status).toBe(201);
      expect((await evaluate({}, team.admin)).status).toBe(201);
    });

    it('404 for a prompt of another organization, in both directions', async () => {
      const post = await as(team.outsider, team.outsider.organizationId).post(
        `/prompts/${promptId}/evaluations`,
        {},
      );
      expect(post.status).toBe(404);
      const get = await as(team.outsider, team.outsider.organizationId).get(
        `/prompts/${promptId}/evaluations`,
      );
      expect(get.status).toBe(404);
    });

    it('shows the evaluations of a private prompt to its author only', async () => {
      const priv = await as(team.editor2).post('/prompts', {
        title: 'Secret',
        content: 'Private {{x}}',
        visibility: 'private',
      });
      structured = answer();
      expect((await evaluate({}, team.editor2, priv.body.id)).status).toBe(201);
      expect((await as(team.editor2).get(`/prompts/${priv.body.id}/evaluations`)).body.items).toHaveLength(1);
      expect((await as(team.owner).get(`/prompts/${priv.body.id}/evaluations`)).status).toBe(404);
    });
  });

  describe('GET /prompts/:id/evaluations', () => {
    it('lists newest first with cursor pagination', async () => {
      const rows = (
        await t.owner.query(
          `SELECT id FROM evaluations WHERE prompt_id = $1 ORDER BY created_at DESC, id DESC`,
          [promptId],
        )
      ).rows.map((r: { id: string }) => r.id);
      expect(rows.length).toBeGreaterThanOrEqual(5);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await as(team.viewer).get(
          `/prompts/${promptId}/evaluations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        ids.push(...res.body.items.map((e: { id: string }) => e.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(rows);
      const first = await as(team.viewer).get(`/prompts/${promptId}/evaluations?limit=1`);
      expect(first.body.items[0]).toMatchObject({ promptId, evaluatorModel: expect.any(String) });
      expect(first.body.items[0].scores).toEqual(expect.objectContaining({ robustness: expect.any(Number) }));
    });

    it('answers an empty list for a prompt never evaluated', async () => {
      const res = await as(team.viewer).get(`/prompts/${otherPromptId}/evaluations`);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('plans', () => {
    const outsider = () => as(team.outsider, team.outsider.organizationId);
    let outsiderPrompt: string;
    beforeAll(async () => {
      outsiderPrompt = (await outsider().post('/prompts', { title: 'Mine', content: 'Hello {{name}}' })).body
        .id;
    });

    it('refuses Free and Starter organizations with plan_limit_reached before calling any provider', async () => {
      const requests = fake.requests.length;
      const free = await outsider().post(`/prompts/${outsiderPrompt}/evaluations`, {});
      expect(free.status).toBe(403);
      expect(free.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'evaluations',
        plan: 'free',
        max: 0,
        current: 0,
      });
      expect((await outsider().put('/billing/plan', { plan: 'starter' })).status).toBe(200);
      const starter = await outsider().post(`/prompts/${outsiderPrompt}/evaluations`, {});
      expect(starter.status).toBe(403);
      expect(starter.body).toMatchObject({ code: 'plan_limit_reached', plan: 'starter' });
      expect(fake.requests.length).toBe(requests);
    });

    it('409 provider_key_missing on Pro without a key for the model’s provider', async () => {
      expect((await outsider().put('/billing/plan', { plan: 'pro' })).status).toBe(200);
      const res = await outsider().post(`/prompts/${outsiderPrompt}/evaluations`, {});
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'provider_key_missing', provider: 'openai' });
    });

    it('counts Pro’s 250 a month from stored evaluations (deleted prompts’ too, not last month’s)', async () => {
      const org = team.outsider.organizationId;
      const key = await outsider().post('/provider-keys', {
        provider: 'openai',
        name: 'Mine',
        apiKey: KEYS.outsider,
        baseUrl: fake.baseUrl('openai'),
      });
      expect(key.status).toBe(201);
      const seed = (n: number, at: string) =>
        t.owner.query(
          `INSERT INTO evaluations (organization_id, prompt_id, version, relevance, clarity, depth, creativity,
                                    robustness, overall, excellent, feedback, evaluator_model, provider, created_at)
           SELECT $1, $2, 1, 3, 3, 3, 3, 3, 3, false, '{}'::jsonb, 'gpt-4.1-mini', 'openai', ${at}
             FROM generate_series(1, $3)`,
          [org, outsiderPrompt, n],
        );
      await seed(248, 'now()');
      await seed(5, `date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 second'`);
      structured = answer();
      expect((await outsider().post(`/prompts/${outsiderPrompt}/evaluations`, {})).status).toBe(201);
      expect((await outsider().get('/billing')).body.usage.evaluationsThisMonth).toBe(249);

      // A deleted prompt's evaluations still count.
      const gone = (await outsider().post('/prompts', { title: 'Gone', content: 'Bye {{name}}' })).body.id;
      expect((await outsider().post(`/prompts/${gone}/evaluations`, {})).status).toBe(201);
      expect((await outsider().delete(`/prompts/${gone}`)).status).toBe(204);
      expect(
        (
          await t.owner.query(
            `SELECT count(*)::int AS n FROM evaluations WHERE organization_id = $1 AND prompt_id IS NULL`,
            [org],
          )
        ).rows[0].n,
      ).toBe(1);

      const requests = fake.requests.length;
      const over = await outsider().post(`/prompts/${outsiderPrompt}/evaluations`, {});
      expect(over.status).toBe(403);
      expect(over.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'evaluations',
        plan: 'pro',
        max: 250,
        current: 250,
      });
      expect(fake.requests.length).toBe(requests);
      expect((await outsider().get('/billing')).body.usage.evaluationsThisMonth).toBe(250);
      expect(await count(org)).toBe(255);
    });
  });
});
