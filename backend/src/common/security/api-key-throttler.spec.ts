import { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Response } from 'express';
import { AppException } from '../errors/domain.exception';
import { API_KEY_THROTTLER, ApiKeyLimits, ApiKeyThrottler, ThrottledKey } from './api-key-throttler';
import { FallbackThrottlerStorage } from './throttler-storage';

const options: ThrottlerModuleOptions = {
  throttlers: [{ name: API_KEY_THROTTLER, limit: 3, ttl: 3_600_000 }],
};

function fakeResponse() {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (headers[name] = value) };
  return { res: res as unknown as Response, headers };
}

const key: ThrottledKey = { id: 'key-1', organizationId: 'org-1' };

describe('ApiKeyThrottler', () => {
  let storage: FallbackThrottlerStorage;
  beforeEach(() => (storage = new FallbackThrottlerStorage()));
  afterEach(() => storage.onApplicationShutdown());

  it('sets X-RateLimit headers and answers rate_limited with Retry-After past the limit', async () => {
    const throttler = new ApiKeyThrottler(storage, new ApiKeyLimits(options));
    for (const remaining of ['2', '1', '0']) {
      const { res, headers } = fakeResponse();
      await throttler.consume(key, res);
      expect(headers['X-RateLimit-Limit']).toBe('3');
      expect(headers['X-RateLimit-Remaining']).toBe(remaining);
      expect(Number(headers['X-RateLimit-Reset'])).toBeGreaterThan(0);
    }
    const { res, headers } = fakeResponse();
    const refused = await throttler.consume(key, res).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppException);
    expect((refused as AppException).code).toBe('rate_limited');
    expect(Number((refused as AppException).headers?.['Retry-After'])).toBeGreaterThan(0);
    expect(headers['X-RateLimit-Remaining']).toBe('0');
    // Each key has its own allowance.
    await throttler.consume({ id: 'key-2', organizationId: 'org-1' }, fakeResponse().res);
  });

  it('takes the limit from ApiKeyLimits, which a plan-aware provider resolves per organization', async () => {
    class PlanLimits extends ApiKeyLimits {
      override async resolve(k: ThrottledKey) {
        const base = await super.resolve(k);
        return k.organizationId === 'org-pro' ? { ...base, key: { ...base.key, limit: 5 } } : base;
      }
    }
    const throttler = new ApiKeyThrottler(storage, new PlanLimits(options));
    const pro = { id: 'pro-key', organizationId: 'org-pro' };
    for (let i = 0; i < 5; i++) await throttler.consume(pro, fakeResponse().res);
    const { res, headers } = fakeResponse();
    await expect(throttler.consume(pro, res)).rejects.toBeInstanceOf(AppException);
    expect(headers['X-RateLimit-Limit']).toBe('5');
  });

  it('counts per key and per organization; the tighter answer sets the headers and refuses', async () => {
    class OrgLimits extends ApiKeyLimits {
      override async resolve() {
        return {
          key: { limit: 3, ttlMs: 3_600_000 },
          organization: {
            limit: 4,
            ttlMs: 86_400_000,
            refusal: 'the organization is out of requests',
            extensions: { limit: 'apiRequests', plan: 'pro' },
          },
        };
      }
    }
    const throttler = new ApiKeyThrottler(storage, new OrgLimits(options));
    const a = { id: 'key-a', organizationId: 'org-x' };
    const b = { id: 'key-b', organizationId: 'org-x' };
    // Key a: 2 left of 3 (key) vs 3 left of 4 (organization): the key's counter is tighter.
    let answer = fakeResponse();
    await throttler.consume(a, answer.res);
    expect(answer.headers).toMatchObject({ 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '2' });
    await throttler.consume(a, fakeResponse().res);
    // Key b: 2 left of 3 for the key, 1 left of 4 for the organization: the organization's is tighter.
    answer = fakeResponse();
    await throttler.consume(b, answer.res);
    expect(answer.headers).toMatchObject({ 'X-RateLimit-Limit': '4', 'X-RateLimit-Remaining': '1' });
    await throttler.consume(b, fakeResponse().res);
    expect(await throttler.organizationUsage('org-x', { limit: 4, ttlMs: 86_400_000 })).toBe(4);
    // The organization's allowance is spent, although each key has requests left.
    answer = fakeResponse();
    const refused = (await throttler.consume(a, answer.res).catch((e: unknown) => e)) as AppException;
    expect(refused).toBeInstanceOf(AppException);
    expect(refused.code).toBe('rate_limited');
    expect(refused.message).toBe('the organization is out of requests');
    expect(refused.extensions).toEqual({ limit: 'apiRequests', plan: 'pro' });
    expect(Number(refused.headers?.['Retry-After'])).toBeGreaterThan(3600);
    expect(answer.headers).toMatchObject({ 'X-RateLimit-Limit': '4', 'X-RateLimit-Remaining': '0' });
    expect(await throttler.organizationUsage('org-x', { limit: 1000, ttlMs: 3_600_000 })).toBe(0);
    expect(await throttler.organizationUsage('org-other', { limit: 4, ttlMs: 86_400_000 })).toBe(0);
  });

  it('refuses a configuration without the api-key throttler', () => {
    expect(() => new ApiKeyLimits({ throttlers: [] })).toThrow(/api-key/);
  });
});
