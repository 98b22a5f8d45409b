import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PromptVault, PromptVaultError, RenderError } from '../src/index.js';
import { fakeFetch, json, networkError, notModified, problem, prompt } from './fake-fetch.js';

const BASE = 'https://vault.example.com';
const make = (f: typeof fetch, extra: Partial<ConstructorParameters<typeof PromptVault>[0]> = {}) =>
  new PromptVault({ baseUrl: BASE, apiKey: 'pv_test', fetch: f, retryBaseDelayMs: 1, ...extra });

describe('PromptVault.getPrompt', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('fetches by slug with the API key, the label in the query and keeps the ETag', async () => {
    const { fetch, calls } = fakeFetch(() => json(prompt(), 200, { etag: '"v1"' }));
    const p = await make(fetch).getPrompt('welcome', { label: 'production' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.toString()).toBe(`${BASE}/api/v1/prompts/by-slug/welcome?label=production`);
    expect(calls[0]!.headers['x-api-key']).toBe('pv_test');
    expect(calls[0]!.headers['if-none-match']).toBeUndefined();
    expect(p).toMatchObject({
      slug: 'welcome',
      version: 1,
      etag: '"v1"',
      source: 'network',
      isFallback: false,
    });
    expect(p.render({ name: 'Ada' })).toBe('Hello Ada');
  });

  it('asks for a version by number, and accepts a base URL that already ends in /api/v1', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(prompt({ version: 4, label: null }), 200, { etag: '"v4"' }),
    );
    await make(fetch, { baseUrl: `${BASE}/api/v1/` }).getPrompt('a b', { version: 4 });
    expect(calls[0]!.url.toString()).toBe(`${BASE}/api/v1/prompts/by-slug/a%20b?version=4`);
  });

  it('serves the cached copy within the TTL without a request', async () => {
    const { fetch, calls } = fakeFetch(() => json(prompt(), 200, { etag: '"v1"' }));
    const client = make(fetch, { cache: { ttlMs: 1000 } });
    await client.getPrompt('welcome');
    vi.advanceTimersByTime(999);
    const again = await client.getPrompt('welcome');
    expect(again.source).toBe('cache');
    expect(calls).toHaveLength(1);
  });

  it('revalidates with If-None-Match after the TTL and keeps the cached copy on 304', async () => {
    const { fetch, calls } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => notModified('"v1"'),
    );
    const client = make(fetch, { cache: { ttlMs: 1000, staleWhileRevalidateMs: 0 } });
    const first = await client.getPrompt('welcome');
    vi.advanceTimersByTime(1000);
    const second = await client.getPrompt('welcome');
    expect(calls[1]!.headers['if-none-match']).toBe('"v1"');
    expect(second).toMatchObject({ source: 'revalidated', version: 1, content: 'Hello {{name}}' });
    expect(second.fetchedAt).toBeGreaterThan(first.fetchedAt);
    // The 304 restarted the TTL.
    expect((await client.getPrompt('welcome')).source).toBe('cache');
    expect(calls).toHaveLength(2);
  });

  it('replaces the cached copy when the server answers 200 with a new version', async () => {
    const { fetch } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => json(prompt({ version: 2, content: 'Hi {{name}}' }), 200, { etag: '"v2"' }),
    );
    const client = make(fetch, { cache: false });
    await client.getPrompt('welcome');
    const next = await client.getPrompt('welcome');
    expect(next).toMatchObject({ version: 2, etag: '"v2"', source: 'network' });
  });

  it('serves a stale copy at once within the stale window and revalidates in the background', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { fetch, calls } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      async () => {
        await gate;
        return json(prompt({ version: 2 }), 200, { etag: '"v2"' });
      },
    );
    const client = make(fetch, { cache: { ttlMs: 1000, staleWhileRevalidateMs: 5000 } });
    await client.getPrompt('welcome');
    vi.advanceTimersByTime(2000);
    const stale = await client.getPrompt('welcome');
    expect(stale).toMatchObject({ source: 'stale', version: 1 });
    expect(calls).toHaveLength(2);
    // A second caller while the revalidation runs shares it instead of sending another request.
    expect((await client.getPrompt('welcome')).source).toBe('stale');
    expect(calls).toHaveLength(2);
    release();
    await vi.waitFor(async () => expect((await client.getPrompt('welcome')).version).toBe(2));
    expect(calls).toHaveLength(2);
  });

  it('reports a failed background revalidation to onError and keeps serving the copy', async () => {
    const onError = vi.fn();
    const { fetch } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => problem(403, 'forbidden'),
    );
    const client = make(fetch, { cache: { ttlMs: 10, staleWhileRevalidateMs: 1000 }, onError });
    await client.getPrompt('welcome');
    vi.advanceTimersByTime(20);
    expect((await client.getPrompt('welcome')).source).toBe('stale');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]![0]).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('reports an unavailable API met by a background revalidation', async () => {
    const onError = vi.fn();
    const { fetch } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => problem(503, 'unavailable'),
    );
    const client = make(fetch, {
      cache: { ttlMs: 10, staleWhileRevalidateMs: 1000 },
      onError,
      maxRetries: 0,
    });
    await client.getPrompt('welcome');
    vi.advanceTimersByTime(20);
    expect((await client.getPrompt('welcome')).source).toBe('stale');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]![0]).toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('falls back to the last good copy on network errors and 5xx, flagged with the error', async () => {
    const { fetch, calls } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      networkError,
      networkError,
      networkError,
      () => problem(500, 'internal_error'),
    );
    const client = make(fetch, { cache: false, maxRetries: 2 });
    await client.getPrompt('welcome');
    const down = await client.getPrompt('welcome');
    expect(calls).toHaveLength(4); // one attempt and two retries
    expect(down).toMatchObject({ source: 'fallback', isFallback: true, version: 1 });
    expect(down.error).toMatchObject({ status: 0, code: 'network_error' });
    const failing = await client.getPrompt('welcome');
    expect(failing.source).toBe('fallback');
    expect(failing.error).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req-1' });
  });

  it('throws when the API is down and there is no copy, or when fallback is off', async () => {
    const down = make(fakeFetch(networkError).fetch, { maxRetries: 0 });
    await expect(down.getPrompt('welcome')).rejects.toMatchObject({
      name: 'PromptVaultError',
      code: 'network_error',
      status: 0,
    });

    const { fetch } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => problem(503, 'unavailable'),
    );
    const strict = make(fetch, { cache: false, fallback: false, maxRetries: 0 });
    await strict.getPrompt('welcome');
    await expect(strict.getPrompt('welcome')).rejects.toMatchObject({ status: 503 });
  });

  it('turns problem+json into PromptVaultError and forgets the copy on 404', async () => {
    const { fetch } = fakeFetch(
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => problem(404, 'not_found'),
      networkError,
    );
    const client = make(fetch, { cache: false, maxRetries: 0 });
    await client.getPrompt('welcome');
    const error: unknown = await client.getPrompt('welcome').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromptVaultError);
    expect(error).toMatchObject({
      status: 404,
      code: 'not_found',
      requestId: 'req-1',
      title: 'not_found',
      type: 'https://errors.prompt-vault.dev/not_found',
      instance: '/x',
      message: '404 not_found: detail of not_found',
    });
    // No copy left to fall back on.
    await expect(client.getPrompt('welcome')).rejects.toMatchObject({ code: 'network_error' });
  });

  it('carries field errors of a 400, and does not fall back on 401', async () => {
    const errors = [{ field: 'label', message: 'label must start with …' }];
    const { fetch } = fakeFetch(
      () => problem(400, 'validation_failed', { errors }),
      () => json(prompt(), 200, { etag: '"v1"' }),
      () => problem(401, 'unauthorized'),
    );
    const client = make(fetch, { cache: false });
    await expect(client.getPrompt('welcome', { label: 'BAD' })).rejects.toMatchObject({
      status: 400,
      errors,
    });
    await client.getPrompt('welcome');
    await expect(client.getPrompt('welcome')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('names a non-problem error answer by its status', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(make(fetch, { maxRetries: 0 }).getPrompt('x')).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
      errors: [],
    });
  });

  it('retries a 429 after Retry-After and succeeds', async () => {
    vi.useRealTimers();
    const { fetch, calls } = fakeFetch(
      () => problem(429, 'rate_limited', {}, { 'retry-after': '0' }),
      () => json(prompt(), 200, { etag: '"v1"' }),
    );
    const p = await make(fetch).getPrompt('welcome');
    expect(p.source).toBe('network');
    expect(calls).toHaveLength(2);
  });

  it('waits as long as Retry-After says (capped by maxRetryDelayMs) and gives up after maxRetries', async () => {
    vi.useRealTimers();
    const { fetch, calls } = fakeFetch(() => problem(429, 'rate_limited', {}, { 'retry-after': '3600' }));
    const started = Date.now();
    const error = await make(fetch, { maxRetries: 2, maxRetryDelayMs: 50 })
      .getPrompt('welcome')
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(calls).toHaveLength(3);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 3600 });
  });

  it('times out a request that does not answer', async () => {
    vi.useRealTimers();
    const hang = (_: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const client = new PromptVault({ baseUrl: BASE, apiKey: 'k', fetch: hang, timeoutMs: 20, maxRetries: 0 });
    await expect(client.getPrompt('welcome')).rejects.toMatchObject({ status: 0, code: 'timeout' });
  });

  it('shares one request between concurrent callers and keeps entries per label and version', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      json(prompt({ version: Number(call.url.searchParams.get('version') ?? 1) }), 200, { etag: '"x"' }),
    );
    const client = make(fetch);
    const [a, b] = await Promise.all([client.getPrompt('welcome'), client.getPrompt('welcome')]);
    expect(a.version).toBe(1);
    expect(b.version).toBe(1);
    expect(calls).toHaveLength(1);
    expect((await client.getPrompt('welcome', { version: 3 })).version).toBe(3);
    expect(calls).toHaveLength(2);
    client.invalidate('welcome');
    await client.getPrompt('welcome');
    expect(calls).toHaveLength(3);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      json(prompt({ slug: call.url.pathname.split('/').pop()! }), 200),
    );
    const client = make(fetch, { cache: { maxEntries: 2 } });
    await client.getPrompt('a');
    await client.getPrompt('b');
    await client.getPrompt('a');
    await client.getPrompt('c'); // evicts b
    await client.getPrompt('a');
    expect(calls).toHaveLength(3);
    await client.getPrompt('b');
    expect(calls).toHaveLength(4);
  });

  it('renders with the server rules and throws RenderError with the fields', async () => {
    const { fetch } = fakeFetch(() => json(prompt(), 200));
    const p = await make(fetch).getPrompt('welcome');
    let error: unknown;
    try {
      p.render({});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toBeInstanceOf(PromptVaultError);
    expect(error).toMatchObject({
      status: 422,
      code: 'prompt_variables_invalid',
      errors: [{ field: 'variables.name', message: 'name is required' }],
    });
    expect(p.tryRender({ name: 42 })).toEqual({ rendered: 'Hello 42', errors: [] });
    expect(p.toJSON()).toEqual(prompt());
  });

  it('refuses options that cannot work', async () => {
    const f = fakeFetch(() => json({})).fetch;
    expect(() => new PromptVault({ baseUrl: BASE, fetch: f })).toThrow(/apiKey or an accessToken/);
    expect(() => new PromptVault({ baseUrl: 'vault', apiKey: 'k', fetch: f })).toThrow(/absolute http/);
    expect(() => new PromptVault({ baseUrl: BASE, accessToken: 't', fetch: f })).toThrow(/organizationId/);
    expect(() => make(f, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    await expect(make(f).getPrompt('a', { label: 'x', version: 1 })).rejects.toThrow(/not both/);
  });

  it('sends a bearer token with the organization header', async () => {
    const { fetch, calls } = fakeFetch(() => json(prompt(), 200));
    await new PromptVault({ baseUrl: BASE, accessToken: 'jwt', organizationId: 'org-1', fetch }).getPrompt(
      'welcome',
    );
    expect(calls[0]!.headers).toMatchObject({ authorization: 'Bearer jwt', 'x-organization-id': 'org-1' });
    expect(calls[0]!.headers['x-api-key']).toBeUndefined();
  });
});
