import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PromptVault,
  PromptVaultError,
  RenderError,
  type PromptVaultOptions,
  type UsageEvent,
} from '../../src/index.js';
import { documented, RunningServer } from './server.js';

/**
 * The SDK against the real API: the built backend runs as its own process (embedded database),
 * data is created through HTTP as a user would, then the SDK fetches, revalidates, renders and
 * reports usage. The last test stops the server to see the fallback.
 */

const VARIABLES = [
  { name: 'name', type: 'text', required: true },
  { name: 'age', type: 'number', required: true },
  { name: 'vip', type: 'boolean', required: false, defaultValue: false },
  { name: 'tone', type: 'select', required: true, options: ['formal', 'casual'] },
  { name: 'note', type: 'text', required: false },
];
const CONTENT = 'Hi {{name}}, you are {{ age }} (VIP: {{vip}}). Tone: {{tone}}. {{{{literal}} {{note}}';

let server: RunningServer;
let token: string;
let organizationId: string;
let apiKey: string;
let promptId: string;
const slug = 'sdk-welcome';

/** Records the status of every answer the SDK received. */
function recording() {
  const statuses: number[] = [];
  const requests: { events: UsageEvent[] }[] = [];
  const f: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') requests.push(JSON.parse(init.body) as { events: UsageEvent[] });
    const res = await fetch(input, init);
    statuses.push(res.status);
    return res;
  };
  return { statuses, requests, fetch: f };
}

const client = (extra: Partial<PromptVaultOptions> = {}) =>
  new PromptVault({ baseUrl: server.baseUrl, apiKey, retryBaseDelayMs: 10, ...extra });

