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
        return k.organizationId === 'org-pro' ? { ...base, limit: 5 } : base;
      }
    }
    const throttler = new ApiKeyThrottler(storage, new PlanLimits(options));
    const pro = { id: 'pro-key', organizationId: 'org-pro' };
    for (let i = 0; i < 5; i++) await throttler.consume(pro, fakeResponse().res);
    const { res, headers } = fakeResponse();
    await expect(throttler.consume(pro, res)).rejects.toBeInstanceOf(AppException);
    expect(headers['X-RateLimit-Limit']).toBe('5');
  });

  it('refuses a configuration without the api-key throttler', () => {
    expect(() => new ApiKeyLimits({ throttlers: [] })).toThrow(/api-key/);
  });
});
