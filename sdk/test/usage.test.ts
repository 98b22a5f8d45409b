import { afterEach, describe, expect, it, vi } from 'vitest';
import { PromptVault, type UsageEvent } from '../src/index.js';
import { fakeFetch, json, networkError, problem } from './fake-fetch.js';

const BASE = 'https://vault.example.com';
const event = (i: number): UsageEvent => ({
  slug: 'welcome',
  label: 'production',
  model: 'gpt-4o-mini',
  inputTokens: i,
  outputTokens: 2 * i,
});
const accepted = (call: { body: unknown }) =>
  json({ accepted: (call.body as { events: unknown[] }).events.length, rejected: [] }, 202);
const make = (f: typeof fetch, usage = {}, extra = {}) =>
  new PromptVault({ baseUrl: BASE, apiKey: 'pv_test', fetch: f, retryBaseDelayMs: 1, usage, ...extra });

describe('PromptVault.reportUsage', () => {
  afterEach(() => vi.useRealTimers());

  it('sends nothing until flush, then one POST /usage with idempotency keys and timestamps', async () => {
    const { fetch, calls } = fakeFetch(accepted);
    const client = make(fetch, { flushIntervalMs: 0 });
    client.reportUsage(event(1));
    client.reportUsage({ ...event(2), idempotencyKey: 'mine', occurredAt: '2026-01-01T00:00:00.000Z' });
    expect(calls).toHaveLength(0);
    expect(client.pendingUsage).toBe(2);
    const result = await client.flush();
    expect(result).toEqual({ sent: 2, accepted: 2, rejected: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.url.pathname).toBe('/api/v1/usage');
    const sent = (calls[0]!.body as { events: UsageEvent[] }).events;
    expect(sent[0]).toMatchObject({
      ...event(1),
      idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
    });
    expect(Date.parse(sent[0]!.occurredAt!)).not.toBeNaN();
    expect(sent[1]).toMatchObject({ idempotencyKey: 'mine', occurredAt: '2026-01-01T00:00:00.000Z' });
    expect(client.pendingUsage).toBe(0);
    expect(await client.flush()).toEqual({ sent: 0, accepted: 0, rejected: [] });
    expect(calls).toHaveLength(1);
  });

  it('sends a full batch at once and splits a flush into batches', async () => {
    const { fetch, calls } = fakeFetch(accepted);
    const client = make(fetch, { batchSize: 3, flushIntervalMs: 0 });
    for (let i = 1; i <= 3; i++) client.reportUsage(event(i));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect((calls[0]!.body as { events: unknown[] }).events).toHaveLength(3);
    for (let i = 1; i <= 5; i++) client.reportUsage(event(i));
    // The third event started a background flush; flush() waits for it and sends what is left.
    await client.flush();
    expect(calls.map((c) => (c.body as { events: unknown[] }).events.length)).toEqual([3, 3, 2]);
    expect(client.pendingUsage).toBe(0);
  });

  it('flushes on the interval', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = fakeFetch(accepted);
    const client = make(fetch, { flushIntervalMs: 1000 });
    client.reportUsage(event(1));
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    await client.close();
  });

  it('keeps the events queued while the API is unavailable and sends them with the next flush', async () => {
    const { fetch, calls } = fakeFetch(networkError, () => problem(503, 'unavailable'), accepted);
    const client = make(fetch, { flushIntervalMs: 0 }, { maxRetries: 1 });
    client.reportUsage(event(1));
    client.reportUsage(event(2));
    await expect(client.flush()).rejects.toMatchObject({ status: 503 });
    expect(client.pendingUsage).toBe(2);
    const keys = (calls[0]!.body as { events: UsageEvent[] }).events.map((e) => e.idempotencyKey);
    expect(await client.flush()).toMatchObject({ sent: 2, accepted: 2 });
    // The same keys: the server counts a batch whose answer was lost only once.
    expect((calls[2]!.body as { events: UsageEvent[] }).events.map((e) => e.idempotencyKey)).toEqual(keys);
  });

  it('drops the oldest events beyond maxQueueSize', async () => {
    const { fetch, calls } = fakeFetch(networkError, accepted);
    const onError = vi.fn();
    const client = make(
      fetch,
      { batchSize: 5, maxQueueSize: 6, flushIntervalMs: 0 },
      { maxRetries: 0, onError },
    );
    // The fifth event starts a background flush that fails (the events go back to the queue).
    for (let i = 0; i < 7; i++) client.reportUsage(event(i));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(client.pendingUsage).toBe(6);
    await client.flush();
    const sent = calls
      .slice(1)
      .flatMap((c) => (c.body as { events: UsageEvent[] }).events.map((e) => e.inputTokens));
    expect(sent).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns the events the server refused, and drops a batch refused as a whole', async () => {
    const errors = [{ field: 'model', message: 'unknown model' }];
    const { fetch } = fakeFetch(
      () => json({ accepted: 1, rejected: [{ index: 1, errors }] }, 202),
      () => problem(403, 'forbidden'),
    );
    const client = make(fetch, { flushIntervalMs: 0 });
    client.reportUsage(event(1));
    client.reportUsage({ ...event(2), model: 'nope' });
    const result = await client.flush();
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { event: expect.objectContaining({ model: 'nope' }) as UsageEvent, errors },
    ]);
    client.reportUsage(event(3));
    await expect(client.flush()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(client.pendingUsage).toBe(0);
  });

  it('reports background failures and refusals to onError instead of throwing', async () => {
    const onError = vi.fn();
    const { fetch } = fakeFetch(
      () =>
        json({ accepted: 0, rejected: [{ index: 0, errors: [{ field: 'model', message: 'bad' }] }] }, 202),
      () => problem(500, 'internal_error'),
    );
    const client = make(fetch, { batchSize: 1, flushIntervalMs: 0 }, { onError, maxRetries: 0 });
    client.reportUsage(event(1));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]![0]).toMatchObject({
      code: 'usage_events_rejected',
      errors: [{ message: 'bad' }],
    });
    client.reportUsage(event(2));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
    expect(onError.mock.calls[1]![0]).toMatchObject({ status: 500 });
    expect(client.pendingUsage).toBe(1);
  });

  it('retries a 429 batch after Retry-After', async () => {
    const { fetch, calls } = fakeFetch(
      () => problem(429, 'rate_limited', {}, { 'retry-after': '0' }),
      accepted,
    );
    const client = make(fetch, { flushIntervalMs: 0 });
    client.reportUsage(event(1));
    expect(await client.flush()).toMatchObject({ accepted: 1 });
    expect(calls).toHaveLength(2);
  });

  it('close() sends what is queued and refuses further events', async () => {
    const { fetch, calls } = fakeFetch(accepted);
    const client = make(fetch);
    client.reportUsage(event(1));
    expect(await client.close()).toMatchObject({ sent: 1 });
    expect(calls).toHaveLength(1);
    expect(() => client.reportUsage(event(2))).toThrow(/closed/);
  });

  it('refuses events that cannot be valid, and bad options', () => {
    const client = make(fakeFetch(accepted).fetch);
    expect(() => client.reportUsage({ ...event(1), model: '' })).toThrow(TypeError);
    expect(() => client.reportUsage({ ...event(1), inputTokens: -1 })).toThrow(/inputTokens/);
    expect(() => client.reportUsage({ model: 'm', inputTokens: 1, outputTokens: 1 })).toThrow(
      /promptId or slug/,
    );
    expect(() => client.reportUsage({ ...event(1), version: 2 })).toThrow(/version or label/);
    expect(client.pendingUsage).toBe(0);
    expect(() => make(fakeFetch(accepted).fetch, { batchSize: 1001 })).toThrow(/batchSize/);
  });
});