beforeAll(async () => {
  server = await RunningServer.start();
  const email = `sdk-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  await server.call('POST', '/auth/signup', { body: { email, password, name: 'SDK Tester' } });
  ({ accessToken: token } = await server.call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email, password },
    expect: 200,
  }));
  const me = await server.call<{ memberships: { organizationId: string }[] }>('GET', '/me', { token });
  organizationId = me.memberships[0]!.organizationId;
  const as = { token, organizationId };
  ({ id: promptId } = await server.call<{ id: string }>('POST', '/prompts', {
    ...as,
    body: { title: 'SDK welcome', slug, content: CONTENT, variables: VARIABLES },
  }));
  await server.call('PUT', `/prompts/${promptId}/labels/production`, { ...as, body: { version: 1 } });
  ({ key: apiKey } = await server.call<{ key: string }>('POST', `/organizations/${organizationId}/api-keys`, {
    ...as,
    body: { name: 'sdk integration' },
  }));
});

afterAll(async () => {
  await server?.cleanup();
});

describe('SDK against the running server', () => {
  it('fetches a prompt by slug and label with the API key, and revalidates with If-None-Match (304)', async () => {
    const rec = recording();
    const vault = client({ fetch: rec.fetch, cache: false });
    const first = await vault.getPrompt(slug, { label: 'production' });
    expect(first).toMatchObject({
      id: promptId,
      slug,
      version: 1,
      label: 'production',
      content: CONTENT,
      source: 'network',
    });
    expect(first.variables.map((v) => v.name)).toEqual(VARIABLES.map((v) => v.name));
    expect(first.etag).toMatch(/^"/);
    const second = await vault.getPrompt(slug, { label: 'production' });
    expect(second).toMatchObject({ source: 'revalidated', version: 1, etag: first.etag, content: CONTENT });
    expect(rec.statuses).toEqual([200, 304]);
  });

  it('serves the cached copy within the TTL without asking the server', async () => {
    const rec = recording();
    const vault = client({ fetch: rec.fetch, cache: { ttlMs: 60_000 } });
    await vault.getPrompt(slug, { label: 'production' });
    expect((await vault.getPrompt(slug, { label: 'production' })).source).toBe('cache');
    expect(rec.statuses).toEqual([200]);
  });

  it('sees a new version: the label keeps its version (304) until it moves, the current one changes (200)', async () => {
    const rec = recording();
    const vault = client({ fetch: rec.fetch, cache: false });
    await vault.getPrompt(slug, { label: 'production' });
    await vault.getPrompt(slug);
    const as = { token, organizationId };
    await server.call('PATCH', `/prompts/${promptId}`, {
      ...as,
      body: { content: `${CONTENT} Bye.`, variables: VARIABLES, changeNote: 'sdk test' },
    });
    expect((await vault.getPrompt(slug, { label: 'production' })).source).toBe('revalidated');
    const current = await vault.getPrompt(slug);
    expect(current).toMatchObject({ source: 'network', version: 2, content: `${CONTENT} Bye.` });
    await server.call('PUT', `/prompts/${promptId}/labels/production`, { ...as, body: { version: 2 } });
    expect(await vault.getPrompt(slug, { label: 'production' })).toMatchObject({
      source: 'network',
      version: 2,
    });
    expect(await vault.getPrompt(slug, { version: 1 })).toMatchObject({
      source: 'network',
      version: 1,
      content: CONTENT,
    });
    expect(rec.statuses).toEqual([200, 200, 304, 200, 200, 200]);
  });

  it('renders exactly what the server renders, errors included', async () => {
    const prompt = await client().getPrompt(slug, { version: 1 });
    const inputs: Record<string, unknown>[] = [
      { name: 'Ada', age: 36, tone: 'formal' },
      { name: 'Ada', age: '36', vip: 'true', tone: 'casual', note: 'see you' },
      { name: 'Bob', age: 0, vip: false, tone: 'casual', note: null, extra: 'ignored' },
      { name: 7, age: ' 2.5 ', vip: true, tone: 'formal' },
      {},
      { name: '', age: 'many', vip: 'yes', tone: 'rude' },
      { name: ['x'], age: true, tone: 'Formal' },
    ];
    let ok = 0;
    for (const variables of inputs) {
      const res = await fetch(`${server.baseUrl}/api/v1/prompts/${promptId}/render`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ variables, version: 1 }),
      });
      const body = (await res.json()) as { rendered?: string; errors?: unknown[] };
      const local = prompt.tryRender(variables);
      if (res.status === 200) {
        ok++;
        expect(local).toEqual({ rendered: body.rendered, errors: [] });
        expect(prompt.render(variables)).toBe(body.rendered);
      } else {
        expect(res.status).toBe(422);
        expect(local.errors).toEqual(body.errors);
        expect(() => prompt.render(variables)).toThrow(RenderError);
      }
    }
    expect(ok).toBe(4);
  });

  it('turns the server problems into PromptVaultError with status, code, errors and requestId', async () => {
    const vault = client();
    const missing = await vault.getPrompt('no-such-prompt').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PromptVaultError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect((missing as PromptVaultError).requestId).toMatch(/.+/);

    await expect(vault.getPrompt(slug, { label: 'staging' })).rejects.toMatchObject({
      status: 404,
      code: 'version_label_not_found',
    });
    await expect(vault.getPrompt(slug, { version: 99 })).rejects.toMatchObject({
      status: 404,
      code: 'version_not_found',
    });

    const invalid = (await vault
      .getPrompt(slug, { label: 'Not A Label' })
      .catch((e: unknown) => e)) as PromptVaultError;
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(invalid.errors.map((e) => e.field)).toContain('label');

    const stranger = client({ apiKey: 'pv_not_a_real_key_0000000000000000' });
    await expect(stranger.getPrompt(slug)).rejects.toMatchObject({ status: 401 });
  });

  // POST /usage comes with the analytics module (API contract, "Usage and analytics"); until that is
  // merged the route is not in docs/openapi.json and this test is skipped.
  it.skipIf(!documented('/usage', 'post'))('reports usage in batches into POST /usage', async () => {
    const rec = recording();
    const vault = client({ fetch: rec.fetch, usage: { batchSize: 2, flushIntervalMs: 0 } });
    const prompt = await vault.getPrompt(slug, { label: 'production' });
    vault.reportUsage({
      slug,
      label: 'production',
      model: 'gpt-4o-mini',
      inputTokens: 120,
      outputTokens: 40,
      latencyMs: 900,
    });
    vault.reportUsage({
      promptId: prompt.id,
      version: prompt.version,
      model: 'gpt-4o-mini',
      inputTokens: 10,
      outputTokens: 5,
      status: 'error',
    });
    vault.reportUsage({ slug, model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1 });
    const result = await vault.close();
    expect(vault.pendingUsage).toBe(0);
    expect(rec.statuses.filter((s) => s === 202)).toHaveLength(2);
    expect(result.rejected).toEqual([]);
    // The server counted the three runs of this prompt, once each even when a batch is sent again.
    const again = client({ usage: { flushIntervalMs: 0 } });
    const sent = rec.requests.flatMap((b) => b.events);
    for (const e of sent) again.reportUsage(e);
    expect(await again.close()).toMatchObject({ sent: 3, rejected: [] });
    await vi.waitFor(
      async () => {
        const usage = await server.call<{ runs: number }>('GET', `/prompts/${promptId}/usage`, {
          token,
          organizationId,
        });
        expect(usage.runs).toBe(3);
      },
      { timeout: 15_000, interval: 500 },
    );
  });

  it('falls back to the last good copy when the server is down, and says so', async () => {
    const vault = client({ cache: { ttlMs: 0, staleWhileRevalidateMs: 0 }, maxRetries: 1, timeoutMs: 2000 });
    const before = await vault.getPrompt(slug, { label: 'production' });
    expect(before.source).toBe('network');
    await server.stop();
    const after = await vault.getPrompt(slug, { label: 'production' });
    expect(after).toMatchObject({
      source: 'fallback',
      isFallback: true,
      version: before.version,
      content: before.content,
    });
    expect(after.error).toMatchObject({ status: 0, code: 'network_error' });
    expect(after.render({ name: 'Ada', age: 1, tone: 'formal' })).toContain('Hi Ada');
    // Nothing to fall back on for a prompt never fetched.
    await expect(vault.getPrompt(slug)).rejects.toMatchObject({ status: 0, code: 'network_error' });
    // Usage waits in the queue while the server is away.
    vault.reportUsage({ slug, model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1 });
    await expect(vault.flush()).rejects.toMatchObject({ code: 'network_error' });
    expect(vault.pendingUsage).toBe(1);
  });
});
