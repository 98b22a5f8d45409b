import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TestRunner } from '../src/modules/test-runs/test-runner';
import { FakeProviders, startFakeProviders } from './support/fake-providers';
import { waitFor } from './support/wait';
import { auth, bootTestApp, signUpTeam, SignedUpUser, Team, TestApp } from './support/test-app';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const secret = (prefix: string) => `${prefix}-${randomBytes(24).toString('hex')}`;

// What the fake providers answer, by the topic found in the rendered prompt.
const REPLIES: Record<string, string> = {
  json: '{"name": "Ann", "age": 3}',
  text: 'Sorry, I cannot help with that today',
};
const SCHEMA = {
  type: 'object',
  required: ['name', 'age'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
};

describe('Test runs: assertions, queued runs across models, resume, gating', () => {
  let t: TestApp;
  let team: Team;
  let fake: FakeProviders;
  const KEYS = { openai: secret('sk-proj'), anthropic: secret('sk-ant-api03') };
  let promptId: string;
  let emptyPromptId: string;
  /**
   * The evaluator's answer (the real evaluator, through the fake provider): 4.6 for outputs that
   * are JSON, 2 for the others; the evaluator's input carries the output.
   */
  const evaluatorAnswer = ({ prompt }: { prompt: string }) => {
    const n = /<output>\n\{/.test(prompt) ? 4.6 : 2;
    const scores = { relevance: n, clarity: n, depth: n, creativity: n, robustness: n };
    return {
      reasoning: 'Scored against the five metrics.',
      scores,
      overall: n,
      strengths: ['Clear'],
      doesWell: 'It is clear.',
      overview: 'Could be more specific.',
      suggestions: [
        { text: 'Name the tone', example: 'Write warmly.' },
        { text: 'Give a length', example: 'At most 50 words.' },
        { text: 'Show an example', example: 'Example: ...' },
      ],
      ambiguities: ['Which audience?'],
    };
  };

  const boot = async (database?: TestApp['database']) =>
    bootTestApp({
      env: { ENCRYPTION_KEY },
      keepDatabase: true,
      ...(database ? { database } : {}),
    });

  beforeAll(async () => {
    fake = await startFakeProviders();
    for (const key of Object.values(KEYS)) fake.validKeys.add(key);
    fake.reply = ({ prompt }) => {
      const topic = /about (\w+)/.exec(prompt)?.[1] ?? '';
      return REPLIES[topic] ?? 'OK';
    };
    fake.structured = evaluatorAnswer;
    t = await boot();
    team = await signUpTeam(t);
    for (const [provider, apiKey] of Object.entries(KEYS)) {
      const res = await as(team.owner).post('/provider-keys', {
        provider,
        name: `A ${provider}`,
        apiKey,
        baseUrl: fake.baseUrl(provider as 'openai' | 'anthropic'),
      });
      expect(res.status).toBe(201);
    }
    const created = await as(team.editor).post('/prompts', {
      title: 'Structured reply',
      content: 'Answer about {{topic}}.',
      variables: [{ name: 'topic', type: 'text', required: true }],
    });
    expect(created.status).toBe(201);
    promptId = created.body.id;
    const empty = await as(team.editor).post('/prompts', { title: 'No cases', content: 'Hello' });
    emptyPromptId = empty.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.drop();
    await fake?.close();
  });

  function as(user: SignedUpUser, org = team.org) {
    const call = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
      const req = t.http()[method](`/api/v1${path}`).set(auth(user, org));
      return body ? req.send(body) : req;
    };
    return {
      get: (path: string) => call('get', path),
      post: (path: string, body: object = {}) => call('post', path, body),
      patch: (path: string, body: object) => call('patch', path, body),
      put: (path: string, body: object) => call('put', path, body),
      delete: (path: string) => call('delete', path),
    };
  }
  const finished = (id: string, user = team.editor) =>
    waitFor(
      `test run ${id} to finish`,
      async () => {
        const res = await as(user).get(`/test-runs/${id}`);
        return res.body.status === 'done' || res.body.status === 'failed' ? res.body : undefined;
      },
      20_000,
    );
  const start = async (body: object, user = team.editor, prompt = promptId) => {
    const res = await as(user).post(`/prompts/${prompt}/test-runs`, body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    return res.body.id as string;
  };

  describe('assertions on test cases', () => {
    it('saves every assertion type and answers them back', async () => {
      const res = await as(team.editor).post(`/prompts/${promptId}/test-cases`, {
        name: 'JSON answer',
        variables: { topic: 'json' },
        assertions: [
          { type: 'valid_json' },
          { type: 'json_schema', schema: SCHEMA },
          { type: 'contains', value: 'Ann' },
          { type: 'not_contains', value: 'Bob' },
          { type: 'regex', pattern: '"age":\\s*\\d+', flags: 'i' },
          { type: 'max_length', max: 100 },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body.assertions).toHaveLength(6);
      expect(res.body.assertions[1]).toEqual({ type: 'json_schema', schema: SCHEMA });
      const text = await as(team.editor).post(`/prompts/${promptId}/test-cases`, {
        name: 'Plain answer',
        variables: { topic: 'text' },
        assertions: [
          { type: 'valid_json' },
          { type: 'json_schema', schema: SCHEMA },
          { type: 'contains', value: 'refund' },
          { type: 'not_contains', value: 'Sorry' },
          { type: 'regex', pattern: '^\\d+$' },
          { type: 'max_length', max: 10 },
          { type: 'evaluator_min', min: 4 },
        ],
      });
      expect(text.status).toBe(201);
      const { rows } = await t.owner.query(
        `SELECT name, assertions FROM prompt_test_cases WHERE prompt_id = $1 ORDER BY created_at`,
        [promptId],
      );
      expect(rows.map((r) => r.assertions.length)).toEqual([6, 7]);
    });

    it.each([
      [{ type: 'regex', pattern: '([a-z' }, 'assertions.0.pattern', 'not a valid regular expression'],
      [{ type: 'regex', pattern: '(a+)+$' }, 'assertions.0.pattern', 'exponential'],
      [{ type: 'regex', pattern: 'a', flags: 'g' }, 'assertions.0.flags', 'flags'],
      [{ type: 'json_schema', schema: { type: 'bogus' } }, 'assertions.0.schema', 'not a valid JSON schema'],
      [{ type: 'contains' }, 'assertions.0.value', 'needs value'],
      [{ type: 'max_length', max: 10, value: 'x' }, 'assertions.0.value', 'does not apply'],
      [{ type: 'evaluator_min', min: 9 }, 'assertions.0.min', ''],
      [{ type: 'whatever' }, 'assertions.0.type', ''],
    ])('refuses %j with 400 naming %s', async (assertion, field, message) => {
      const res = await as(team.editor).post(`/prompts/${promptId}/test-cases`, {
        name: 'Bad',
        assertions: [assertion],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field, message: expect.stringContaining(message) }),
        ]),
      );
    });

    it('changes assertions with PATCH (400 for an unusable one, checked before anything else)', async () => {
      const created = await as(team.editor).post(`/prompts/${promptId}/test-cases`, {
        name: 'Temporary',
        variables: { topic: 'json' },
      });
      const path = `/prompts/${promptId}/test-cases/${created.body.id}`;
      const bad = await as(team.editor).patch(path, { assertions: [{ type: 'regex', pattern: '(x*)*' }] });
      expect(bad.status).toBe(400);
      const ok = await as(team.editor).patch(path, { assertions: [{ type: 'max_length', max: 5 }] });
      expect(ok.status).toBe(200);
      expect(ok.body.assertions).toEqual([{ type: 'max_length', max: 5 }]);
      const { rows } = await t.owner.query(`SELECT assertions FROM prompt_test_cases WHERE id = $1`, [
        created.body.id,
      ]);
      expect(rows[0].assertions).toEqual([{ type: 'max_length', max: 5 }]);
      expect((await as(team.editor).delete(path)).status).toBe(204);
    });
  });

  describe('POST /prompts/:id/test-runs', () => {
    let testRunId: string;

    it('runs every case on every model and applies each assertion type (pass and fail)', async () => {
      const before = fake.requests.length;
      testRunId = await start({ models: ['gpt-4o', 'claude-sonnet-4-5'] });
      const run = await finished(testRunId);
      expect(run).toMatchObject({
        id: testRunId,
        promptId,
        version: 1,
        label: null,
        models: ['gpt-4o', 'claude-sonnet-4-5'],
        status: 'done',
        progress: { done: 4, total: 4 },
        passed: false,
        error: null,
      });
      expect(fake.requests.length - before).toBe(4);
      expect(
        run.results.map((r: { testCaseName: string; model: string }) => [r.testCaseName, r.model]),
      ).toEqual([
        ['JSON answer', 'gpt-4o'],
        ['JSON answer', 'claude-sonnet-4-5'],
        ['Plain answer', 'gpt-4o'],
        ['Plain answer', 'claude-sonnet-4-5'],
      ]);
      const [json, , text] = run.results;
      expect(json.passed).toBe(true);
      expect(json.output).toBe(REPLIES.json);
      expect(json.assertions.map((a: { type: string; passed: boolean }) => [a.type, a.passed])).toEqual([
        ['valid_json', true],
        ['json_schema', true],
        ['contains', true],
        ['not_contains', true],
        ['regex', true],
        ['max_length', true],
      ]);
      expect(text.passed).toBe(false);
      expect(text.assertions.map((a: { type: string; passed: boolean }) => [a.type, a.passed])).toEqual([
        ['valid_json', false],
        ['json_schema', false],
        ['contains', false],
        ['not_contains', false],
        ['regex', false],
        ['max_length', false],
        ['evaluator_min', false],
      ]);
      expect(text.assertions[3].detail).toBe('contains "Sorry" at character 0');
      // evaluator_min goes to the AI evaluator, which the Free plan does not include.
      expect(text.assertions[6].detail).toContain('not graded: plan_limit_reached');

      // Every call is a stored run of the prompt (analytics sees it), and the costs add up.
      const runs = await t.owner.query(
        `SELECT r.id, r.model, r.output, r.cost_usd::float AS cost, r.prompt_id, r.version, r.created_by
           FROM runs r JOIN test_run_results x ON x.run_id = r.id WHERE x.test_run_id = $1`,
        [testRunId],
      );
      expect(runs.rows).toHaveLength(4);
      for (const r of runs.rows) {
        expect(r).toMatchObject({ prompt_id: promptId, version: 1, created_by: team.editor.userId });
        const result = run.results.find((x: { runId: string }) => x.runId === r.id);
        expect(result.costUsd).toBeCloseTo(r.cost, 10);
        expect(r.cost).toBeGreaterThan(0);
      }
      const total = runs.rows.reduce((s: number, r: { cost: number }) => s + r.cost, 0);
      expect(run.costUsd).toBeCloseTo(total, 9);
      const { rows: stored } = await t.owner.query(
        `SELECT status, passed, done, total, finished_at FROM test_runs WHERE id = $1`,
        [testRunId],
      );
      expect(stored[0]).toMatchObject({ status: 'done', passed: false, done: 4, total: 4 });
      const audit = await t.owner.query(
        `SELECT actor_id, target_id, changes FROM audit_events WHERE action = 'test_run.created'`,
      );
      expect(audit.rows).toContainEqual(
        expect.objectContaining({
          actor_id: team.editor.userId,
          target_id: promptId,
          changes: expect.objectContaining({ testRunId, version: 1, total: 4 }),
        }),
      );
    });

    it('reports progress while it runs', async () => {
      fake.script(KEYS.openai, { delayMs: 400 });
      try {
        const id = await start({ models: ['gpt-4o'] });
        const seen: Array<{ status: string; done: number; total: number }> = [];
        await waitFor(
          'the test run to finish',
          async () => {
            const res = await as(team.viewer).get(`/test-runs/${id}`);
            expect(res.status).toBe(200);
            seen.push({ status: res.body.status, ...res.body.progress });
            return res.body.status === 'done';
          },
          20_000,
          40,
        );
        expect(seen.some((s) => s.status !== 'done')).toBe(true);
        for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
        expect(seen.every((s) => s.total === 2)).toBe(true);
        expect(seen.at(-1)).toEqual({ status: 'done', done: 2, total: 2 });
      } finally {
        fake.script(KEYS.openai, undefined);
      }
    });

    it('runs the version a label points at, and records provider failures as failed results', async () => {
      await as(team.editor).patch(`/prompts/${promptId}`, { content: 'Answer about {{topic}} briefly.' });
      expect((await as(team.editor).put(`/prompts/${promptId}/labels/staging`, { version: 1 })).status).toBe(
        200,
      );
      fake.script(KEYS.anthropic, { status: 500 });
      try {
        const id = await start({ models: ['claude-sonnet-4-5'], label: 'staging' });
        const run = await finished(id);
        expect(run).toMatchObject({ version: 1, label: 'staging', status: 'done', passed: false });
        for (const r of run.results) {
          expect(r.passed).toBe(false);
          expect(r.error).toEqual({ code: 'provider_error', detail: expect.any(String) });
          expect(r.runId).toEqual(expect.any(String));
        }
      } finally {
        fake.script(KEYS.anthropic, undefined);
      }
    });

    it('retries a pair the provider rate limits (429) after its Retry-After, then records it', async () => {
      const runsOf = async (status: string) =>
        (
          await t.owner.query(
            `SELECT count(*)::int AS n FROM runs WHERE prompt_id = $1 AND model = 'claude-sonnet-4-5' AND status = $2`,
            [promptId, status],
          )
        ).rows[0].n as number;
      const errorsBefore = await runsOf('error');
      // One 429 (Retry-After: 1 s), then answers: the rate-limited pair is called again and passes.
      fake.script(KEYS.anthropic, { status: 429, retryAfter: 1, times: 1 });
      let before = fake.requests.length;
      const started = Date.now();
      const run = await finished(await start({ models: ['claude-sonnet-4-5'] }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(fake.requests.length - before).toBe(3);
      expect(run).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
      for (const r of run.results) expect(r.error).toBeNull();
      // The rate-limited attempt is a run of its own (analytics sees every call).
      expect(await runsOf('error')).toBe(errorsBefore + 1);

      // Still rate limited after 3 attempts: the pair is recorded as failed with the provider's error.
      fake.script(KEYS.anthropic, { status: 429, retryAfter: 1 });
      try {
        before = fake.requests.length;
        const limited = await finished(await start({ models: ['claude-sonnet-4-5'] }));
        expect(fake.requests.length - before).toBe(6);
        expect(limited).toMatchObject({ status: 'done', passed: false });
        for (const r of limited.results) {
          expect(r.error).toEqual({ code: 'provider_rate_limited', detail: expect.stringContaining('429') });
          expect(r.runId).toEqual(expect.any(String));
        }
      } finally {
        fake.script(KEYS.anthropic, undefined);
      }
    });

    it('lets OWNER and ADMIN start test runs too', async () => {
      for (const user of [team.owner, team.admin]) await finished(await start({ models: ['gpt-4o'] }, user));
    });

    it('refuses VIEWER (403) and anonymous callers (401)', async () => {
      const res = await as(team.viewer).post(`/prompts/${promptId}/test-runs`, { models: ['gpt-4o'] });
      expect(res.status).toBe(403);
      await t
        .http()
        .post(`/api/v1/prompts/${promptId}/test-runs`)
        .send({ models: ['gpt-4o'] })
        .expect(401);
    });

    it('answers 404 for prompts of other organizations, unknown ones and unknown versions', async () => {
      const outsider = as(team.outsider, team.outsider.organizationId);
      expect((await outsider.post(`/prompts/${promptId}/test-runs`, { models: ['gpt-4o'] })).status).toBe(
        404,
      );
      const unknown = await as(team.editor).post(`/prompts/${randomUUID()}/test-runs`, {
        models: ['gpt-4o'],
      });
      expect(unknown.status).toBe(404);
      const version = await as(team.editor).post(`/prompts/${promptId}/test-runs`, {
        models: ['gpt-4o'],
        version: 99,
      });
      expect(version.status).toBe(404);
      expect(version.body.code).toBe('version_not_found');
    });

    it.each([
      [{}, 'models'],
      [{ models: [] }, 'models'],
      [{ models: 'gpt-4o' }, 'models'],
      [{ models: ['gpt-4o', 'gpt-4o'] }, 'models'],
      [{ models: ['no such model'] }, 'models'],
      [{ models: ['not-in-catalogue'] }, 'models[0]'],
      [{ models: ['gpt-4o'], version: 1, label: 'staging' }, 'label'],
      [{ models: ['gpt-4o'], extra: true }, 'extra'],
    ])('answers 400 for %j', async (body, field) => {
      const res = await as(team.editor).post(`/prompts/${promptId}/test-runs`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 409 without a key for a model, or without test cases', async () => {
      const key = await as(team.editor).post(`/prompts/${promptId}/test-runs`, {
        models: ['gemini-2.5-flash'],
      });
      expect(key.status).toBe(409);
      expect(key.body.code).toBe('provider_key_missing');
      const none = await as(team.editor).post(`/prompts/${emptyPromptId}/test-runs`, { models: ['gpt-4o'] });
      expect(none.status).toBe(409);
      expect(none.body.code).toBe('test_run_no_test_cases');
      const { rows } = await t.owner.query(`SELECT count(*)::int AS n FROM test_runs WHERE prompt_id = $1`, [
        emptyPromptId,
      ]);
      expect(rows[0].n).toBe(0);
    });

    describe('GET /test-runs/:id and GET /prompts/:id/test-runs', () => {
      it('lists the prompt’s test runs newest first, page by page, to any member', async () => {
        const all = await t.owner.query(
          `SELECT id FROM test_runs WHERE prompt_id = $1 ORDER BY created_at DESC, id DESC`,
          [promptId],
        );
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await as(team.viewer).get(
            `/prompts/${promptId}/test-runs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(2);
          for (const item of res.body.items) {
            expect(item.results).toBeUndefined();
            ids.push(item.id);
          }
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(ids).toEqual(all.rows.map((r) => r.id));
        expect(ids).toContain(testRunId);
      });

      it('answers 401, 404 across organizations, 400 for bad ids and cursors', async () => {
        await t.http().get(`/api/v1/test-runs/${testRunId}`).expect(401);
        await t.http().get(`/api/v1/prompts/${promptId}/test-runs`).expect(401);
        const outsider = as(team.outsider, team.outsider.organizationId);
        expect((await outsider.get(`/test-runs/${testRunId}`)).status).toBe(404);
        expect((await outsider.get(`/prompts/${promptId}/test-runs`)).status).toBe(404);
        expect((await as(team.viewer).get(`/test-runs/${randomUUID()}`)).status).toBe(404);
        expect((await as(team.viewer).get(`/test-runs/not-a-uuid`)).status).toBe(400);
        expect((await as(team.viewer).get(`/prompts/${promptId}/test-runs?cursor=nope`)).status).toBe(400);
        expect((await as(team.viewer).get(`/prompts/${promptId}/test-runs?limit=0`)).status).toBe(400);
      });
    });

    describe('after a restart', () => {
      it('resumes an interrupted run, skipping the pairs that have results', async () => {
        // The process dies in the middle of a run: two of its four results are stored, its lease lapsed.
        await t.owner.query(
          `DELETE FROM test_run_results WHERE test_run_id = $1 AND model = 'claude-sonnet-4-5'`,
          [testRunId],
        );
        await t.owner.query(
          `UPDATE test_runs SET status = 'running', done = 2, passed = NULL, finished_at = NULL,
                  lease_until = now() - interval '1 second' WHERE id = $1`,
          [testRunId],
        );
        // The organization moves to Pro, whose plan includes the AI evaluator.
        expect((await as(team.owner).put('/billing/plan', { plan: 'pro' })).status).toBe(200);
        const database = t.database;
        await t.close();
        // PGlite is one session for every connection: the stopped app's prepared statements live on.
        const session = new Pool({ connectionString: database.url, max: 1 });
        await session.query('DEALLOCATE ALL');
        await session.end();
        t = await boot(database);
        const before = fake.requests.length;
        expect(await t.app.get(TestRunner).resumeStalled()).toBeGreaterThanOrEqual(1);
        const run = await finished(testRunId);
        expect(run).toMatchObject({ status: 'done', progress: { done: 4, total: 4 } });
        const made = fake.requests.slice(before);
        // Two resumed runs on Anthropic, and the evaluator's call (OpenAI) for the one graded case.
        expect(made.filter((r) => r.provider === 'anthropic')).toHaveLength(2);
        const { rows } = await t.owner.query(
          `SELECT count(*)::int AS n, count(DISTINCT (test_case_id, model))::int AS pairs
             FROM test_run_results WHERE test_run_id = $1`,
          [testRunId],
        );
        expect(rows[0]).toEqual({ n: 4, pairs: 4 });
        // The resumed pairs were graded by the evaluator (the plan now includes it): 2 < 4 fails, with its cost.
        const text = run.results.find(
          (r: { testCaseName: string; model: string }) =>
            r.testCaseName === 'Plain answer' && r.model === 'claude-sonnet-4-5',
        );
        expect(text.assertions.at(-1)).toEqual({
          type: 'evaluator_min',
          passed: false,
          detail: 'graded 2, below 4',
        });
        // The grade is a stored evaluation of the run's output, by the member who started the test run.
        const evaluations = await t.owner.query(
          `SELECT created_by, version, overall::float AS overall, cost_usd::float AS cost FROM evaluations WHERE run_id = $1`,
          [text.runId],
        );
        expect(evaluations.rows).toEqual([
          {
            created_by: team.editor.userId,
            version: expect.any(Number),
            overall: 2,
            cost: expect.any(Number),
          },
        ]);
        const runCost = await t.owner.query(`SELECT cost_usd::float AS cost FROM runs WHERE id = $1`, [
          text.runId,
        ]);
        expect(text.costUsd).toBeCloseTo(runCost.rows[0].cost + evaluations.rows[0].cost, 9);
      });

      it('starts a queued run whose enqueue was lost, and gives up a run interrupted too often', async () => {
        const id = await start({ models: ['gpt-4o'] });
        await finished(id);
        await t.owner.query(`DELETE FROM test_run_results WHERE test_run_id = $1`, [id]);
        await t.owner.query(
          `UPDATE test_runs SET status = 'queued', done = 0, passed = NULL, finished_at = NULL,
                  created_at = now() - interval '1 minute' WHERE id = $1`,
          [id],
        );
        await t.app.get(TestRunner).resumeStalled();
        expect(await finished(id)).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });

        await t.owner.query(
          `UPDATE test_runs SET status = 'running', claims = 5, passed = NULL, finished_at = NULL,
                  lease_until = now() - interval '1 second' WHERE id = $1`,
          [id],
        );
        await t.app.get(TestRunner).resumeStalled();
        expect(await finished(id)).toMatchObject({
          status: 'failed',
          passed: false,
          error: expect.stringContaining('given up'),
        });
      });

      it('grades evaluator_min with the AI evaluator (passing at the minimum)', async () => {
        const created = await as(team.editor).post(`/prompts/${promptId}/test-cases`, {
          name: 'Graded',
          variables: { topic: 'json' },
          assertions: [{ type: 'evaluator_min', min: 4.6 }],
        });
        expect(created.status).toBe(201);
        const id = await start({ models: ['gpt-4o'], version: 2 });
        const run = await finished(id);
        const graded = run.results.find((r: { testCaseName: string }) => r.testCaseName === 'Graded');
        expect(graded).toMatchObject({
          passed: true,
          assertions: [{ type: 'evaluator_min', passed: true, detail: 'graded 4.6 (at least 4.6)' }],
        });
        expect(
          (await as(team.editor).delete(`/prompts/${promptId}/test-cases/${created.body.id}`)).status,
        ).toBe(204);
      });
    });
  });

  describe('promotion gating (requireTestRunForProduction)', () => {
    const setting = (on: boolean) =>
      as(team.owner).patch(`/organizations/${team.org}/settings`, { requireTestRunForProduction: on });
    const promote = (id: string, version: number, label = 'production') =>
      as(team.admin).put(`/prompts/${id}/labels/${label}`, { version });

    it('moves production only to a version whose last finished test run passed', async () => {
      const created = await as(team.editor).post('/prompts', { title: 'Gated', content: 'Say {{word}}' });
      const id = created.body.id as string;
      await as(team.editor).post(`/prompts/${id}/test-cases`, {
        name: 'Says OK',
        variables: { word: 'hi' },
        assertions: [{ type: 'contains', value: 'OK' }],
      });
      // Off (the default): production moves freely.
      expect((await promote(id, 1)).status).toBe(200);
      expect((await setting(true)).status).toBe(200);
      await as(team.editor).patch(`/prompts/${id}`, { content: 'Say {{word}} twice' });

      const untested = await promote(id, 2);
      expect(untested.status).toBe(409);
      expect(untested.body).toMatchObject({ code: 'test_run_required', version: 2, testRunId: null });
      expect(untested.body.detail).toContain('no finished test run');
      // Other labels are not gated.
      expect((await promote(id, 2, 'staging')).status).toBe(200);

      // A failing run of version 2 keeps it out of production.
      const failing = await as(team.editor).post(`/prompts/${id}/test-cases`, {
        name: 'Wants more',
        variables: { word: 'hi' },
        assertions: [{ type: 'contains', value: 'nope' }],
      });
      const failed = await start({ models: ['gpt-4o'], version: 2 }, team.editor, id);
      expect(await finished(failed)).toMatchObject({ status: 'done', passed: false });
      const refused = await promote(id, 2);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'test_run_required', testRunId: failed });
      expect(refused.body.detail).toContain('did not pass');

      // The last finished run decides: once a run passes entirely, production may move.
      await as(team.editor).delete(`/prompts/${id}/test-cases/${failing.body.id}`);
      const passing = await start({ models: ['gpt-4o', 'claude-sonnet-4-5'], version: 2 }, team.editor, id);
      expect(await finished(passing)).toMatchObject({ status: 'done', passed: true });
      expect((await promote(id, 2)).status).toBe(200);
      const { rows } = await t.owner.query(
        `SELECT version FROM prompt_labels WHERE prompt_id = $1 AND label = 'production'`,
        [id],
      );
      expect(rows[0].version).toBe(2);
      // Back to version 1, which never had a test run: refused while the setting is on, allowed once off.
      expect((await promote(id, 1)).status).toBe(409);
      expect((await setting(false)).status).toBe(200);
      expect((await promote(id, 1)).status).toBe(200);
    });
  });
});
